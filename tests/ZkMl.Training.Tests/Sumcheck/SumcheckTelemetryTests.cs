using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>A standard listener sees the zero-knowledge step prover's phases on <see cref="SumcheckTelemetry"/>.</summary>
public class SumcheckTelemetryTests(ITestOutputHelper output)
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
        var config = ZeroKnowledgeStepTests.Small;
        var step = Prove(config, 0, QuantizedNetwork.CreateInitial(config, 5), ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var traced = phases.Distinct().Order().ToArray();
        output.WriteLine(string.Join(", ", traced));
        // Every phase of a zero-knowledge step: the witness (limbs, stack, sponge trace), the commitments (encode, Merkle),
        // the blocks' masked zero-checks, the membership sponge, the two GKR lookups, the joint reduction and its
        // sumcheck, and the openings with their grinding.
        foreach (var phase in new[] { "limbs", "stack", "sponge trace", "commit.encode", "commit.merkle", "blocks", "sumcheck", "sponge", "sumcheck.sponge",
            "lookup", "input lookup", "sumcheck.gkr", "reduce", "sumcheck.zklr", "zklr.lambda", "open", "grind" })
            Assert.Contains(phase, traced);
        Assert.True(Verify(step, 0));
    }
}
