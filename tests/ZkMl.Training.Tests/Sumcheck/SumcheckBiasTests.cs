using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Networks with biases through the sumcheck backend: each step's proof verifies against the reference trainer's
/// parameters (bit for bit: the commitment after is computed from them, biases included), a bias or a weight of any
/// layer tampered before or after the step is rejected, and a prover that commits a wrong bias update or skips the bias
/// addition is rejected.
/// </summary>
public class SumcheckBiasTests(ITestOutputHelper output)
{
    private static readonly byte[] Digest = Enumerable.Range(0, 32).Select(i => (byte)(5 * i + 3)).ToArray();

    /// <summary>4-3b-3b (batch 3: one padded row, which the bias must not reach) and 4-3b-3-3b (mixed).</summary>
    public static TheoryData<bool[], int> Networks() => new()
    {
        { new[] { true, true }, 3 },
        { new[] { true, false, true }, 2 },
        { new[] { false, true }, 2 },
    };

    private static QuantizedNetworkConfig Config(bool[] bias, int batch) =>
        new(new NetworkDescription(4, bias.Select(b => new DenseLayer(3, b)))) { BatchSize = batch };

    /// <summary>Seeded initial weights with non-zero biases (the seeded rule starts them at zero).</summary>
    private static QuantizedNetwork Initial(QuantizedNetworkConfig config)
    {
        var model = QuantizedNetwork.CreateInitial(config, 5);
        var parameters = model.Parameters.ToArray();
        var rng = new Random(3);
        long offset = 0;
        for (int l = 0; l < config.Network.Layers.Count; l++)
        {
            offset += config.Network.WeightCount(l);
            if (!config.Network.Layers[l].HasBias) continue;
            for (int i = 0; i < config.Network.Layers[l].Width; i++) parameters[offset + i] = rng.Next(-300, 300);
            offset += config.Network.Layers[l].Width;
        }
        return new QuantizedNetwork(config, parameters);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void StepsMatchTheReferenceAndTamperedBiasesAreRejected(bool[] bias, int batch)
    {
        var config = Config(bias, batch);
        var rng = new Random(11);
        const int rows = 6;
        var data = new QuantizedDataset(4, Enumerable.Range(0, rows * 4).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), config.FractionBits)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => rng.Next(3)).ToArray());
        var keys = TrainingSetup.Create(Backend.Sumcheck, config, rows);
        var committed = DatasetCommitment.Create(data, config, Backend.Sumcheck);
        var prover = BackendRegistry.Prover(keys, ProvingEngines.Cpu);
        var verifier = new SumcheckBackend.Verifier(config);
        var model = Initial(config);
        var salt = prover.NewSalt();
        int[][] batches = [[.. Enumerable.Range(0, batch).Select(i => (4 + i) % rows)], [.. Enumerable.Range(0, batch).Select(i => (2 * i + 1) % rows)]];
        for (int t = 0; t < batches.Length; t++)
        {
            var next = model.Clone();
            next.Train(data, [batches[t]]);
            var nextSalt = prover.NewSalt();
            foreach (int l in StepTables.BiasLayersOf(config)) Assert.False(next.Biases(l).SequenceEqual(model.Biases(l)));
            var statement = new StepStatement([.. Digest], t, [.. prover.CommitWeights(model, salt)], [.. prover.CommitWeights(next, nextSalt)],
                [.. committed.Root.Span], rows, [.. batches[t]]);
            var proof = prover.ProveStep(statement, model, salt, nextSalt, committed);
            Assert.True(verifier.VerifyStep(statement, proof));
            output.WriteLine($"{config.Network} step {t}: {proof.Length} bytes, {SumcheckSoundness.ZeroKnowledgeBits(config):F2} bits");

            for (int l = 0; l < config.Network.Layers.Count; l++)
            {
                Assert.False(verifier.VerifyStep(statement with { CommitmentAfter = [.. prover.CommitWeights(Tampered(next, l, bias: false), nextSalt)] }, proof));
                Assert.False(verifier.VerifyStep(statement with { CommitmentBefore = [.. prover.CommitWeights(Tampered(model, l, bias: false), salt)] }, proof));
                if (!bias[l]) continue;
                Assert.False(verifier.VerifyStep(statement with { CommitmentAfter = [.. prover.CommitWeights(Tampered(next, l, bias: true), nextSalt)] }, proof));
                Assert.False(verifier.VerifyStep(statement with { CommitmentBefore = [.. prover.CommitWeights(Tampered(model, l, bias: true), salt)] }, proof));
            }
            var flipped = (byte[])proof.Clone();
            flipped[proof.Length / 3] ^= 1;
            Assert.False(verifier.VerifyStep(statement, flipped));
            (model, salt) = (next, nextSalt);
        }
    }

    [Fact]
    public void AProverThatForgesTheBiasUpdateOrSkipsTheBiasIsRejected()
    {
        var config = Config([true, true], 3);
        var model = Initial(config);
        long[] inputs = [0, 1024, 512, 64, 1024, 1024, 0, 256, 128, 0, 768, 1024];
        int[] labels = [2, 0, 1];
        var weights = Enumerable.Range(0, 2).Select(l => model.Weights(l).ToArray()).ToArray();
        var biases = Enumerable.Range(0, 2).Select(l => model.Biases(l).ToArray()).ToArray();

        // The reference's update, and the honest proof.
        var next = model.Clone();
        next.TrainStep(inputs, labels);
        Assert.True(Verify(Tables(), t => { }, out var after));
        Assert.Equal(SumcheckStepProof.WeightsCommitment(next, SumcheckStepProofTests.Salt(1)).Digest, after);

        // A bias after the step off by one (its decrement kept), in either layer.
        Assert.False(Verify(Tables(), t => t.BiasesAfter[0][1] += 1, out _));
        Assert.False(Verify(Tables(), t => t.BiasesAfter[1][0] -= 1, out _));
        // The decrement forged to match (the bias difference holds; the column-sum product does not).
        Assert.False(Verify(Tables(), t => { t.BiasesAfter[1][2] += 1; t.DeltaB[1][2] -= 1; }, out _));
        // The bias left out of z (Z = Z0): the addition's identity fails.
        Assert.False(Verify(Tables(), t => t.Z[1].AsSpan().Clear(), out _));
        Assert.False(Verify(Tables(), t => t.Z0[1].AsSpan().Clear(), out _));

        StepTables Tables() => new(config, weights, biases, inputs, labels);

        bool Verify(StepTables tables, Action<StepTables> forge, out byte[] afterDigest)
        {
            forge(tables);
            var (w, _) = SumcheckStepProof.WeightsCommitment(config, weights, biases, SumcheckStepProofTests.Salt(0));
            (var wAfter, afterDigest) = SumcheckStepProof.WeightsCommitment(config,
                [.. Enumerable.Range(0, 2).Select(l => StepTables.Unpad(tables.WeightsAfter[l], 3, config.Network.FanIn(l), 4))],
                [.. Enumerable.Range(0, 2).Select(l => tables.BiasesAfter[l][..3])], SumcheckStepProofTests.Salt(1));
            byte[] proof;
            var salts = ZeroKnowledgeSteps.Salts(config.BatchSize, 0);
            try
            {
                proof = SumcheckStep.ProveZeroKnowledge(Digest, config, tables, w, wAfter, salts);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false; // a forged table the honest limb decomposition refuses
            }
            return SumcheckStep.VerifyZeroKnowledge(Digest, config, ZeroKnowledgeSteps.Digests(config, tables, salts), w.Commitment, wAfter.Commitment, proof);
        }
    }

    [Fact]
    public void BiasedNetworksOfEveryDepthKeepTheSecurityLevel()
    {
        for (int depth = 1; depth <= NetworkDescription.MaxLayers; depth++)
        {
            var config = new QuantizedNetworkConfig(NetworkDescription.Create(64, Enumerable.Repeat(32, depth - 1), 10, bias: true)) { BatchSize = 16 };
            double bits = SumcheckSoundness.ZeroKnowledgeBits(config);
            output.WriteLine($"{config.Network} batch 16: {bits:F2} bits");
            Assert.True(bits >= SumcheckBackend.SecurityBits);
            TrainingSetup.Create(Backend.Sumcheck, config, 100);
        }
        var mnist = new QuantizedNetworkConfig(NetworkDescription.Create(784, [128], 10, bias: true)) { BatchSize = 64 };
        output.WriteLine($"{mnist.Network} batch 64: {SumcheckSoundness.ZeroKnowledgeBits(mnist):F2} bits");
        Assert.True(SumcheckSoundness.ZeroKnowledgeBits(mnist) >= SumcheckBackend.SecurityBits);
    }

    [Fact]
    public void ANetworkWithoutBiasesKeepsItsCommitment()
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(4, [3], 3, bias: false)) { BatchSize = 2 };
        var model = QuantizedNetwork.CreateInitial(config, 5);
        var salt = SumcheckStepProofTests.Salt(0);
        var (state, digest) = SumcheckStepProof.WeightsCommitment(model, salt);
        Assert.Equal(WeightStateLayout.For(config).Variables, state.Commitment.Variables);
        Assert.Equal(SumcheckStepProof.WeightsCommitment(config, [model.Weights(0).ToArray(), model.Weights(1).ToArray()], salt).Digest, digest);
        var biased = Config([true, true], 2);
        Assert.Throws<ArgumentException>(() => SumcheckStepProof.WeightsCommitment(biased, [model.Weights(0).ToArray(), model.Weights(1).ToArray()], salt));
    }

    /// <summary><paramref name="model"/> with the first weight, or the first bias, of layer <paramref name="layer"/> moved by one.</summary>
    private static QuantizedNetwork Tampered(QuantizedNetwork model, int layer, bool bias)
    {
        var parameters = model.Parameters.ToArray();
        var net = model.Network;
        long offset = Enumerable.Range(0, layer).Sum(l => net.WeightCount(l) + (net.Layers[l].HasBias ? net.Layers[l].Width : 0)) + (bias ? net.WeightCount(layer) : 0);
        parameters[offset] += parameters[offset] < model.Config.MaxValue ? 1 : -1;
        return new QuantizedNetwork(model.Config, parameters);
    }
}
