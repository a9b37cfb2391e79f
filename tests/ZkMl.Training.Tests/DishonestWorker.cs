using ZkMl.Models;

namespace ZkMl.Training.Tests;

/// <summary>
/// A dishonest worker built on the public step API: like <see cref="TrainingProver.Train"/>, except that the weights published
/// after one step are not the honest update; that step's proof is still the one an honest prover would attach.
/// </summary>
internal static class DishonestWorker
{
    public static TrainingTranscript Train(TrainingProver prover, byte[]? verifyingKey, QuantizedMlp initial, IReadOnlyList<int[]> batches,
        ProofPlan plan, int tamperedStep, TamperMode mode)
    {
        var states = new TrainingState[batches.Count + 1];
        states[0] = prover.Start(initial);
        TrainingState? honest = null;
        for (int t = 0; t < batches.Count; t++)
        {
            var next = prover.Advance(states[t], batches[t]);
            if (t == tamperedStep)
            {
                honest = next;
                next = prover.Start(Tamper(states[t].Model, next.Model, mode)); // fresh salt and commitment for the tampered weights
            }
            states[t + 1] = next;
        }
        var commitments = states.Select(s => s.Commitment.ToArray()).ToList();
        var proofs = plan.SelectSteps(batches.Count, prover.Dataset.Root.Span, commitments)
            .Select(t => new TranscriptStepProof
            {
                Step = t,
                Proof = prover.ProveStep(states[t], t == tamperedStep ? honest! : states[t + 1], batches[t]).Proof,
            })
            .ToList();
        return new TrainingTranscript
        {
            Backend = prover.Backend,
            Network = prover.Network,
            DatasetRoot = prover.Dataset.Root.ToArray(),
            DatasetRows = prover.Dataset.RowCount,
            VerifyingKey = verifyingKey,
            ProofPlan = plan.ToString(),
            InitialWeights = TranscriptWeights.From(initial, states[0].Salt.Span),
            FinalWeights = TranscriptWeights.From(states[^1].Model, states[^1].Salt.Span),
            Commitments = commitments,
            Proofs = proofs,
        };
    }

    private static QuantizedMlp Tamper(QuantizedMlp before, QuantizedMlp honest, TamperMode mode)
    {
        if (mode == TamperMode.Skip) return before.Clone();
        var w1 = honest.Weights1.ToArray();
        w1[0] += w1[0] < honest.Config.MaxValue ? 1 : -1;
        return new QuantizedMlp(honest.Config, w1, honest.Weights2);
    }
}
