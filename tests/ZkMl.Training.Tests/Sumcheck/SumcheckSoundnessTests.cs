using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>The composed soundness bound of a zero-knowledge step proof (docs/sumcheck-step.md): >= 100 bits for the target shapes, refusal beyond.</summary>
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
        var network = QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = inputs, HiddenSize = hidden, OutputSize = outputs, BatchSize = batch });
        double bits = SumcheckSoundness.ZeroKnowledgeBits(network);
        var (openings, algebraic, proximity) = SumcheckSoundness.ZeroKnowledgeTerms(network);
        output.WriteLine($"{inputs}-{hidden}-{outputs} batch {batch}: {bits:F2} bits (openings 2^{Math.Log2(openings):F2}, algebraic 2^{Math.Log2(algebraic):F2}, L/p^2 2^{Math.Log2(proximity):F2})");
        Assert.True(bits >= SumcheckBackend.SecurityBits, $"{bits} bits");
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
    public void TheAlgebraicErrorGrowsWithTheBatchAndTheBoundFallsWithFewerQueries()
    {
        var c = QuantizedNetworkConfig.FromMlp(new QuantizedMlpConfig { InputSize = 784, HiddenSize = 128, OutputSize = 10, BatchSize = 64 });
        double bits = SumcheckSoundness.ZeroKnowledgeBits(c);
        // The algebraic (Schwartz-Zippel) error grows with the batch; the whole bound need not fall, as the compact stack's
        // actual rate (RL + Q) / 8 RL nears 1/8 with longer rows (784-128-10/1024 101.94 bits against 101.90 at 64).
        Assert.True(SumcheckSoundness.ZeroKnowledgeTerms(c with { BatchSize = 1024 }).Algebraic > SumcheckSoundness.ZeroKnowledgeTerms(c).Algebraic);
        static double Bits((double Openings, double Algebraic, double Proximity) t) => -Math.Log2(t.Openings + t.Algebraic + t.Proximity);
        var (stack, chain, mask) = (SumcheckStep.ZeroKnowledgeStackParameters, SumcheckStep.ChainParameters, SumcheckStep.ReductionMaskParameters);
        Assert.Equal(bits, Bits(SumcheckSoundness.ZeroKnowledgeTerms(c, stack, chain, mask)), 9);
        // Fewer queries on the stack, the chain states or the reduction's masks: fewer bits.
        Assert.True(Bits(SumcheckSoundness.ZeroKnowledgeTerms(c, stack with { Queries = stack.Queries - 8 }, chain, mask)) < bits);
        Assert.True(Bits(SumcheckSoundness.ZeroKnowledgeTerms(c, stack, chain with { Queries = chain.Queries - 8 }, mask)) < bits);
        Assert.True(Bits(SumcheckSoundness.ZeroKnowledgeTerms(c, stack, chain, mask with { Queries = mask.Queries - 8 })) < bits);
        // Without grinding (16 bits per opening) these queries do not reach 100 bits composed.
        double plain = Bits(SumcheckSoundness.ZeroKnowledgeTerms(c, stack with { GrindingBits = 0 }, chain with { GrindingBits = 0 }, mask with { GrindingBits = 0 }));
        output.WriteLine($"784-128-10/64: {bits:F2} bits, {plain:F2} without grinding");
        Assert.True(plain < 100);
    }
}
