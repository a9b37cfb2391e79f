using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Air;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Batch membership for the sumcheck step (data-set format <c>Blake3PoseidonRowMerkle</c>): row i's leaf is the 32-byte
/// encoding of its salted Poseidon digest <c>GoldilocksPoseidon.HashSalted(salt, packed offset inputs || one-hot target
/// (scale 2^f), domain 0)</c> (<see cref="SpongeMembership.RowValues"/>: the inputs x + 2^f packed k per element with
/// radix 2^(f+2); k = 5 at f = 10) with 8 secret Goldilocks salt elements per row, and the data-set root is the BLAKE3 Merkle root over the leaves (padded with zero leaves to a power
/// of two; a leaf's node is BLAKE3 of its bytes). A step proof (format "ZKBM" v3) sends per batch row only its digest (the positions are public by the
/// schedule), then one multi-path to the root (cost grows with log(rows), not with the data set). The verifier checks the
/// paths from the digests and hands the digests to the step proof, which proves in zero knowledge that the batch rows
/// it trains on (private tables of its stack) hash to them (<see cref="PoseidonSpongeZeroCheck"/>). Binding: a root pins
/// each leaf (BLAKE3 collision resistance), a digest pins the salted row (Poseidon collision resistance). Zero knowledge:
/// the digests are public by design and hide the row behind its ~512-bit salt. Format v2 (rows in the clear) is refused
/// by its version.
/// </summary>
internal static class BatchMembership
{
    /// <summary>Salt elements per row (the sponge's first rate block).</summary>
    internal const int SaltElements = PoseidonSpongeLayout.SaltLength;
    /// <summary>Bytes of a row's salt: 8 canonical Goldilocks elements, little-endian.</summary>
    internal const int SaltBytes = 8 * SaltElements;
    internal const string Magic = "ZKBM";
    internal const ushort FormatVersion = 3;
    /// <summary>Bytes of a leaf: one digest.</summary>
    internal const int LeafBytes = 8 * GoldilocksPoseidon.DigestSize;

    /// <summary>The salted Poseidon digest of a row (its values: <see cref="SpongeMembership.RowValues"/>).</summary>
    /// <exception cref="ArgumentException">A wrong salt or row length, an input outside the packing's range, a label outside the outputs.</exception>
    internal static Goldilocks[] RowDigest(QuantizedNetworkConfig c, ReadOnlySpan<long> inputs, int label, ReadOnlySpan<Goldilocks> salt)
    {
        if (salt.Length != SaltElements) throw new ArgumentException($"A row salt has {SaltElements} elements.", nameof(salt));
        return GoldilocksPoseidon.HashSalted(salt, SpongeMembership.RowValues(c, inputs, label), StepBindingAir.RowDomain);
    }

    /// <summary>The leaf bytes of a row: its digest's 32 bytes.</summary>
    internal static byte[] Leaf(QuantizedNetworkConfig c, ReadOnlySpan<long> inputs, int label, ReadOnlySpan<Goldilocks> salt) =>
        GoldilocksPoseidon.DigestToBytes(RowDigest(c, inputs, label, salt));

    /// <summary>Fresh secret salts for <paramref name="count"/> rows (canonical elements from the secure generator).</summary>
    internal static byte[] NewSalts(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var salts = new byte[checked(count * SaltBytes)];
        for (int i = 0; i < count * SaltElements; i++) FieldMath.RandomSecure<Goldilocks>().WriteBytes(salts.AsSpan(8 * i, 8));
        return salts;
    }

