using System.Diagnostics;
using ZkMl.Models;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Samples.Training;

/// <summary>
/// A dishonest worker built on the public step API (Start/Advance/ProveStep/Publish): it follows the contract's schedule and
/// challenges like <see cref="TrainingProver.Train"/>, but every weight state it publishes is the previous one (skip: a worker
/// that never trains) or the honest update with one weight changed (alter: a worker planting a change). It cannot know which
/// steps the audit will draw, so it attaches to each audited step the proof an honest prover would (of the honest update),
/// and the verifier rejects the first audited step.
/// </summary>
internal static class DishonestWorker
{
    public static TrainingTranscript Train(TrainingProver prover, IChallengeSource challenges, TamperMode mode,
        IProgress<TrainingProgress>? progress, Action<StepProof, TimeSpan> onStepProven)
    {
        var contract = prover.Contract;
        var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, contract.Digest());
        byte[] seed = schedule.Value.ToArray();
        int steps = contract.StepCount;
        var states = new TrainingState[steps + 1];
        var honest = new TrainingState[steps];
        states[0] = prover.Start(SeededInitialWeights.CreateNetwork(contract, seed));
        for (int t = 0; t < steps; t++)
        {
            honest[t] = prover.Advance(states[t], prover.RowsOf(seed, t));
            var fresh = prover.Start(Tamper(states[t].Network, honest[t].Network, mode)); // a fresh salt for the tampered weights
            states[t + 1] = prover.Resume(t + 1, fresh.Network, fresh.Salt.Span);
            progress?.Report(new TrainingProgress("train", t + 2, states.Length));
        }
        var commitments = states.Select(s => s.Commitment.ToArray()).ToList();
        ChallengeRecord? audit = null;
        int[] selected = Enumerable.Range(0, steps).ToArray();
        if (contract.Audit == AuditPolicy.SampleSteps)
        {
            audit = challenges.Draw(ChallengePurpose.AuditSample, TrainingTranscript.ChainDigest(contract.Digest(), commitments));
            selected = AuditSample.Draw(audit.Value.AsSpan(), steps, contract.AuditSampleCount);
        }
        var proofs = new List<TranscriptStepProof>(selected.Length);
        foreach (int t in selected)
        {
            long started = Stopwatch.GetTimestamp();
            var proof = prover.ProveStep(states[t], honest[t], prover.RowsOf(seed, t));
            onStepProven(proof, Stopwatch.GetElapsedTime(started));
            proofs.Add(new TranscriptStepProof { Step = t, Proof = proof.Proof });
            progress?.Report(new TrainingProgress("prove", proofs.Count, selected.Length));
        }
        return prover.Publish(schedule, audit, TranscriptWeights.From(states[0].Network, states[0].Salt.Span),
            TranscriptWeights.From(states[^1].Network, states[^1].Salt.Span), commitments, proofs);
    }

    private static QuantizedNetwork Tamper(QuantizedNetwork before, QuantizedNetwork honest, TamperMode mode)
    {
        if (mode == TamperMode.Skip) return before.Clone();
        var parameters = honest.Parameters.ToArray();
        parameters[0] += parameters[0] < honest.Config.MaxValue ? 1 : -1;
        return new QuantizedNetwork(honest.Config, parameters);
    }
}
