using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Batch membership for the sumcheck step: the data set is committed row by row. Row i's table is its quantized inputs
/// zero-padded to L entries followed by its one-hot target (scale 2^f) zero-padded to L (L = the larger padded width);
/// its leaf is (32-byte secret salt, non-hiding Ligero commitment of that table) and the data-set root is the BLAKE3
/// Merkle root over the leaves (padded with zero leaves to a power of two). A step proof (format "ZKBM" v2) sends each
/// batch row in the clear (its label and its inputs as zig-zag varints) with its salt, and one multi-path to the root
/// (cost grows with log(rows), not with the data set); the verifier recomputes each row's table and its deterministic
/// Ligero commitment, hence the leaf, checks the multi-path, and then knows the batch tables X and T itself (the step
/// evaluates its claims on them directly: no commitment or opening of X, T or the rows).
/// Binding: a root pins each leaf (BLAKE3 collision resistance), a leaf pins the row's commitment and the commitment
/// (a deterministic function of the table, recomputed by the verifier) pins the table up to a Merkle collision.
/// NOT zero knowledge: the batch rows and their salts are revealed (docs/sumcheck-step.md, "Zero knowledge").
/// </summary>
internal static class BatchMembership
{
    internal const int SaltBytes = 32;
    private const string Magic = "ZKBM";
    private const ushort FormatVersion = 2;
    private const int LeafBytes = SaltBytes + LigeroCommitment.EncodedLength;

    private static int HalfVariables(QuantizedNetworkConfig c) => Math.Max(BitMath.CeilingLog2(c.Network.InputSize), BitMath.CeilingLog2(c.Network.OutputSize));

    /// <summary>Row <paramref name="inputs"/> with <paramref name="label"/> as its committed table.</summary>
    internal static long[] RowTable(QuantizedNetworkConfig c, ReadOnlySpan<long> inputs, int label)
    {
        int half = 1 << HalfVariables(c);
        var table = new long[2 * half];
        inputs.CopyTo(table);
        for (int i = 0; i < c.Network.OutputSize; i++) table[half + i] = FixedPoint.Target(i, label, c.FractionBits);
        return table;
    }

    /// <summary>The leaf bytes of a row: salt, then the commitment's encoding.</summary>
    internal static byte[] Leaf(ReadOnlySpan<byte> salt, LigeroCommitment commitment)
    {
        if (salt.Length != SaltBytes) throw new ArgumentException($"A row salt has {SaltBytes} bytes.", nameof(salt));
        var leaf = new byte[LeafBytes];
        salt.CopyTo(leaf);
        Encode(commitment).CopyTo(leaf.AsSpan(SaltBytes));
        return leaf;
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
    /// Proves that <paramref name="inputs"/> (batch x InputSize, row-major) and <paramref name="labels"/> are the data
    /// set's rows at <paramref name="rows"/> under <paramref name="tree"/>, with the rows' <paramref name="salts"/>.
    /// </summary>
    internal static byte[] Prove(QuantizedNetworkConfig c, IReadOnlyList<int> rows, Blake3MerkleTree tree, ReadOnlySpan<long> inputs,
        ReadOnlySpan<int> labels, IReadOnlyList<byte[]> salts)
    {
        if (inputs.Length != rows.Count * c.Network.InputSize || labels.Length != rows.Count || salts.Count != rows.Count)
            throw new ArgumentException("One salt, label and input row per batch row.");
        var writer = new ProofWriter(Magic, FormatVersion);
        for (int b = 0; b < rows.Count; b++)
        {
            writer.WriteBytes(salts[b]);
            WriteVarint(writer, (ulong)labels[b]);
            foreach (long v in inputs.Slice(b * c.Network.InputSize, c.Network.InputSize)) WriteVarint(writer, (ulong)((v << 1) ^ (v >> 63)));
        }
        var proof = tree.Open(Distinct(rows));
        writer.WriteUInt32((uint)proof.Count);
        foreach (var node in proof) writer.WriteBytes(node);
        return writer.ToArray();
    }

    /// <summary>
    /// True when <paramref name="proof"/> opens the rows at <paramref name="rows"/> under <paramref name="root"/>; then
    /// <paramref name="inputs"/> and <paramref name="labels"/> are the batch. Malformed bytes give false.
    /// </summary>
    internal static bool Verify(QuantizedNetworkConfig c, ReadOnlySpan<byte> root, int datasetRows, IReadOnlyList<int> rows, ReadOnlySpan<byte> proof,
        out long[] inputs, out int[] labels)
    {
        (inputs, labels) = ([], []);
        if (rows.Count != c.BatchSize || rows.Any(r => r < 0 || r >= datasetRows)) return false;
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var x = new long[rows.Count * c.Network.InputSize];
            var y = new int[rows.Count];
            var salts = new byte[rows.Count][];
            for (int b = 0; b < rows.Count; b++)
            {
                salts[b] = reader.ReadBytes(SaltBytes);
                ulong label = ReadVarint(ref reader);
                if (label >= (ulong)c.Network.OutputSize) return false;
                y[b] = (int)label;
                for (int i = 0; i < c.Network.InputSize; i++)
                {
                    ulong z = ReadVarint(ref reader);
                    x[b * c.Network.InputSize + i] = (long)(z >> 1) ^ -(long)(z & 1);
                }
            }
            int nodes = (int)reader.ReadUInt32(64 * 32);
            var path = new List<byte[]>(nodes);
            for (int i = 0; i < nodes; i++) path.Add(reader.ReadBytes(32));
            reader.EnsureEnd();

            var digests = new byte[rows.Count][];
            Parallel.For(0, rows.Count, b =>
            {
                var committed = SumcheckStep.Commit(RowTable(c, x.AsSpan(b * c.Network.InputSize, c.Network.InputSize), y[b]));
                digests[b] = new byte[32];
                Blake3.Hasher.Hash(Leaf(salts[b], committed.Commitment), digests[b]);
            });
            var leaves = new Dictionary<int, byte[]>();
            for (int b = 0; b < rows.Count; b++)
            {
                if (leaves.TryGetValue(rows[b], out var seen) && !seen.SequenceEqual(digests[b])) return false;
                leaves[rows[b]] = digests[b];
            }
            var sorted = Distinct(rows);
            int leafCount = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(datasetRows, 1));
            if (!Blake3MerkleTree.Verify(root, leafCount, sorted, [.. sorted.Select(r => leaves[r])], path)) return false;
            (inputs, labels) = (x, y);
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static void WriteVarint(ProofWriter writer, ulong value)
    {
        while (value >= 0x80)
        {
            writer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        writer.WriteByte((byte)value);
    }

    /// <summary>A canonical LEB128 varint of at most 10 bytes (a non-minimal or overlong encoding is refused).</summary>
    private static ulong ReadVarint(ref ProofReader reader)
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = reader.ReadByte();
            if (shift == 63 && b > 1) throw new ProofFormatException("A varint overflows 64 bits.");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (b == 0 && shift > 0) throw new ProofFormatException("A varint is not minimal.");
                return value;
            }
        }
        throw new ProofFormatException("A varint is longer than 10 bytes.");
    }

    private static int[] Distinct(IReadOnlyList<int> rows) => [.. rows.Distinct().Order()];

    private static byte[] Encode(LigeroCommitment commitment)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        commitment.WriteTo(writer);
        return writer.ToArray()[6..];
    }
}
