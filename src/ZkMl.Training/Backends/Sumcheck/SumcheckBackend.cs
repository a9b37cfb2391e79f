using System.Security.Cryptography;
using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The sumcheck backend (transparent, no setup): a step proof is a zero-knowledge <see cref="SumcheckStepProof"/> (masked
/// zero-check sumchecks, a zero-knowledge LogUp-GKR range lookup and hiding Ligero commitments, docs/sumcheck-step.md). The
/// chain's weight commitment is SHA-256 of the weight state's ONE hiding Ligero commitment to every layer's zero-padded
/// weights and biases (<see cref="WeightStateLayout"/>), its randomness derived from the state's 32-byte secret salt
/// (<see cref="IStepProver.NewSalt"/>).
/// The data-set root is the BLAKE3 Merkle root over the rows' salted Poseidon-Goldilocks digests (8 secret salt elements
/// per row; <see cref="BatchMembership"/>), and the step proof hashes the batch rows inside the proof, so no row, label or
/// salt reaches the verifier. Proves networks of any depth, every layer with or without a bias (the state's commitment
/// then also holds every bias).
/// </summary>
internal static class SumcheckBackend
{
    /// <summary>The most padded entries of one table (<see cref="RescaledProductShape"/>'s limit).</summary>
    internal const long MaxTableEntries = 1L << 24;

    /// <summary>The most entries of the step's stacked commitment (the batch membership's Poseidon trace is 2^22 at 784-128-10/64, the stack 2^23).</summary>
    internal const long MaxStackEntries = 1L << 24;

    /// <summary>Bytes proving costs per padded table entry: the table, its Ligero codeword (rate 1/4) and Merkle tree, range limbs.</summary>
    internal const long BytesPerEntry = 512;

    /// <summary>The conjectured security every step proof keeps (docs/sumcheck-step.md).</summary>
    internal const int SecurityBits = 100;

    internal static TrainingKeys Setup(QuantizedNetworkConfig network, int datasetRows)
    {
        CheckCapacity(network);
        return new TrainingKeys(Backend.Sumcheck, network, datasetRows, provingKey: null);
    }

    /// <summary>Refuses, before allocating, shapes the step proof does not cover or that do not fit its tables or this machine.</summary>
    /// <exception cref="NetworkTooLargeException">
    /// The network has a table over 2^24 entries, a stacked commitment over 2^24 entries, an update wider than the range checks, a bias with f + B + 1 over 62, a batch
    /// too large for 100-bit security, or needs more memory than there is.
    /// </exception>
    internal static void CheckCapacity(QuantizedNetworkConfig network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.Validate();
        var shapes = StepTables.ShapesFor(network);
        long largest = 0, total = 0;
        foreach (var s in shapes)
        {
            long a = (long)s.PaddedRows * s.PaddedInner, w = (long)s.PaddedColumns * s.PaddedInner, z = (long)s.PaddedRows * s.PaddedColumns;
            largest = Math.Max(largest, Math.Max(a, Math.Max(w, z)));
            total += a + w + 4 * z; // operands, and the output with its remainder and limbs
        }
        if (largest > MaxTableEntries)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "entries in one padded table", largest, MaxTableEntries);
        int shift = network.FractionBits + network.LearningRateShift;
        if (shift > RangeLimbs.MaxBits)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "bits of an update's remainder (fraction + learning-rate shift)", shift, RangeLimbs.MaxBits);
        if (shift + network.ValueBits > 62)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "bits of an update's quotient and remainder (fraction + learning-rate shift + value bits)", shift + network.ValueBits, 62);
        // A layer with a bias proves Rescale_f(W h) = z - b in B + 1 bits.
        if (network.Network.Layers.Any(l => l.HasBias) && network.FractionBits + network.ValueBits + 1 > 62)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "bits of a biased layer's product quotient and remainder (fraction + value bits + 1)", network.FractionBits + network.ValueBits + 1, 62);
        long stack = SumcheckStep.ZeroKnowledgeStackEntries(network);
        if (stack > MaxStackEntries)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "entries of the step's stacked commitment (private tables, the batch, its Poseidon trace and masks)", stack, MaxStackEntries);
        if (SumcheckSoundness.ZeroKnowledgeBits(network) < SecurityBits)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, $"batch rows (the shared range lookup grows with the batch) at {SecurityBits}-bit security", network.BatchSize, MaxSecureBatch(network));
        WrapBound.Check(network); // no product the proven ranges allow reaches p (refuses an activation width below f + 2)
        long bytes = total * BytesPerEntry;
        if (bytes > BackendCapacity.MemoryLimitBytes)
            throw new NetworkTooLargeException(Backend.Sumcheck, network, "bytes", bytes, BackendCapacity.MemoryLimitBytes);
    }

    /// <summary>The largest batch whose step proof keeps <see cref="SecurityBits"/> for this shape (0 when none does).</summary>
    private static int MaxSecureBatch(QuantizedNetworkConfig c)
    {
        int low = 0, high = c.BatchSize; // Bits falls as the batch grows; the batch given fails
        while (high - low > 1)
        {
            int middle = low + (high - low) / 2;
            if (SumcheckSoundness.ZeroKnowledgeBits(c with { BatchSize = middle }) >= SecurityBits) low = middle;
            else high = middle;
        }
        return low;
    }

    internal static byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        return SumcheckStepProof.WeightsCommitment(model, salt).Digest;
    }

    internal sealed class Committer : IDatasetCommitter
    {
        private readonly QuantizedNetworkConfig _config;

        internal Committer(QuantizedNetworkConfig network)
        {
            CheckCapacity(network);
            _config = network;
        }

        public int SaltLength => BatchMembership.SaltBytes;

        public byte[] NewSalts(int count) => BatchMembership.NewSalts(count);

        public (byte[] Root, DatasetOpenings Openings) Commit(QuantizedDataset data, ReadOnlySpan<byte> salts)
        {
            ArgumentNullException.ThrowIfNull(data);
            if (data.InputSize != _config.Network.InputSize) throw new ArgumentException($"Rows have {data.InputSize} inputs, the network expects {_config.Network.InputSize}.", nameof(data));
            if (salts.Length != (long)data.Count * SaltLength) throw new ArgumentException($"Expected {(long)data.Count * SaltLength} salt bytes.", nameof(salts));
            var saltRows = new Goldilocks[data.Count][];
            for (int i = 0; i < data.Count; i++) saltRows[i] = BatchMembership.ReadSalt(salts.Slice(i * SaltLength, SaltLength));
            var leaves = new byte[data.Count][];
            Parallel.For(0, data.Count, i => leaves[i] = BatchMembership.Leaf(_config, data.Row(i), data.Labels[i], saltRows[i]));
            var tree = BatchMembership.Tree(leaves);
            return (tree.Root, new Openings(tree, saltRows));
        }
    }

    internal sealed record Openings(Blake3MerkleTree Tree, Goldilocks[][] Salts) : DatasetOpenings;

    internal sealed class Prover(TrainingKeys keys) : IStepProver
    {
        public Backend Backend => Backend.Sumcheck;
        public QuantizedNetworkConfig Network => keys.Network;

        public byte[] NewSalt() => RandomSource.Current.GetBytes(SumcheckStepProof.SaltBytes);

        public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => SumcheckBackend.CommitWeights(model, salt);

        public byte[] ProveStep(StepStatement statement, QuantizedNetwork before, ReadOnlySpan<byte> saltBefore, ReadOnlySpan<byte> saltAfter, DatasetCommitment data)
        {
            ArgumentNullException.ThrowIfNull(statement);
            ArgumentNullException.ThrowIfNull(before);
            ArgumentNullException.ThrowIfNull(data);
            var openings = (Openings)data.Openings;
            var (inputs, labels) = data.Batch(statement.Rows.AsSpan());
            return SumcheckStepProof.Prove(statement, before, inputs, labels, openings.Tree, [.. statement.Rows.Select(r => openings.Salts[r])], saltBefore, saltAfter);
        }
    }

    internal sealed class Verifier(QuantizedNetworkConfig network) : IStepVerifier
    {
        public Backend Backend => Backend.Sumcheck;
        public QuantizedNetworkConfig Network => network;

        public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => SumcheckBackend.CommitWeights(model, salt);

        public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof) => SumcheckStepProof.Verify(statement, network, proof);
    }
}