    /// <summary>A row's salt from its <see cref="SaltBytes"/> bytes.</summary>
    /// <exception cref="ArgumentException">Wrong length or a non-canonical element.</exception>
    internal static Goldilocks[] ReadSalt(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != SaltBytes) throw new ArgumentException($"A row salt has {SaltBytes} bytes, got {bytes.Length}.", nameof(bytes));
        var salt = new Goldilocks[SaltElements];
        for (int i = 0; i < salt.Length; i++)
            if (!Goldilocks.TryReadBytes(bytes.Slice(8 * i, 8), out salt[i])) throw new ArgumentException("A row salt is not canonical Goldilocks elements.", nameof(bytes));
        return salt;
    }

    /// <summary>The Merkle tree over the leaves, padded with zero leaves to a power of two.</summary>
    internal static Blake3MerkleTree Tree(IReadOnlyList<byte[]> leaves)
    {
        int count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(leaves.Count, 1));
        return new Blake3MerkleTree(count, LeafBytes, (first, n, destination) =>
        {
            destination[..(n * LeafBytes)].Clear();
            for (int j = 0; j < n; j++)
                if (first + j < leaves.Count) leaves[first + j].CopyTo(destination.Slice(j * LeafBytes, LeafBytes));
        });
    }

    /// <summary>
    /// Proves that the batch rows (their <paramref name="digests"/>, one per batch row in order) are the data set's leaves
    /// at <paramref name="rows"/> under <paramref name="tree"/>.
    /// </summary>
    internal static byte[] Prove(IReadOnlyList<int> rows, Blake3MerkleTree tree, IReadOnlyList<Goldilocks[]> digests)
    {
        if (digests.Count != rows.Count) throw new ArgumentException("One digest per batch row.", nameof(digests));
        var writer = new ProofWriter(Magic, FormatVersion);
        foreach (var digest in digests) writer.WriteBytes(GoldilocksPoseidon.DigestToBytes(digest));
        var proof = tree.Open(Distinct(rows));
        writer.WriteUInt32((uint)proof.Count);
        foreach (var node in proof) writer.WriteBytes(node);
        return writer.ToArray();
    }

    /// <summary>
    /// True when <paramref name="proof"/> opens <paramref name="rows"/> under <paramref name="root"/>; then
    /// <paramref name="digests"/> are the batch rows' digests (in batch order). Malformed bytes give false.
    /// </summary>
    internal static bool Verify(QuantizedNetworkConfig c, ReadOnlySpan<byte> root, int datasetRows, IReadOnlyList<int> rows, ReadOnlySpan<byte> proof,
        out Goldilocks[][] digests)
    {
        digests = [];
        if (rows.Count != c.BatchSize || rows.Any(r => r < 0 || r >= datasetRows)) return false;
        try
        {
            var (read, path) = Read(proof, rows.Count);
            var leaves = new Dictionary<int, byte[]>();
            for (int b = 0; b < rows.Count; b++)
            {
                var leaf = new byte[32]; // the tree's leaf digest: BLAKE3 of the leaf's bytes
                Blake3.Hasher.Hash(GoldilocksPoseidon.DigestToBytes(read[b]), leaf);
                if (leaves.TryGetValue(rows[b], out var seen) && !seen.SequenceEqual(leaf)) return false;
                leaves[rows[b]] = leaf;
            }
            var sorted = Distinct(rows);
            int leafCount = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(datasetRows, 1));
            if (!Blake3MerkleTree.Verify(root, leafCount, sorted, [.. sorted.Select(r => leaves[r])], path)) return false;
            digests = read;
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>Parses a "ZKBM" v3 proof of <paramref name="rows"/> batch rows: the digests (canonical) and the multi-path.</summary>
    /// <exception cref="ProofFormatException">Another magic or version (v2 included), a non-canonical digest, truncated or trailing bytes.</exception>
    internal static (Goldilocks[][] Digests, List<byte[]> Path) Read(ReadOnlySpan<byte> proof, int rows)
    {
        var reader = new ProofReader(proof, Magic, FormatVersion);
        var digests = new Goldilocks[rows][];
        for (int b = 0; b < rows; b++)
            if (!GoldilocksPoseidon.TryReadDigest(reader.ReadBytes(LeafBytes), out digests[b])) throw new ProofFormatException("A row digest is not canonical.");
        int nodes = (int)reader.ReadUInt32(64 * 32);
        var path = new List<byte[]>(nodes);
        for (int i = 0; i < nodes; i++) path.Add(reader.ReadBytes(32));
        reader.EnsureEnd();
        return (digests, path);
    }

    private static int[] Distinct(IReadOnlyList<int> rows) => [.. rows.Distinct().Order()];
}
