using System.Buffers.Binary;
using System.Security.Cryptography;
using ZkMl.Circuits.Hashing;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Stark.Training;

namespace ZkMl.Training;

/// <summary>
/// FRI STARK over Goldilocks (transparent, <see cref="StarkParameters.Secure100"/>). A step proof is two STARKs that share
/// the batch commitment (the Merkle root of the seeded, blinded batch column):
/// <list type="number">
/// <item>the training-step proof (<see cref="TrainingStepStark"/>), public (c_W, c_B, c_W'): W' is one exact quantized SGD
/// step from W on the batch committed in c_B; c_W and c_W' are the seeded weight-segment roots, so a weight salt here is
/// the 32-byte segment seed;</item>
/// <item>the membership proof (<see cref="BatchMembershipStark"/>), public (root, c_B): every sample of that batch, salted
/// with its row's secret salt, is a Poseidon-Goldilocks leaf on a Merkle path to the data-set root.</item>
/// </list>
/// The data-set root is the <see cref="GoldilocksMerkleTree"/> root over salted leaves, 32 bytes.
/// </summary>
internal static class StarkBackend
{
    private const byte FormatVersion = 1;
    private const int SeedBytes = 32;
    private const int SaltBytes = 8 * BatchMembershipStark.SaltSize;

    /// <summary>The parameters of every STARK step proof (>= 100 bits, zero knowledge).</summary>
    internal static StarkParameters Parameters => StarkParameters.Secure100;

    internal static TrainingKeys Setup(QuantizedMlpConfig network, int datasetRows)
    {
        CheckSupported(network, datasetRows);
        return new TrainingKeys(Backend.Stark, network, datasetRows, verifyingKey: null, provingKey: null);
    }

    /// <summary>Throws <see cref="NotSupportedException"/> when the AIRs cannot take this shape (checked up front, not after training).</summary>
    private static void CheckSupported(QuantizedMlpConfig network, int datasetRows)
    {
        int length = new TrainingStepAir(network).TraceLength;
        _ = BatchMembershipStark.RowValues(network, new long[network.InputSize], 0);
        if (datasetRows < 1) throw new ArgumentOutOfRangeException(nameof(datasetRows));
        int depth = GoldilocksMerkleTree.DepthFor(datasetRows);
        long need = (long)network.BatchSize * (GoldilocksPoseidon.LeafAbsorbCount(network.InputSize + network.OutputSize) + depth) * 32;
        if (need > length) throw new NotSupportedException($"Batch membership for {datasetRows} rows needs {need} trace rows; the training step has {length}.");
    }

    private static Goldilocks[] ReadSalt(ReadOnlySpan<byte> bytes, int row)
    {
        var salt = new Goldilocks[BatchMembershipStark.SaltSize];
        for (int i = 0; i < salt.Length; i++)
            if (!Goldilocks.TryReadBytes(bytes.Slice(8 * i, 8), out salt[i])) throw new ArgumentException($"Row {row}'s salt is not canonical Goldilocks elements.");
        return salt;
    }

    private static byte[] CheckSeed(ReadOnlySpan<byte> seed, string what) =>
        seed.Length == SeedBytes ? seed.ToArray() : throw new ArgumentException($"{what} must be a {SeedBytes}-byte seed, got {seed.Length} bytes.");

