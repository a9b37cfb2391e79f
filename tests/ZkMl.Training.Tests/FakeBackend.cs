using System.Security.Cryptography;
using ZkMl.Circuits.Quantized;

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

    public byte[] CommitWeights(QuantizedMlp model) =>
        SHA256.HashData(TranscriptWeights.From(model) is var w ? w.W1.Concat(w.W2).SelectMany(BitConverter.GetBytes).ToArray() : []);

    public (byte[] Root, object Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
    {
        var root = SHA256.HashData(data.Inputs.ToArray().SelectMany(BitConverter.GetBytes).Concat(data.Labels.ToArray().SelectMany(BitConverter.GetBytes)).ToArray());
        _datasets[Convert.ToHexString(root)] = data;
        return (root, data);
    }

    public byte[] ProveStep(QuantizedMlp before, ReadOnlySpan<int> rows, DatasetCommitment data)
    {
        var w = TranscriptWeights.From(before);
        return w.W1.Concat(w.W2).Concat(rows.ToArray().Select(r => (long)r)).SelectMany(BitConverter.GetBytes).ToArray();
    }

    public bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, ReadOnlySpan<byte> proof)
    {
        var c = network;
        int n1 = c.Weights1Count, n2 = c.Weights2Count;
        if (proof.Length != 8 * (n1 + n2 + c.BatchSize)) return false;
        var values = new long[n1 + n2 + c.BatchSize];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToInt64(proof.Slice(8 * i, 8));
        var model = new QuantizedMlp(c, values.AsSpan(0, n1), values.AsSpan(n1, n2));
        if (!CommitWeights(model).AsSpan().SequenceEqual(commitBefore)) return false;
        if (!_datasets.TryGetValue(Convert.ToHexString(dataRoot), out var data)) return false;
        var rows = values.AsSpan(n1 + n2).ToArray().Select(v => (int)v).ToArray();
        if (rows.Any(r => r < 0 || r >= data.Count)) return false;
        var inputs = new long[c.BatchSize * c.InputSize];
        var labels = new int[c.BatchSize];
        data.GatherBatch(rows, inputs, labels);
        model.TrainStep(inputs, labels);
        return CommitWeights(model).AsSpan().SequenceEqual(commitAfter);
    }
}
