using System.Collections.Concurrent;
using System.Diagnostics;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>A standard listener sees the step prover's phases on <see cref="SumcheckTelemetry"/>.</summary>
public class SumcheckTelemetryTests
{
    [Fact]
    public void TheStepProversPhasesAreTraced()
    {
        var phases = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => phases.Add(a.OperationName),
        };
        ActivitySource.AddActivityListener(listener);
        var config = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
        var model = QuantizedMlp.CreateInitial(config, 5);
        var t = new StepTables(config, model.Weights1, model.Weights2, [0, 1024, 512, 64, 1024, 1024, 0, 256], [2, 0]);
        var c = new[] { t.Weights[0], t.Weights[1], t.WeightsAfter[0], t.WeightsAfter[1] }.Select(SumcheckStep.Commit).ToArray();
        SumcheckStep.Prove(new byte[32], config, t, c[0], c[1], c[2], c[3]);
        foreach (var phase in new[] { "commit.encode", "commit.merkle", "matmul.contract", "sumcheck", "lookup", "reduce", "open" }) Assert.Contains(phase, phases);
    }
}
