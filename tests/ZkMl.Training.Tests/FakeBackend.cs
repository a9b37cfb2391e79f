using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training.Tests;

/// <summary>
/// A transparent test double (NOT a proof system): the "proof" reveals the contract digest and step it was made for, the
/// weights before the step and both salts; verification takes everything else from the <see cref="StepStatement"/> (rows,
/// commitments, dataset root) and replays the step. It exercises the protocol, transcript and tamper logic independently
/// of the real backends.
/// </summary>
internal sealed class FakeBackend(QuantizedMlpConfig network) : IStepProver, IStepVerifier, IDatasetCommitter
{
    private const int SaltBytes = 16;
    private readonly Dictionary<string, QuantizedDataset> _datasets = new();

    public Backend Backend => Backend.Stark;
    public QuantizedNetworkConfig Network => QuantizedNetworkConfig.FromMlp(network);
    public QuantizedMlpConfig Config => network;
    public byte[]? VerifyingKey => null;
    public int SaltLength => 1;
    public byte[] NewSalts(int count) => new byte[count];

    public byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltBytes) throw new ArgumentException($"A salt is {SaltBytes} bytes.", nameof(salt));
        return SHA256.HashData(model.Parameters.ToArray().SelectMany(BitConverter.GetBytes).Concat(salt.ToArray()).ToArray());
    }

    public (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
    {
        var root = SHA256.HashData(data.Inputs.ToArray().SelectMany(BitConverter.GetBytes).Concat(data.Labels.ToArray().SelectMany(BitConverter.GetBytes)).ToArray());
        _datasets[Convert.ToHexString(root)] = data;
        return (root, new Openings(data));
    }

    private sealed record Openings(QuantizedDataset Data) : DatasetOpenings;

    public byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data) =>
        [.. statement.ContractDigest, .. BitConverter.GetBytes(statement.Step),
            .. before.Parameters.ToArray().SelectMany(BitConverter.GetBytes), .. saltBefore, .. saltAfter];

    public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
    {
        var c = network;
        int weights = c.Weights1Count + c.Weights2Count;
        if (proof.Length != 32 + 4 + 8 * weights + 2 * SaltBytes) return false;
        if (!proof[..32].SequenceEqual(statement.ContractDigest.AsSpan()) || BitConverter.ToInt32(proof.Slice(32, 4)) != statement.Step) return false;
        var values = new long[weights];
        for (int i = 0; i < values.Length; i++) values[i] = BitConverter.ToInt64(proof.Slice(36 + 8 * i, 8));
        var saltBefore = proof.Slice(36 + 8 * weights, SaltBytes);
        var saltAfter = proof.Slice(36 + 8 * weights + SaltBytes, SaltBytes);
        var model = new QuantizedMlp(c, values.AsSpan(0, c.Weights1Count), values.AsSpan(c.Weights1Count));
        if (!CommitWeights(QuantizedNetwork.FromMlp(model), saltBefore).AsSpan().SequenceEqual(statement.CommitmentBefore.AsSpan())) return false;
        if (!_datasets.TryGetValue(Convert.ToHexString(statement.DatasetRoot.AsSpan()), out var data) || data.Count != statement.DatasetRows) return false;
        var rows = statement.Rows.ToArray();
        if (rows.Length != c.BatchSize || rows.Any(r => r < 0 || r >= data.Count)) return false;
        var inputs = new long[c.BatchSize * c.InputSize];
        var labels = new int[c.BatchSize];
        data.GatherBatch(rows, inputs, labels);
        model.TrainStep(inputs, labels);
        return CommitWeights(QuantizedNetwork.FromMlp(model), saltAfter).AsSpan().SequenceEqual(statement.CommitmentAfter.AsSpan());
    }
}
