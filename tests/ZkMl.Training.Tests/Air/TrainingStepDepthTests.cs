using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Stark;
using ZkMl.Stark.Internal;
using ZkMl.Training.Air;
using static ZkMl.Training.Air.StepColumn;

namespace ZkMl.Training.Tests.Air;

/// <summary>The training-step AIR for networks of any depth, with and without biases, against <see cref="QuantizedNetwork"/>.</summary>
public class TrainingStepDepthTests
{
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;

    // The AIR's limits: f <= 12 < f + s <= 24 < B <= 36, operands within 24 bits.
    private static (QuantizedNetworkConfig Config, long[] Parameters, long[] Inputs, int[] Labels) RandomStep(int seed) =>
        RandomNetworks.Step(seed, 10, 3 + (int)((uint)seed % 6), 32, 11);

    [Property(MaxTest = 16)]
    public void TraceEqualsQuantizedNetworkExactlyAndATamperedTraceFails(int seed)
    {
        var (config, parameters, inputs, labels) = RandomStep(seed);
        var (after, error) = RandomNetworks.Reference(config, parameters, inputs, labels);
        var air = new TrainingStepAir(config);
        if (error != null)
        {
            Assert.Throws<FixedPointOverflowException>(() => TrainingTraceBuilder.Build(air, parameters, inputs, labels));
            return;
        }
        var witness = TrainingTraceBuilder.Build(air, parameters, inputs, labels);
        Assert.Equal(after, witness.ParametersAfter);
        AirChecker.Check(air, witness.Trace);

        // Claiming another updated parameter (the weights-after column) breaks the memory bus.
        var rng = new Random(seed);
        var t = new Columns<StepColumn>(witness.Trace.Select(c => (Goldilocks[])c.Clone()).ToArray());
        t[WN][rng.Next(parameters.Length)] += Goldilocks.One;
        Assert.ThrowsAny<Exception>(() => AirChecker.Check(air, t.Values));
    }

    [Fact]
    public void DepthThreeWithBiasesProvesAndVerifiesAndAForgedUpdateIsRejected()
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(4, [3, 3], 2, bias: true)) { BatchSize = 2 };
        var net = QuantizedNetwork.CreateInitial(config, 7);
        var biased = net.Parameters.ToArray();
        for (int i = 0; i < biased.Length; i++) biased[i] += i % 5 - 2; // non-zero biases
        net = new QuantizedNetwork(config, biased);
        var rng = new Random(2);
        var inputs = Enumerable.Range(0, 2 * 4).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), 10)).ToArray();
        int[] labels = [1, 0];
        var seeds = TrainingStepSeeds.CreateRandom();
        var step = TrainingStepStark.Prove(config, net.Parameters, inputs, labels, seeds, Fast);
        var reference = net.Clone();
        reference.TrainStep(inputs, labels);
        Assert.Equal(reference.Parameters.ToArray(), step.ParametersAfter);
        Assert.True(TrainingStepStark.Verify(config, step.Commitments, step.Proof, Fast, out var why), why);
        Assert.Equal(step.Commitments.WeightsAfter, TrainingStepStark.CommitWeights(config, step.ParametersAfter, seeds.WeightsAfter, Fast));
        // Another network (no biases) is another AIR.
        var plain = new QuantizedNetworkConfig(NetworkDescription.Create(4, [3, 3], 2, bias: false)) { BatchSize = 2 };
        Assert.False(TrainingStepStark.Verify(plain, step.Commitments, step.Proof, Fast));

        // A forged update of the last bias: the prover is refused and a proof made anyway is rejected.
        var air = new TrainingStepAir(config);
        var witness = TrainingTraceBuilder.Build(air, net.Parameters, inputs, labels);
        var t = new Columns<StepColumn>(witness.Trace);
        t[WN][biased.Length - 1] += Goldilocks.One;
        Assert.ThrowsAny<Exception>(() => StarkProver.Prove(air, t.Values, Fast));
        var forged = StarkProver.Prove(air, t.Values, Fast, null, checkTrace: false);
        Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), Fast));
    }

    [Fact]
    public void TwoLayersWithoutBiasesKeepTheTwoLayerAir()
    {
        var mlp = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 2, BatchSize = 2 };
        var air = new TrainingStepAir(QuantizedNetworkConfig.FromMlp(mlp));
        Assert.Equal("ZkMl.Training.SgdStep/v1/4-3-2/b2/f10/lr13>>11/B32", air.Identifier);
        Assert.Equal(Columns<StepPeriodic>.Count, air.PeriodicColumns.Count);
        Assert.DoesNotContain(air.Lookups, l => l.Name.Contains("constant"));
    }
}
