using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Backends.Stark;

namespace ZkMl.Training.Tests;

/// <summary>A depth-3 network with biases, proven and verified for two steps with each backend; a forged step is rejected.</summary>
public class DeepNetworkEndToEndTests
{
    private static readonly QuantizedNetworkConfig Config = new(NetworkDescription.Create(3, [3, 2], 2, bias: true)) { BatchSize = 2 };
    private static readonly byte[] Digest = Enumerable.Range(0, 32).Select(i => (byte)(3 * i + 5)).ToArray();

    [Theory]
    [InlineData(Backend.Groth16)]
    [InlineData(Backend.Stark)]
    public void TwoStepsProveAndVerifyAndAForgedStepIsRejected(Backend backend)
    {
        var rng = new Random(4);
        const int rows = 6;
        var data = new QuantizedDataset(3, Enumerable.Range(0, rows * 3).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Config.FractionBits)).ToArray(),
            Enumerable.Range(0, rows).Select(_ => rng.Next(2)).ToArray());
        var keys = TrainingSetup.Create(backend, Config, rows);
        Assert.Equal(Config, keys.Network);
        var committed = DatasetCommitment.Create(data, Config, backend);
        var prover = BackendRegistry.Prover(keys, ProvingEngines.Cpu);
        IStepVerifier verifier = backend == Backend.Groth16
            ? new Groth16StepVerifier(Config, keys.Groth16VerifyingKeys!)
            : new StarkBackend.Verifier(Config);

        // Non-zero biases so every bias path (forward, backward, update) carries values.
        var start = QuantizedNetwork.CreateInitial(Config, 9).Parameters.ToArray();
        for (int i = 0; i < start.Length; i++) start[i] += i % 7 - 3;
        var model = new QuantizedNetwork(Config, start);
        var salt = prover.NewSalt();
        int[][] batches = [[4, 1], [0, 5]];
        for (int t = 0; t < batches.Length; t++)
        {
            var next = model.Clone();
            next.Train(data, [batches[t]]);
            var nextSalt = prover.NewSalt();
            var statement = new StepStatement([.. Digest], t, [.. prover.CommitWeights(model, salt)], [.. prover.CommitWeights(next, nextSalt)],
                [.. committed.Root.Span], rows, [.. batches[t]]);
            var proof = prover.ProveStep(statement, model, salt, nextSalt, committed);
            Assert.True(verifier.VerifyStep(statement, proof));

            // Forged: the same proof for weights after the step that differ in one bias.
            var forgedParameters = next.Parameters.ToArray();
            forgedParameters[^1] += 1;
            var forged = statement with { CommitmentAfter = [.. prover.CommitWeights(new QuantizedNetwork(Config, forgedParameters), nextSalt)] };
            Assert.False(verifier.VerifyStep(forged, proof));
            Assert.False(verifier.VerifyStep(statement with { Step = t + 1 }, proof));
            (model, salt) = (next, nextSalt);
        }
    }

    [Fact]
    public void ShapesBeyondTheBackendsLimitsAreRefusedBeforeAllocating()
    {
        var huge = new QuantizedNetworkConfig(NetworkDescription.Create(256, [4096, 4096], 10, bias: true)) { BatchSize = 64 };
        var groth16 = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Groth16, huge, 1000));
        Assert.Equal(Backend.Groth16, groth16.Backend);
        Assert.True(groth16.Required > groth16.Limit);
        Assert.Contains("256-4096b-4096b-10b", groth16.Message);
        var stark = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Stark, huge, 1000));
        Assert.Equal("trace rows", stark.Quantity);
        Assert.Contains("256-4096b-4096b-10b", stark.Message);
        // Groth16's sample leaf is one Poseidon over the packed inputs: MNIST's 784 pixels need 38 elements and the label.
        var mnist = new QuantizedNetworkConfig(NetworkDescription.Create(784, [128], 10, bias: false)) { BatchSize = 64 };
        var leaf = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Groth16, mnist, 1000));
        Assert.Equal(16, leaf.Limit);
    }
}
