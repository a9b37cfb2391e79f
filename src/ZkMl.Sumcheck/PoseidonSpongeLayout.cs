using System.Numerics;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck;

/// <summary>
/// Where a <see cref="PoseidonSpongeZeroCheck"/> finds its data in the caller's committed table: the rows
/// (<see cref="Segments"/>: per row the salt, 8 elements, then the values), the four trace tables Y, A, B, D (S-box
/// inputs and their squares, cubes and sixth powers; each 2^<see cref="Variables"/> entries from
/// <see cref="TraceOffset"/>) and the mask region (the zero-check's Libra coefficients as base pairs, then one mask
/// scalar per masked factor as a base pair). Each row's digest is
/// <c>GoldilocksPoseidon.HashSalted(salt, values, domain)</c>.
/// <para>Trace index: permutation k (0..K - 1), row, S-box cell c (<see cref="Cells"/> = 118 of 128: 12 per full round,
/// 1 per partial round, in round order; cells 0..11 are round 0's lanes, 106..117 round 29's). The table's variables are
/// k's bits least significant first, then the row's bits, then the cell's, so that k - 1 is a sum of aligned regions (one
/// per borrow position): the previous permutation is a linear functional of Y with <see cref="PermutationVariables"/>
/// eq terms.</para>
/// </summary>
public sealed class PoseidonSpongeLayout
{
    /// <summary>S-box cells of one permutation: 12 per full round, 1 per partial round.</summary>
    public const int Cells = GoldilocksPoseidon.FullRounds * GoldilocksPoseidon.Width + GoldilocksPoseidon.PartialRounds;
    /// <summary>Variables of the cell index (118 cells padded to 128).</summary>
    public const int CellVariables = 7;
    /// <summary>Salt elements at the start of every row's stream (the rate of the first permutation).</summary>
    public const int SaltLength = GoldilocksPoseidon.Rate;
    /// <summary>Masked factors of the zero-check, each with one mask scalar.</summary>
    public const int MaskedFactors = 7;
    /// <summary>Trace tables (Y, A, B, D).</summary>
    public const int TraceTables = 4;

    private readonly PoseidonSpongeSegment[] _segments;

