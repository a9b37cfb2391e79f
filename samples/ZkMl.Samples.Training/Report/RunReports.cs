using System.Diagnostics;
using ZkMl.Models;
using ZkMl.Reporting;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Samples.Training.Report;

/// <summary>Builds a <see cref="RunReport"/> from the sample's run.</summary>
internal static class RunReports
{
    public static RunReport Build(RunFacts f)
    {
        var t = f.Transcript;
        int steps = t.StepCount;
        byte[] seed = t.ScheduleChallenge.Value;
        int stepsPerEpoch = SeededBatchSchedule.StepsPerEpoch(f.Train.Count, f.Network.BatchSize);

        var challenged = t.AuditChallenge is { } audit
            ? AuditSample.Draw(audit.Value, steps, f.Options.AuditSampleCount)
            : Enumerable.Range(0, steps).ToArray();
        var prove = new Dictionary<int, (double Seconds, int Bytes)>();
        for (int i = 0; i < f.ProvenSteps.Count; i++) prove[f.ProvenSteps[i]] = (f.ProveSeconds[i], f.ProofBytes[i]);

        // Each published proof is verified again on its own, to time it; VerifyRun only times the whole transcript.
        var verified = new Dictionary<int, (bool Ok, double Seconds)>();
        foreach (var p in t.Proofs)
        {
            if (p.Step < 0 || p.Step >= steps) continue;
            long started = Stopwatch.GetTimestamp();
            bool ok = f.Verifier.VerifyStep(new StepProof(p.Step, f.Verifier.Backend, t.Commitments[p.Step], t.Commitments[p.Step + 1], p.Proof), seed);
            verified[p.Step] = (ok, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        var stepFigures = challenged.Concat(prove.Keys).Concat(verified.Keys).Distinct().Order()
            .Select(s => new StepFigures(s, s / stepsPerEpoch + 1, challenged.Contains(s), prove.ContainsKey(s),
                verified.TryGetValue(s, out var v) && v.Ok,
                prove.TryGetValue(s, out var pr) ? pr.Seconds : null,
                verified.TryGetValue(s, out var vs) ? vs.Seconds : null,
                prove.TryGetValue(s, out var pb) ? pb.Bytes : null))
            .ToList();

        var summary = new RunSummary
        {
            Backend = f.Options.Backend.ToString(),
            Network = f.Network.Network.ToString(),
            BatchSize = f.Network.BatchSize,
            Epochs = f.Options.Epochs,
            Steps = steps,
            Audit = f.Options.Audit == AuditPolicy.AllSteps ? "all" : $"sample:{f.Options.AuditSampleCount}",
            Challenge = f.Options.Challenge.ToString(),
            StepsChallenged = challenged.Length,
            StepsProven = t.Proofs.Count,
            StepsVerified = verified.Values.Count(v => v.Ok),
            SetupSeconds = f.SetupSeconds,
            WorkerSeconds = f.WorkerSeconds,
            VerifySeconds = f.VerifySeconds,
            AccuracyBefore = f.AccuracyBefore,
            AccuracyAfter = f.AccuracyAfter,
            Accepted = f.Result.IsValid,
            Verdict = f.Result.Message,
            Coverage = f.Result.Coverage,
            Machine = MachineInfo.Describe(),
            Command = "ZkMl.Samples.Training " + string.Join(' ', f.Args),
        };
        var curve = LearningCurve(f.Network, f.Train, f.Test, t.InitialWeights.ToNetwork(f.Network), seed, steps, stepsPerEpoch);
        return new RunReport(summary, curve, stepFigures);
    }

    /// <summary>
    /// Replays the run with the reference trainer (QuantizedNetwork) on the contract's schedule from the published initial
    /// weights, measuring after every epoch; for an honest worker this is the training that was committed.
    /// </summary>
    private static List<EpochFigures> LearningCurve(QuantizedNetworkConfig c, QuantizedDataset train, QuantizedDataset test,
        QuantizedNetwork model, byte[] seed, int steps, int stepsPerEpoch)
    {
        var curve = new List<EpochFigures> { Measure(model, train, test, 0, 0) };
        var inputs = new long[c.BatchSize * c.Network.InputSize];
        var labels = new int[c.BatchSize];
        for (int step = 0; step < steps; step++)
        {
            train.GatherBatch(SeededBatchSchedule.Rows(seed, train.Count, c.BatchSize, step), inputs, labels);
            model.TrainStep(inputs, labels);
            if ((step + 1) % stepsPerEpoch == 0 || step + 1 == steps)
                curve.Add(Measure(model, train, test, (step + stepsPerEpoch) / stepsPerEpoch, step + 1));
        }
        return curve;
    }

    private static EpochFigures Measure(QuantizedNetwork model, QuantizedDataset train, QuantizedDataset test, int epoch, int step) =>
        new(epoch, step, model.Accuracy(train), model.Accuracy(test), MeanSquaredError(model, train), MeanSquaredError(model, test));

    /// <summary>Mean over rows and outputs of ((z_L - t) / 2^f)^2, t = onehot(label) * 2^f (docs/fixed-point.md).</summary>
    public static double MeanSquaredError(QuantizedNetwork model, QuantizedDataset data)
    {
        var c = model.Config;
        int outputs = c.Network.OutputSize;
        if (data.Count == 0) return 0;
        var z = new long[outputs];
        double sum = 0, one = c.One;
        for (int r = 0; r < data.Count; r++)
        {
            model.Forward(data.Row(r), z);
            for (int i = 0; i < outputs; i++)
            {
                double e = (z[i] - FixedPoint.Target(i, data.Labels[r], c.FractionBits)) / one;
                sum += e * e;
            }
        }
        return sum / ((double)data.Count * outputs);
    }
}
