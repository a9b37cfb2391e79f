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
        output.WriteLine($"{inputs}-{hidden}-{outputs} batch {batch}: {bits:F2} bits");
        Assert.True(bits >= 100, $"{bits} bits");
        SumcheckBackend.CheckCapacity(QuantizedNetworkConfig.FromMlp(c));
    }

    [Fact]
    public void ABatchTooLargeForTheBoundIsRefusedNamingTheLargestThatKeepsIt()
    {
        var c = new QuantizedMlpConfig { InputSize = 64, HiddenSize = 32, OutputSize = 10, BatchSize = 4096 };
        Assert.True(SumcheckSoundness.Bits(c, SumcheckStep.Parameters) < 100);
        var e = Assert.Throws<NetworkTooLargeException>(() => SumcheckBackend.CheckCapacity(QuantizedNetworkConfig.FromMlp(c)));
        Assert.Contains("100-bit security", e.Message);
        Assert.InRange(e.Limit, 1024, 4095);
        Assert.True(SumcheckSoundness.Bits(c with { BatchSize = (int)e.Limit }, SumcheckStep.Parameters) >= 100);
        Assert.True(SumcheckSoundness.Bits(c with { BatchSize = (int)e.Limit + 1 }, SumcheckStep.Parameters) < 100);
        // The old default (334 queries) does not reach 100 bits composed.
        Assert.True(SumcheckSoundness.Bits(c with { BatchSize = 64 }, ZkMl.Sumcheck.LigeroParameters.Default) < 100);
    }
}