    internal static byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) =>
        TrainingStepStark.CommitWeights(model.Config, model.Weights1, model.Weights2, CheckSeed(salt, "salt"), Parameters);

    internal sealed class Committer(QuantizedMlpConfig network) : IDatasetCommitter
    {
        public int SaltLength => SaltBytes;

        public byte[] NewSalts(int count)
        {
            var salts = new byte[count * SaltBytes];
            for (int i = 0; i < count * BatchMembershipStark.SaltSize; i++) FieldMath.RandomSecure<Goldilocks>().WriteBytes(salts.AsSpan(8 * i, 8));
            return salts;
        }

        public (byte[] Root, object Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
        {
            if (salts.Length != data.Count * SaltBytes) throw new ArgumentException($"Expected {data.Count * SaltBytes} salt bytes.", nameof(salts));
            var saltValues = new Goldilocks[data.Count][];
            for (int i = 0; i < data.Count; i++) saltValues[i] = ReadSalt(salts.Slice(i * SaltBytes, SaltBytes), i);
            var leaves = new Goldilocks[data.Count][];
            Parallel.For(0, data.Count, i => leaves[i] = BatchMembershipStark.Leaf(network, data.Row(i), data.Labels[i], saltValues[i]));
            var tree = new GoldilocksMerkleTree(leaves);
            return (GoldilocksPoseidon.DigestToBytes(tree.Root), new Openings(tree, saltValues));
        }
    }

    internal sealed record Openings(GoldilocksMerkleTree Tree, Goldilocks[][] Salts);

    internal sealed class Prover(TrainingKeys keys) : IStepProver
    {
        public Backend Backend => Backend.Stark;
        public QuantizedMlpConfig Network => keys.Network;
        public byte[]? VerifyingKey => null;

        public byte[] NewSalt() => RandomNumberGenerator.GetBytes(SeedBytes);

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public byte[] ProveStep(QuantizedMlp before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, ReadOnlySpan<int> rows, DatasetCommitment data)
        {
            var c = Network;
            var openings = (Openings)data.Openings;
            var inputs = new long[c.BatchSize * c.InputSize];
            var labels = new int[c.BatchSize];
            data.Data.GatherBatch(rows, inputs, labels);
            var seeds = new TrainingStepSeeds(CheckSeed(saltBefore, "salt before"), RandomNumberGenerator.GetBytes(SeedBytes), CheckSeed(saltAfter, "salt after"));
            var step = TrainingStepStark.Prove(c, before.Weights1, before.Weights2, inputs, labels, seeds, Parameters);
            var membership = BatchMembershipStark.Prove(c, openings.Tree, rows, r => openings.Salts[r], inputs, labels, seeds.Batch, Parameters);
            if (!membership.SegmentRoot(0).Span.SequenceEqual(step.Commitments.Batch))
                throw new InvalidOperationException("Internal error: the membership proof does not commit to the step proof's batch.");
            byte[] m = membership.ToBytes();
            var bytes = new byte[1 + 4 + step.Proof.Length + m.Length];
            bytes[0] = FormatVersion;
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1, 4), step.Proof.Length);
            step.Proof.CopyTo(bytes, 5);
            m.CopyTo(bytes, 5 + step.Proof.Length);
            return bytes;
        }
    }

    internal sealed class Verifier(QuantizedMlpConfig network) : IStepVerifier
    {
        public Backend Backend => Backend.Stark;
        public QuantizedMlpConfig Network => network;

        public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt) => StarkBackend.CommitWeights(model, salt);

        public bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, ReadOnlySpan<byte> proof)
        {
            if (proof.Length < 5 || proof[0] != FormatVersion) return false;
            int stepLength = BinaryPrimitives.ReadInt32LittleEndian(proof.Slice(1, 4));
            if (stepLength <= 0 || stepLength > proof.Length - 5) return false;
            var stepBytes = proof.Slice(5, stepLength);
            var membershipBytes = proof[(5 + stepLength)..];
            byte[] batch;
            try { batch = StarkProof.FromBytes(stepBytes).SegmentRoot(1).ToArray(); }
            catch (Exception e) when (e is StarkProofFormatException or ArgumentException or IndexOutOfRangeException) { return false; }
            var commitments = new TrainingStepCommitments(commitBefore.ToArray(), batch, commitAfter.ToArray());
            return TrainingStepStark.Verify(network, commitments, stepBytes, Parameters)
                && BatchMembershipStark.Verify(network, datasetRows, dataRoot, batch, membershipBytes, Parameters, out _);
        }
    }
}
