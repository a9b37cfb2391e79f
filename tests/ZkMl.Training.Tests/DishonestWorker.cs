using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>
/// A dishonest worker built on the public step API (Start/Advance/ProveStep/Publish): like <see cref="TrainingProver.Train"/>,
/// except that the weights published after the steps <paramref name="tampered"/> selects are not the honest update; those
/// steps' proofs are still the ones an honest prover would attach.
/// </summary>
internal static class DishonestWorker
{
    public static TrainingTranscript Train(TrainingProver prover, IChallengeSource challenges, Func<int, bool> tampered, TamperMode mode)
    {
        var contract = prover.Contract;
        var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, contract.Digest());
        byte[] seed = schedule.Value.ToArray();
        int steps = contract.StepCount;
        var states = new TrainingState[steps + 1];
        var honest = new TrainingState?[steps];
        states[0] = prover.Start(SeededInitialWeights.Create(contract, seed));
        for (int t = 0; t < steps; t++)
        {
            var next = prover.Advance(states[t], prover.RowsOf(seed, t));
            if (tampered(t))
            {
                honest[t] = next;
                var fresh = prover.Start(Tamper(states[t].Model, next.Model, mode)); // a fresh salt for the tampered weights
                next = prover.Resume(t + 1, fresh.Model, fresh.Salt.Span);
            }
            states[t + 1] = next;
        }
        var commitments = states.Select(s => s.Commitment.ToArray()).ToList();
        ChallengeRecord? audit = null;
        int[] selected = Enumerable.Range(0, steps).ToArray();
        if (contract.Audit == AuditPolicy.SampleSteps)
        {
            audit = challenges.Draw(ChallengePurpose.AuditSample, TrainingTranscript.ChainDigest(contract.Digest(), commitments));
            selected = AuditSample.Draw(audit.Value.AsSpan(), steps, contract.AuditSampleCount);
        }
        var proofs = selected.Select(t => new TranscriptStepProof
        {
            Step = t,
            Proof = prover.ProveStep(states[t], honest[t] ?? states[t + 1], prover.RowsOf(seed, t)).Proof,
        }).ToList();
        return prover.Publish(schedule, audit, TranscriptWeights.From(states[0].Model, states[0].Salt.Span),
            TranscriptWeights.From(states[^1].Model, states[^1].Salt.Span), commitments, proofs);
    }

    private static QuantizedMlp Tamper(QuantizedMlp before, QuantizedMlp honest, TamperMode mode)
    {
        if (mode == TamperMode.Skip) return before.Clone();
        var w1 = honest.Weights1.ToArray();
        w1[0] += w1[0] < honest.Config.MaxValue ? 1 : -1;
        return new QuantizedMlp(honest.Config, w1, honest.Weights2);
    }
}