    /// <summary>A layout for <paramref name="rows"/> rows.</summary>
    /// <exception cref="ArgumentException">A region is misaligned, overlaps another, or the shape is out of range.</exception>
    public PoseidonSpongeLayout(int rows, IReadOnlyList<PoseidonSpongeSegment> segments, long traceOffset, long maskOffset, int domain = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, 1 << 20);
        ArgumentNullException.ThrowIfNull(segments);
        if ((uint)domain > 255) throw new ArgumentOutOfRangeException(nameof(domain), domain, "Domains are 0..255.");
        if (segments.Count < 1 || segments.Count > 8) throw new ArgumentException("1..8 segments.", nameof(segments));
        (Rows, Domain, TraceOffset, MaskOffset) = (rows, domain, traceOffset, maskOffset);
        _segments = [.. segments];
        RowVariables = Log2Ceiling(rows);
        long stream = 0;
        foreach (var s in _segments)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(segments));
            if (s.Count < 1 || s.RowStride < s.Count || !BitOperations.IsPow2(s.RowStride) || s.Offset < 0 || s.Offset % SegmentSize(s) != 0)
                throw new ArgumentException("A segment is misaligned or its stride is not a power of two >= its count.", nameof(segments));
            if (s.Pack < 1 || s.Pack > 64 || (s.Pack > 1 && s.Radix < 2)) throw new ArgumentException("A segment packs 1..64 entries with a radix >= 2.", nameof(segments));
            if (stream < SaltLength && s.Pack > 1) throw new ArgumentException("The salt is not packed.", nameof(segments));
            stream += s.Elements;
        }
        if (stream < SaltLength || stream > 1 << 20) throw new ArgumentException($"A row holds the {SaltLength} salt elements and at most 2^20 entries in all.", nameof(segments));
        ValueCount = (int)stream - SaltLength;
        Permutations = GoldilocksPoseidon.LeafAbsorbCount(ValueCount);
        PermutationVariables = Log2Ceiling(Permutations);
        Variables = PermutationVariables + RowVariables + CellVariables;
        if (Variables > 30) throw new ArgumentException("The trace exceeds 2^30 entries per table.", nameof(rows));
        if (_segments.Sum(s => Math.Max(1, SegmentSize(s) / ZkLinearTerm.MaxWeights)) + 1 > ZkLinearClaim.MaxTerms)
            throw new ArgumentException("The segments need more dense terms than one claim holds.", nameof(segments));
        Shape = ShapeFor(Variables);
        LibraRegion = LibraEntries(Variables);
        if (traceOffset < 0 || traceOffset % TableSize != 0) throw new ArgumentException("The trace must start at a multiple of 2^Variables.", nameof(traceOffset));
        if (maskOffset < 0 || maskOffset % LibraRegion != 0) throw new ArgumentException("The mask region must start at a multiple of its Libra region's size.", nameof(maskOffset));
        var regions = _segments.Select(s => (s.Offset, (long)SegmentSize(s))).Append((traceOffset, TraceTables * TableSize)).Append((maskOffset, MaskRegionSize)).OrderBy(r => r.Item1).ToArray();
        for (int i = 1; i < regions.Length; i++)
            if (regions[i - 1].Item1 + regions[i - 1].Item2 > regions[i].Item1) throw new ArgumentException("Two regions overlap.", nameof(segments));
        RequiredEntries = regions.Max(r => r.Item1 + r.Item2);
    }

    /// <summary>Variables of one trace table for <paramref name="rows"/> rows of <paramref name="valueCount"/> values after the salt (to lay out a table before building the layout).</summary>
    public static int TableVariables(int rows, int valueCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(valueCount);
        return Log2Ceiling(GoldilocksPoseidon.LeafAbsorbCount(valueCount)) + Log2Ceiling(rows) + CellVariables;
    }

    /// <summary>Entries of the Libra part of the mask region (its alignment) for trace tables of <paramref name="variables"/> variables.</summary>
    public static long LibraEntries(int variables) => (long)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * ShapeFor(variables).MaskCoefficients));

    private static ZkSumcheckShape ShapeFor(int variables) => new(variables, 11, MaskedFactors, variables - 1, TermFactors: 3, TermMaskedFactors: 2);

    /// <summary>Rows hashed.</summary>
    public int Rows { get; }
    /// <summary>The hash's domain (bound into its capacity).</summary>
    public int Domain { get; }
    /// <summary>The row segments, in stream order.</summary>
    public IReadOnlyList<PoseidonSpongeSegment> Segments => _segments;
    /// <summary>Values per row after the salt.</summary>
    public int ValueCount { get; }
    /// <summary>Permutations per row, K = 1 + ceil(values / 8).</summary>
    public int Permutations { get; }
    /// <summary>Variables of the permutation index.</summary>
    public int PermutationVariables { get; }
    /// <summary>Variables of the row index.</summary>
    public int RowVariables { get; }
    /// <summary>Variables of one trace table: permutation, row, cell.</summary>
    public int Variables { get; }
    /// <summary>First entry of Y (A, B, D follow, 2^Variables entries each).</summary>
    public long TraceOffset { get; }
    /// <summary>First entry of the mask region.</summary>
    public long MaskOffset { get; }
    /// <summary>The zero-check's shape.</summary>
    public ZkSumcheckShape Shape { get; }
    /// <summary>Entries the caller's table needs at least (its last region's end).</summary>
    public long RequiredEntries { get; }

    /// <summary>Entries of one trace table.</summary>
    public long TableSize => 1L << Variables;
    /// <summary>Entries reserved for the Libra coefficients (twice their count, rounded up to a power of two).</summary>
    public long LibraRegion { get; }
    /// <summary>Entries of the mask region: the Libra region, then 16 for the scalars.</summary>
    public long MaskRegionSize => LibraRegion + 16;
    /// <summary>Offset of trace table t (0 Y, 1 A, 2 B, 3 D).</summary>
    public long TableOffset(int t) => TraceOffset + t * TableSize;
    /// <summary>Offset of masked factor j's scalar (a base pair).</summary>
    public long ScalarOffset(int j) => MaskOffset + LibraRegion + 2 * j;

    /// <summary>Entries of the trace that carry data: 118 cells of every permutation of every row, four tables (the padding to powers of two aside).</summary>
    public long TraceDataEntries => (long)TraceTables * Cells * Permutations * Rows;

    /// <summary>Index in a trace table of (permutation, row, cell): the permutation's bits reversed on top, then row, then cell.</summary>
    public long Index(int permutation, int row, int cell) => ((long)Reverse(permutation, PermutationVariables) << (RowVariables + CellVariables)) | ((long)row << CellVariables) | (uint)cell;

    /// <summary>The first cell of round <paramref name="round"/> (full rounds have 12, partial rounds 1).</summary>
    public static int RoundCell(int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(round, GoldilocksPoseidon.Rounds);
        int cell = 0;
        for (int t = 0; t < round; t++) cell += GoldilocksPoseidon.IsFullRound(t) ? GoldilocksPoseidon.Width : 1;
        return cell;
    }

    /// <summary>Entries a segment's region spans (its stride times the rows rounded up to a power of two).</summary>
    public long SegmentSize(PoseidonSpongeSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return (long)segment.RowStride << RowVariables;
    }

    /// <summary>Whether the layout fits a table of 2^<paramref name="variables"/> entries.</summary>
    public bool Fits(int variables) => variables >= 1 && variables <= 40 && RequiredEntries <= 1L << variables;

    /// <summary>The layout as words for a transcript.</summary>
    internal ulong[] Words() =>
        [(ulong)Rows, (ulong)Domain, (ulong)TraceOffset, (ulong)MaskOffset, .. _segments.SelectMany(s => new[] { (ulong)s.Offset, (ulong)s.RowStride, (ulong)s.Count, (ulong)s.Pack, s.Radix })];

    internal static int Reverse(int value, int bits)
    {
        int result = 0;
        for (int i = 0; i < bits; i++) result |= ((value >> i) & 1) << (bits - 1 - i);
        return result;
    }

    private static int Log2Ceiling(int value) => value <= 1 ? 0 : BitOperations.Log2((uint)value - 1) + 1;
}
