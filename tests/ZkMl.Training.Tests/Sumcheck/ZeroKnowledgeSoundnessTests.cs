using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>The zero-knowledge step's composed soundness (<see cref="SumcheckSoundness.ZeroKnowledgeBits"/>) keeps 100.5 bits at every preset (grinding included, docs/sumcheck-step.md "Grinding").</summary>
public class ZeroKnowledgeSoundnessTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("4-3-3", 2)]
    [InlineData("64-32-10", 16)]
    [InlineData("784-128-10", 64)]
    [InlineData("784-128b-10b", 64)]
    [InlineData("784-512-10", 128)]
    [InlineData("784-128-10", 1024)]
    [InlineData("64-32b-32b-32b-32b-32b-32b-32b-10b", 16)]
    public void EveryPresetKeepsOneHundredBits(string shape, int batch)
    {
        var sizes = shape.Split('-');
        var config = new QuantizedNetworkConfig(new NetworkDescription(int.Parse(sizes[0]),
            sizes.Skip(1).Select(w => new DenseLayer(int.Parse(w.TrimEnd('b')), w.EndsWith('b'))))) { BatchSize = batch };
        var (openings, algebraic, proximity) = SumcheckSoundness.ZeroKnowledgeTerms(config);
        double bits = SumcheckSoundness.ZeroKnowledgeBits(config);
        output.WriteLine($"{shape}/{batch}: openings 2^{Math.Log2(openings):F2}, algebraic 2^{Math.Log2(algebraic):F2}, L/p^2 2^{Math.Log2(proximity):F2}: {bits:F2} bits");
        Assert.True(bits >= 100.5, $"{bits:F2} bits");
    }
}
