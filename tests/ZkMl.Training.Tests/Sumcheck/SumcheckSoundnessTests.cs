using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>The composed soundness bound of a step proof (docs/sumcheck-step.md): >= 100 bits for the target shapes, refusal beyond.</summary>
public class SumcheckSoundnessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, 3, 3, 2)]
    [InlineData(64, 32, 10, 16)]
    [InlineData(784, 128, 10, 64)]
    [InlineData(784, 512, 10, 128)]
    [InlineData(784, 128, 10, 1024)]
    public void TheStepProofKeeps100Bits(int inputs, int hidden, int outputs, int batch)
    {
        var c = new QuantizedMlpConfig { InputSize = inputs, HiddenSize = hidden, OutputSize = outputs, BatchSize = batch };
        double bits = SumcheckSoundness.Bits(c, SumcheckStep.Parameters);
        var (openings, algebraic, proximity) = SumcheckSoundness.Terms(c, SumcheckStep.Parameters);
        output.WriteLine($"{inputs}-{hidden}-{outputs} batch {batch}: {bits:F2} bits (openings 2^{Math.Log2(openings):F2}, algebraic 2^{Math.Log2(algebraic):F2}, L/p^2 2^{Math.Log2(proximity):F2})");
        Assert.True(bits >= 100, $"{bits} bits");
        var network = QuantizedNetworkConfig.FromMlp(c);
        // The zero-knowledge step stacks the batch and its Poseidon trace (2^20 entries per 64 rows of 784 inputs packed 5
        // per element): beyond 2^24 stacked entries setup refuses, naming the stack.
        if (SumcheckStep.ZeroKnowledgeStackEntries(network) <= SumcheckBackend.MaxStackEntries) SumcheckBackend.CheckCapacity(network);
        else Assert.Contains("stacked commitment", Assert.Throws<NetworkTooLargeException>(() => SumcheckBackend.CheckCapacity(network)).Message);
    }

    [Fact]
    public void TheZeroKnowledgeStackFitsUpToTheIssuesShapes()
    {
        Assert.Equal(1L << 22, SumcheckStep.ZeroKnowledgeStackEntries(QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = 784, HiddenSize = 128, OutputSize = 10, BatchSize = 64 })));
        Assert.True(SumcheckStep.ZeroKnowledgeStackEntries(QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = 784, HiddenSize = 128, OutputSize = 10, BatchSize = 128 })) <= SumcheckBackend.MaxStackEntries);
    }

    [Fact]
    public void TheBoundFallsWithTheBatchAndWithFewerQueries()
    {
        var c = new QuantizedMlpConfig { InputSize = 784, HiddenSize = 128, OutputSize = 10, BatchSize = 64 };
        double bits = SumcheckSoundness.Bits(c, SumcheckStep.Parameters);
        Assert.True(SumcheckSoundness.Bits(c with { BatchSize = 4096 }, SumcheckStep.Parameters) < bits);
        // Five openings at the library's default (rate 1/4, 148 queries, 100.3 bits each) do not reach 100 bits composed.
        Assert.True(SumcheckSoundness.Bits(c, ZkMl.Sumcheck.LigeroParameters.Default, ZkMl.Sumcheck.LigeroParameters.Default) < 100);
        Assert.True(SumcheckSoundness.Bits(c, SumcheckStep.Parameters, ZkMl.Sumcheck.LigeroParameters.Default) < bits);
    }
}
