using FsCheck.Xunit;
using ZkMl.Circuits;
using ZkMl.Models;
using ZkMl.Tests.Shared;
using ZkMl.Training.Circuits;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Training.Tests.Circuits;

/// <summary>The SGD-step circuit for networks of any depth, with and without biases, against <see cref="QuantizedNetwork"/>.</summary>
public class SgdStepDepthTests
{
    [Property(MaxTest = 24)]
    public void CircuitEqualsQuantizedNetworkExactlyAndATamperedWitnessFails(int seed)
    {
        var rng = new Random(seed);
        int f = rng.Next(4, 7);
        var (config, parameters, inputs, labels) = RandomNetworks.Step(seed, f, rng.Next(0, 6), rng.Next(f + 4, f + 12), f + 1);
        var stepInputs = new SgdStepInputs<F>(parameters, inputs, labels, F.Random(rng), F.Random(rng), F.Random(rng));
        var (after, error) = RandomNetworks.Reference(config, parameters, inputs, labels);
        if (error != null)
        {
            Assert.Throws<FixedPointOverflowException>(() => SgdStepCircuit<F>.Build(config, stepInputs));
            var lenient = SgdStepCircuit<F>.Build(config, stepInputs, strict: false);
            Assert.False(lenient.Circuit.System.IsSatisfied(lenient.Circuit.Witness));
            return;
        }
        var step = SgdStepCircuit<F>.Build(config, stepInputs);
        var c = step.Circuit;
        Assert.True(c.System.IsSatisfied(c.Witness, out var failure), failure?.Description);
        Assert.Equal(after, step.UpdatedParameters);
        Assert.Equal(TrainingCommitments.Parameters(config.ValueBits, parameters, stepInputs.SaltBefore), step.WeightsBeforeCommitment);
        Assert.Equal(TrainingCommitments.Parameters(config.ValueBits, after, stepInputs.SaltAfter), step.WeightsAfterCommitment);
        Assert.Equal(SgdStepCircuit<F>.BuildShape(config).Constraints.Count, c.System.ConstraintCount);

        // A tampered witness fails: any private wire that is bound (not a free IsZero hint of 0), changed by one.
        var free = new HashSet<int>(CircuitWires.Unbound(c));
        int first = 1 + c.System.PublicInputCount;
        var bound = Enumerable.Range(first, c.Witness.Length - first).Where(i => !free.Contains(i)).ToArray();
        for (int t = 0; t < 3; t++)
        {
            var w = (F[])c.Witness.Clone();
            w[bound[rng.Next(bound.Length)]] += F.One;
            Assert.False(c.System.IsSatisfied(w));
        }
        // The weights after the step: claiming W' + 1 for one parameter changes the public commitment, which no witness matches.
        var forgedAfter = (long[])after!.Clone();
        forgedAfter[rng.Next(forgedAfter.Length)] += 1;
        var forged = (F[])c.Witness.Clone();
        forged[2] = TrainingCommitments.Parameters(config.ValueBits, forgedAfter, stepInputs.SaltAfter);
        Assert.False(c.System.IsSatisfied(forged));
    }

    /// <summary>SHA-256 of the circom .r1cs of the two-layer circuit before it was generalised (commit fa58aa2): unchanged.</summary>
    [Theory]
    [InlineData(false, "B3C20D1D00C5E9E2E8501B8A2DD12774DD0661A08C0938F751A15BB37FE74463")]
    [InlineData(true, "01FFADAB4DCBF372AF9615C16A9F88BB6F9C8BCB66EFAE8F3B3A4008CF205A57")]
    public void TwoLayersWithoutBiasesIsTheTwoLayerCircuitExactly(bool defaults, string sha256)
    {
        var mlp = defaults
            ? new QuantizedMlpConfig { BatchSize = 2 }
            : new QuantizedMlpConfig { InputSize = 3, HiddenSize = 2, OutputSize = 2, BatchSize = 2, FractionBits = 4, ValueBits = 10, LearningRateNumerator = 3, LearningRateShift = 1 };
        using var stream = new MemoryStream();
        ZkMl.Circuits.Circom.CircomR1cs.Write(SgdStepCircuit<F>.BuildShape(QuantizedNetworkConfig.FromMlp(mlp)), stream);
        Assert.Equal(sha256, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream.ToArray())));
    }

    [Fact]
    public void ConstraintCountWithoutBuildingIsExact()
    {
        foreach (var (network, batch) in new[] { (NetworkDescription.Create(6, [5, 4], 3, true), 3), (NetworkDescription.TwoLayer(8, 6, 4), 4),
            (NetworkDescription.Create(4, [], 3, true), 2), (NetworkDescription.Create(40, [3], 2, false), 1) })
        {
            var config = new QuantizedNetworkConfig(network) { BatchSize = batch };
            Assert.Equal(SgdStepCircuit<F>.BuildShape(config).Constraints.Count, SgdStepCircuit<F>.CountConstraints(config));
        }
    }
}
