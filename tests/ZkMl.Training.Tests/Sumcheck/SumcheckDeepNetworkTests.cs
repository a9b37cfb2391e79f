using Xunit.Abstractions;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// Networks other than two layers (no biases) through the sumcheck backend's step prover and verifier: each step's proof
/// verifies against the reference trainer's weights (bit for bit: the commitment after is computed from them), and
/// tampered weights of any layer, before or after, are rejected.
/// </summary>
public class SumcheckDeepNetworkTests(ITestOutputHelper output)
{
    private static readonly byte[] Digest = Enumerable.Range(0, 32).Select(i => (byte)(7 * i + 1)).ToArray();

    [Theory]
    [InlineData(new[] { 3, 3 })]
    [InlineData(new int[0])]
    [InlineData(new[] { 3, 3, 3, 3, 3, 3, 3 })]
    public void StepsMatchTheReferenceAndTamperedLayersAreRejected(int[] hidden)
    {
        var config = new QuantizedNetworkConfig(NetworkDescription.Create(4, hidden, 3, bias: false)) { BatchSize = 2 };
        var rng = new Random(11);
        const int rows = 6;
        var data = new QuantizedDataset(4, Enumerable.Range(0, rows * 4).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), config.FractionBits)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => rng.Next(3)).ToArray());
        var keys = TrainingSetup.Create(Backend.Sumcheck, config, rows);
        var committed = DatasetCommitment.Create(data, config, Backend.Sumcheck);
        var prover = BackendRegistry.Prover(keys, ProvingEngines.Cpu);
        var verifier = new SumcheckBackend.Verifier(config);
        var model = QuantizedNetwork.CreateInitial(config, 5);
        var salt = prover.NewSalt();
        int[][] batches = [[4, 1], [0, 5]];
        for (int t = 0; t < batches.Length; t++)
        {
            var next = model.Clone();
            next.Train(data, [batches[t]]);
            var nextSalt = prover.NewSalt();
            if (hidden.Length <= 2) Assert.False(next.ParametersEqual(model)); // eight narrow layers may update nothing: still a step to prove
            var statement = new StepStatement([.. Digest], t, [.. prover.CommitWeights(model, salt)], [.. prover.CommitWeights(next, nextSalt)],
                [.. committed.Root.Span], rows, [.. batches[t]]);
            var proof = prover.ProveStep(statement, model, salt, nextSalt, committed);
            Assert.True(verifier.VerifyStep(statement, proof));

            // One weight of each layer changed, after the step and before it.
            for (int l = 0; l < config.Network.Layers.Count; l++)
            {
                Assert.False(verifier.VerifyStep(statement with { CommitmentAfter = [.. prover.CommitWeights(Tampered(next, l), nextSalt)] }, proof));
                Assert.False(verifier.VerifyStep(statement with { CommitmentBefore = [.. prover.CommitWeights(Tampered(model, l), salt)] }, proof));
            }
            Assert.False(verifier.VerifyStep(statement with { Step = t + 1 }, proof));
            var flipped = (byte[])proof.Clone();
            flipped[proof.Length / 2] ^= 1;
            Assert.False(verifier.VerifyStep(statement, flipped));
            (model, salt) = (next, nextSalt);
        }
    }

    [Fact]
    public void EveryDepthKeepsTheSecurityLevel()
    {
        for (int depth = 1; depth <= NetworkDescription.MaxLayers; depth++)
        {
            var config = new QuantizedNetworkConfig(NetworkDescription.Create(64, Enumerable.Repeat(32, depth - 1), 10, bias: false)) { BatchSize = 16 };
            double bits = SumcheckSoundness.ZeroKnowledgeBits(config);
            output.WriteLine($"{config.Network} batch 16: {bits:F2} bits");
            Assert.True(bits >= SumcheckBackend.SecurityBits);
            TrainingSetup.Create(Backend.Sumcheck, config, 100);
        }
    }

    /// <summary><paramref name="model"/> with the first weight of layer <paramref name="layer"/> moved by one.</summary>
    private static QuantizedNetwork Tampered(QuantizedNetwork model, int layer)
    {
        var parameters = model.Parameters.ToArray();
        long offset = Enumerable.Range(0, layer).Sum(l => model.Network.WeightCount(l));
        parameters[offset] += parameters[offset] < model.Config.MaxValue ? 1 : -1;
        return new QuantizedNetwork(model.Config, parameters);
    }
}
