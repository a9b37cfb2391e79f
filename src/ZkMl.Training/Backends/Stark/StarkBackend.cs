using System.Buffers.Binary;
using System.Security.Cryptography;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Backends;
using ZkMl.Training.Air;

namespace ZkMl.Training.Backends.Stark;

/// <summary>
/// FRI STARK over Goldilocks (transparent, <see cref="StarkParameters.Secure100"/>). A step proof (format version 2: one
/// version byte, then one STARK proof) is one STARK over two AIRs sharing the W, batch and W' columns, with one transcript
/// and one query phase (<see cref="StepBindingStark.Prove"/>): W' is one exact quantized SGD step from W on the batch; every
/// batch sample, salted with its row's secret salt, is the Poseidon-Goldilocks leaf at its scheduled row position (from the
/// <see cref="StepStatement"/>) on a Merkle path to the data-set root; W and W' hash with their salts to the chain's public
/// weight commitments; the contract digest and step index are public inputs.
/// Weight commitments are salted Poseidon-Goldilocks digests (<see cref="StepBindingStark.WeightsCommitment"/>, 32 bytes,
/// 64-byte salts), cheap enough to commit every state of a long run; the data-set root is a <see cref="GoldilocksMerkleTree"/> root.
/// </summary>
internal static class StarkBackend
{
    private const byte FormatVersion = 2;
    private const int SeedBytes = 32;
    private const int SaltBytes = 8 * StepBindingStark.SaltSize;

    /// <summary>The parameters of every STARK step proof (>= 100 bits, zero knowledge).</summary>
    internal static StarkParameters Parameters => StarkParameters.Secure100;

    internal static TrainingKeys Setup(QuantizedNetworkConfig network, int datasetRows)
    {
        // Checked up front, not after training: the AIRs must take this shape, and the prover's trace must fit in memory.
        BackendCapacity.CheckStark(network, datasetRows);
        return new TrainingKeys(Backend.Stark, network, datasetRows, provingKey: null);
    }

    private static Goldilocks[] ReadSalt(ReadOnlySpan<byte> bytes, string what)
    {
        if (bytes.Length != SaltBytes) throw new ArgumentException($"{what} must be {SaltBytes} bytes, got {bytes.Length}.");
        var salt = new Goldilocks[StepBindingStark.SaltSize];
        for (int i = 0; i < salt.Length; i++)
            if (!Goldilocks.TryReadBytes(bytes.Slice(8 * i, 8), out salt[i])) throw new ArgumentException($"{what} is not canonical Goldilocks elements.");
        return salt;
    }

    private static byte[] NewSalt()
    {
        var salt = new byte[SaltBytes];
        for (int i = 0; i < StepBindingStark.SaltSize; i++) FieldMath.RandomSecure<Goldilocks>().WriteBytes(salt.AsSpan(8 * i, 8));
        return salt;
    }

    internal static byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) =>
        GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(model.Config, model.Parameters, ReadSalt(salt, "salt")));

    internal sealed class Committer(QuantizedNetworkConfig network) : IDatasetCommitter
    {
        public int SaltLength => SaltBytes;

        public byte[] NewSalts(int count)
        {
            var salts = new byte[count * SaltBytes];
            for (int i = 0; i < count; i++) NewSalt().CopyTo(salts, i * SaltBytes);
            return salts;
        }

        public (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
        {
            if (salts.Length != data.Count * SaltBytes) throw new ArgumentException($"Expected {data.Count * SaltBytes} salt bytes.", nameof(salts));
            var saltValues = new Goldilocks[data.Count][];
            for (int i = 0; i < data.Count; i++) saltValues[i] = ReadSalt(salts.Slice(i * SaltBytes, SaltBytes), $"row {i}'s salt");
            var leaves = new Goldilocks[data.Count][];
            Parallel.For(0, data.Count, i => leaves[i] = StepBindingStark.RowLeaf(network, data.Row(i), data.Labels[i], saltValues[i]));
            var tree = new GoldilocksMerkleTree(leaves);
            return (GoldilocksPoseidon.DigestToBytes(tree.Root), new Openings(tree, saltValues));
        }
    }

    internal sealed record Openings(GoldilocksMerkleTree Tree, Goldilocks[][] Salts) : DatasetOpenings;

    internal sealed class Prover(TrainingKeys keys, ProvingEngines engines) : IStepProver
    {
        public Backend Backend => Backend.Stark;
        public QuantizedNetworkConfig Network => keys.Network;

        public byte[] NewSalt() => StarkBackend.NewSalt();

        public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data)
        {
            var openings = (Openings)data.Openings;
            var (inputs, labels) = data.Batch(statement.Rows.AsSpan());
            var step = StepBindingStark.Prove(Network, statement, openings.Tree, r => openings.Salts[r], inputs, labels, before.Parameters,
                ReadSalt(saltBefore, "salt before"), ReadSalt(saltAfter, "salt after"), Parameters, engines.GoldilocksNtt);
            var bytes = new byte[1 + step.Proof.Length];
            bytes[0] = FormatVersion;
            step.Proof.CopyTo(bytes, 1);
            return bytes;
        }
    }

    internal sealed class Verifier(QuantizedNetworkConfig network) : IStepVerifier
    {
        public Backend Backend => Backend.Stark;
        public QuantizedNetworkConfig Network => network;

        public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof) =>
            proof.Length > 1 && proof[0] == FormatVersion && StepBindingStark.Verify(network, statement, proof[1..], Parameters, out _);
    }
}
