using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training.Tests;

/// <summary>
/// A transparent test double (NOT a proof system): the "proof" reveals the weights before the step and the batch rows with their
/// indices, and verification replays the step. It exercises the chain, plan, transcript and tamper logic independently of the
/// real backends.
/// </summary>
internal sealed class FakeBackend(QuantizedMlpConfig network) : IStepProver, IStepVerifier, IDatasetCommitter
{
    private readonly Dictionary<string, QuantizedDataset> _datasets = new();

    public Backend Backend => Backend.Stark;
    public QuantizedMlpConfig Network => network;
    public byte[]? VerifyingKey => null;
    public int SaltLength => 1;
    public byte[] NewSalts(int count) => new byte[count];

    public byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) =>
        SHA256.HashData(model.Weights1.ToArray().Concat(model.Weights2.ToArray()).SelectMany(BitConverter.GetBytes).Concat(salt.ToArray()).ToArray());

    public (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
    {
        var root = SHA256.HashData(data.Inputs.ToArray().SelectMany(BitConverter.GetBytes).Concat(data.Labels.ToArray().SelectMany(BitConverter.GetBytes)).ToArray());
        _datasets[Convert.ToHexString(root)] = data;
        return (root, new Openings(data));
    }

    private sealed record Openings(QuantizedDataset Data) : DatasetOpenings;

    public byte[] ProveStep(StepStatement statement, QuantizedMlp before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data) =>
        before.Weights1.ToArray().Concat(before.Weights2.ToArray()).Concat(statement.Rows.Select(r => (long)r)).SelectMany(BitConverter.GetBytes)
            .Concat(saltBefore.ToArray()).Concat(saltAfter.ToArray()).ToArray();

    public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
    {
        ReadOnlySpan<byte> commitBefore = statement.CommitmentBefore.AsSpan(), commitAfter = statement.CommitmentAfter.AsSpan(),
            dataRoot = statement.DatasetRoot.AsSpan();
        var c = network;
        int n1 = c.Weights1Count, n2 = c.Weights2Count;
        int words = n1 + n2 + c.BatchSize;
        if (proof.Length != 8 * words + 32) return false;
        var values = new long[words];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToInt64(proof.Slice(8 * i, 8));
        var saltBefore = proof.Slice(8 * words, 16);
        var saltAfter = proof.Slice(8 * words + 16, 16);
        var model = new QuantizedMlp(c, values.AsSpan(0, n1), values.AsSpan(n1, n2));
        if (!CommitWeights(model, saltBefore).AsSpan().SequenceEqual(commitBefore)) return false;
        if (!_datasets.TryGetValue(Convert.ToHexString(dataRoot), out var data)) return false;
        var rows = values.AsSpan(n1 + n2).ToArray().Select(v => (int)v).ToArray();
        if (rows.Any(r => r < 0 || r >= data.Count)) return false;
        var inputs = new long[c.BatchSize * c.InputSize];
        var labels = new int[c.BatchSize];
        data.GatherBatch(rows, inputs, labels);
        model.TrainStep(inputs, labels);
        return CommitWeights(model, saltAfter).AsSpan().SequenceEqual(commitAfter);
    }
}
