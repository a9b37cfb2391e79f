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
/// Merkle root over the leaves (padded with zero leaves to a power of two). A step proof sends each batch row's salt and
/// commitment with one multi-path to the root (cost grows with log(rows), not with the data set), then shows that the
/// committed batch tables X [batch x inputs] and T [batch x outputs] (zero-padded) are those rows stacked:
/// X~(r_b, r_x) = sum_b eq(r_b, b) Row_b~(0, 0.., r_x) and likewise T with the second half, at random r_b, r_x, r_t
/// (a multilinear identity: false with probability at most its degree / |F|), each value checked by a Ligero opening.
/// Binding across steps and to the root: the row commitments are in the unique-decoding regime, so a root pins each
/// row's polynomial. Not hiding: a non-hiding row opening reveals row data (docs/sumcheck-step.md).
/// </summary>
internal static class BatchMembership
{
    internal const int SaltBytes = 32;
    internal const string Protocol = "ZkMl.Training.Sumcheck.BatchMembership v1";
    private const string Magic = "ZKBM";
    private const ushort FormatVersion = 1;
    private const int LeafBytes = SaltBytes + LigeroCommitment.EncodedLength;

    private static int HalfVariables(QuantizedMlpConfig c) => Math.Max(BitMath.CeilingLog2(c.InputSize), BitMath.CeilingLog2(c.OutputSize));

