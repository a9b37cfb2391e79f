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
/// FRI STARK over Goldilocks (transparent, <see cref="StarkParameters.Secure100"/>). A step proof is two STARKs:
/// <list type="number">
/// <item>the training-step proof (<see cref="TrainingStepStark"/>): W' is one exact quantized SGD step from W on a batch,
/// with W, the batch and W' committed as three seeded Merkle roots (fresh seeds per proof);</item>
/// <item>the binding proof (<see cref="StepBindingStark"/>) over the same three columns (same seeds, so the same roots):
/// every batch sample, salted with its row's secret salt, is a Poseidon-Goldilocks leaf on a Merkle path to the data-set
/// root, and W and W' hash with their salts to the chain's public weight commitments.</item>
/// </list>
/// Weight commitments are salted Poseidon-Goldilocks digests (<see cref="StepBindingStark.WeightsCommitment"/>, 32 bytes,
/// 64-byte salts), cheap enough to commit every state of a long run; the data-set root is a <see cref="GoldilocksMerkleTree"/> root.
/// </summary>
internal static class StarkBackend
{
    private const byte FormatVersion = 1;
    private const int SeedBytes = 32;
    private const int SaltBytes = 8 * StepBindingStark.SaltSize;

    /// <summary>The parameters of every STARK step proof (>= 100 bits, zero knowledge).</summary>
    internal static StarkParameters Parameters => StarkParameters.Secure100;

    internal static TrainingKeys Setup(QuantizedMlpConfig network, int datasetRows)
    {
        // Checked up front, not after training: the AIRs must take this shape.
        if (!StepBindingStark.Supports(network, datasetRows))
            throw new NotSupportedException($"The STARK binding layout for {datasetRows} data-set rows does not fit the training step's trace.");
        return new TrainingKeys(Backend.Stark, network, datasetRows, verifyingKey: null, provingKey: null);
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

    internal static byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) =>
        GoldilocksPoseidon.DigestToBytes(StepBindingStark.WeightsCommitment(model.Config, model.Weights1, model.Weights2, ReadSalt(salt, "salt")));

    internal sealed class Committer(QuantizedMlpConfig network) : IDatasetCommitter
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

    internal sealed class Prover(TrainingKeys keys) : IStepProver
    {
        public Backend Backend => Backend.Stark;
        public QuantizedMlpConfig Network => keys.Network;
        public byte[]? VerifyingKey => null;

        public byte[] NewSalt() => StarkBackend.NewSalt();

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public byte[] ProveStep(StepStatement statement, QuantizedMlp before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data)
        {
            var rows = statement.Rows.AsSpan();
            var c = Network;
            var openings = (Openings)data.Openings;
            var (inputs, labels) = data.Batch(rows);
            var seeds = TrainingStepSeeds.CreateRandom();
            var step = TrainingStepStark.Prove(c, before.Weights1, before.Weights2, inputs, labels, seeds, Parameters);
            var binding = StepBindingStark.Prove(c, openings.Tree, rows, r => openings.Salts[r], inputs, labels,
                before.Weights1, before.Weights2, ReadSalt(saltBefore, "salt before"),
                step.Weights1After, step.Weights2After, ReadSalt(saltAfter, "salt after"), seeds, Parameters);
            byte[] b = binding.ToBytes();
            var bytes = new byte[1 + 4 + step.Proof.Length + b.Length];
            bytes[0] = FormatVersion;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1, 4), step.Proof.Length);
            step.Proof.CopyTo(bytes, 5);
            b.CopyTo(bytes, 5 + step.Proof.Length);
            return bytes;
        }
    }

    internal sealed class Verifier(QuantizedMlpConfig network) : IStepVerifier
    {
        public Backend Backend => Backend.Stark;
        public QuantizedMlpConfig Network => network;

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
        {
            ReadOnlySpan<byte> commitBefore = statement.CommitmentBefore.AsSpan(), commitAfter = statement.CommitmentAfter.AsSpan(),
                dataRoot = statement.DatasetRoot.AsSpan();
            int datasetRows = statement.DatasetRows;
            if (proof.Length < 5 || proof[0] != FormatVersion) return false;
            int stepLength = BinaryPrimitives.ReadInt32LittleEndian(proof.Slice(1, 4));
            if (stepLength <= 0 || stepLength > proof.Length - 5) return false;
            var stepBytes = proof.Slice(5, stepLength);
            var bindingBytes = proof[(5 + stepLength)..];
            StarkProof parsed;
            try { parsed = StarkProof.FromBytes(stepBytes); }
            catch (StarkProofFormatException) { return false; }
            if (parsed.SegmentCount != 4) return false;
            var roots = new TrainingStepCommitments(parsed.SegmentRoot(0).ToArray(), parsed.SegmentRoot(1).ToArray(), parsed.SegmentRoot(2).ToArray());
            return TrainingStepStark.Verify(network, roots, parsed, Parameters, out _)
                && StepBindingStark.Verify(network, datasetRows, dataRoot, commitBefore, commitAfter, roots, bindingBytes, Parameters, out _);
        }
    }
}