    /// <summary>Row <paramref name="inputs"/> with <paramref name="label"/> as its committed table.</summary>
    internal static long[] RowTable(QuantizedMlpConfig c, ReadOnlySpan<long> inputs, int label)
    {
        int half = 1 << HalfVariables(c);
        var table = new long[2 * half];
        inputs.CopyTo(table);
        for (int i = 0; i < c.OutputSize; i++) table[half + i] = FixedPoint.Target(i, label, c.FractionBits);
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
    /// Proves that the committed X and T are the rows at <paramref name="rows"/>: <paramref name="rowData"/> and
    /// <paramref name="salts"/> are those rows' committed tables and salts (one per batch position).
    /// </summary>
    internal static byte[] Prove(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig c, IReadOnlyList<int> rows, Blake3MerkleTree tree,
        IReadOnlyList<LigeroProverData> rowData, IReadOnlyList<byte[]> salts, LigeroProverData x, LigeroProverData t)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        for (int b = 0; b < rows.Count; b++)
        {
            writer.WriteBytes(salts[b]);
            rowData[b].Commitment.WriteTo(writer);
        }
        var proof = tree.Open(Distinct(rows));
        writer.WriteUInt32((uint)proof.Count);
        foreach (var node in proof) writer.WriteBytes(node);

        var transcript = Begin(statementDigest, c, x.Commitment, t.Commitment, [.. rowData.Select(r => r.Commitment)]);
        var (rb, rx, rt, rowX, rowT) = Points(transcript, c);
        var values = new GoldilocksExt2[2 + 2 * rows.Count];
        var opened = new GoldilocksExt2[2];
        var openings = new List<LigeroOpening>();
        for (int b = 0; b < rows.Count; b++)
        {
            openings.Add(LigeroPcs.Open(transcript, rowData[b], [rowX, rowT], opened));
            (values[2 + 2 * b], values[3 + 2 * b]) = (opened[0], opened[1]);
        }
        openings.Add(LigeroPcs.Open(transcript, x, [[.. rb, .. rx]], opened.AsSpan(0, 1)));
        values[0] = opened[0];
        openings.Add(LigeroPcs.Open(transcript, t, [[.. rb, .. rt]], opened.AsSpan(0, 1)));
        values[1] = opened[0];
        writer.Write(values);
        foreach (var opening in openings) opening.WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>True when <paramref name="proof"/> shows the committed X and T are the rows at <paramref name="rows"/> under <paramref name="root"/>.</summary>
    internal static bool Verify(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig c, ReadOnlySpan<byte> root, int datasetRows, IReadOnlyList<int> rows,
        LigeroCommitment x, LigeroCommitment t, ReadOnlySpan<byte> proof)
    {
        if (rows.Count != c.BatchSize || rows.Any(r => r < 0 || r >= datasetRows)) return false;
        int bv = BitMath.CeilingLog2(c.BatchSize);
        if (x.Variables != bv + BitMath.CeilingLog2(c.InputSize) || t.Variables != bv + BitMath.CeilingLog2(c.OutputSize)) return false;
        try
        {
            var reader = new ProofReader(proof, Magic, FormatVersion);
            var commitments = new LigeroCommitment[rows.Count];
            var leaves = new Dictionary<int, byte[]>();
            for (int b = 0; b < rows.Count; b++)
            {
                var salt = reader.ReadBytes(SaltBytes);
                commitments[b] = LigeroCommitment.ReadFrom(ref reader);
                if (commitments[b].Parameters != SumcheckStep.Parameters || commitments[b].Variables != 1 + HalfVariables(c)) return false;
                var digest = new byte[32];
                Blake3.Hasher.Hash(Leaf(salt, commitments[b]), digest);
                if (leaves.TryGetValue(rows[b], out var seen) && !seen.SequenceEqual(digest)) return false;
                leaves[rows[b]] = digest;
            }
            int nodes = (int)reader.ReadUInt32(64 * 32);
            var path = new List<byte[]>(nodes);
            for (int i = 0; i < nodes; i++) path.Add(reader.ReadBytes(32));
            var sorted = Distinct(rows);
            int leafCount = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(datasetRows, 1));
            if (!Blake3MerkleTree.Verify(root, leafCount, sorted, [.. sorted.Select(r => leaves[r])], path)) return false;

            var transcript = Begin(statementDigest, c, x, t, commitments);
            var (rb, rx, rt, rowX, rowT) = Points(transcript, c);
            var values = new GoldilocksExt2[2 + 2 * rows.Count];
            reader.ReadExt(values);
            var eq = Multilinear.EqTable(rb);
            GoldilocksExt2 xSum = GoldilocksExt2.Zero, tSum = GoldilocksExt2.Zero;
            for (int b = 0; b < rows.Count; b++)
            {
                xSum += eq[b] * values[2 + 2 * b];
                tSum += eq[b] * values[3 + 2 * b];
            }
            if (xSum != values[0] || tSum != values[1]) return false;
            for (int b = 0; b < rows.Count; b++)
                if (!LigeroPcs.Verify(transcript, commitments[b], [rowX, rowT], values.AsSpan(2 + 2 * b, 2), LigeroOpening.ReadFrom(ref reader))) return false;
            if (!LigeroPcs.Verify(transcript, x, [[.. rb, .. rx]], values.AsSpan(0, 1), LigeroOpening.ReadFrom(ref reader))) return false;
            if (!LigeroPcs.Verify(transcript, t, [[.. rb, .. rt]], values.AsSpan(1, 1), LigeroOpening.ReadFrom(ref reader))) return false;
            reader.EnsureEnd();
            return true;
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static int[] Distinct(IReadOnlyList<int> rows) => [.. rows.Distinct().Order()];

    private static byte[] Encode(LigeroCommitment commitment)
    {
        var writer = new ProofWriter(Magic, FormatVersion);
        commitment.WriteTo(writer);
        return writer.ToArray()[6..];
    }

    private static Transcript Begin(ReadOnlySpan<byte> statementDigest, QuantizedMlpConfig c, LigeroCommitment x, LigeroCommitment t, LigeroCommitment[] rows)
    {
        var transcript = new Transcript(Protocol, statementDigest);
        transcript.Absorb("membership.shape", [Goldilocks.FromUInt64((ulong)c.BatchSize), Goldilocks.FromUInt64((ulong)c.InputSize), Goldilocks.FromUInt64((ulong)c.OutputSize)]);
        x.AbsorbInto(transcript);
        t.AbsorbInto(transcript);
        foreach (var row in rows) row.AbsorbInto(transcript);
        return transcript;
    }

    /// <summary>r_b, r_x, r_t and the row points (0, 0.., r_x), (1, 0.., r_t).</summary>
    private static (GoldilocksExt2[] Rb, GoldilocksExt2[] Rx, GoldilocksExt2[] Rt, GoldilocksExt2[] RowX, GoldilocksExt2[] RowT) Points(Transcript transcript, QuantizedMlpConfig c)
    {
        int half = HalfVariables(c), xv = BitMath.CeilingLog2(c.InputSize), tv = BitMath.CeilingLog2(c.OutputSize);
        var rb = new GoldilocksExt2[BitMath.CeilingLog2(c.BatchSize)];
        var rx = new GoldilocksExt2[xv];
        var rt = new GoldilocksExt2[tv];
        transcript.ChallengeExt("membership.batch", rb);
        transcript.ChallengeExt("membership.inputs", rx);
        transcript.ChallengeExt("membership.targets", rt);
        var rowX = new GoldilocksExt2[1 + half];
        var rowT = new GoldilocksExt2[1 + half];
        rowT[0] = GoldilocksExt2.One;
        rx.CopyTo(rowX, 1 + half - xv);
        rt.CopyTo(rowT, 1 + half - tv);
        return (rb, rx, rt, rowX, rowT);
    }
}
