using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Multilinear polynomials given by their evaluation tables over the Boolean hypercube {0,1}^n (2^n entries).
/// Variable order: the first variable is the most significant bit of the table index, so a row-major matrix's
/// table has its row variables first, and fixing the first variable combines the two contiguous halves
/// (table[i] and table[i + 2^(n-1)]). Tables of the witness are over <see cref="Goldilocks"/>; points and folded
/// tables are over <see cref="GoldilocksExt2"/>. Large tables are processed in parallel chunks.
/// </summary>
public static class Multilinear
{
    /// <summary>Below this many output entries a kernel runs on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 13;

    /// <summary>n for a table of 2^n entries.</summary>
    /// <exception cref="ArgumentException">The length is not a positive power of two.</exception>
    public static int VariableCount(int tableLength)
    {
        if (tableLength < 1 || !System.Numerics.BitOperations.IsPow2(tableLength))
            throw new ArgumentException($"A multilinear table has a power-of-two length, got {tableLength}.", nameof(tableLength));
        return System.Numerics.BitOperations.Log2((uint)tableLength);
    }

    /// <summary>eq(x, y) = prod_i (x_i y_i + (1 - x_i)(1 - y_i)), the multilinear extension of equality.</summary>
    public static GoldilocksExt2 Eq(ReadOnlySpan<GoldilocksExt2> x, ReadOnlySpan<GoldilocksExt2> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("Points of different dimensions.");
        GoldilocksExt2 result = GoldilocksExt2.One;
        for (int i = 0; i < x.Length; i++)
        {
            GoldilocksExt2 xy = x[i] * y[i];
            // x y + (1 - x)(1 - y) = 1 - x - y + 2 x y
            result *= GoldilocksExt2.One - x[i] - y[i] + xy + xy;
        }
        return result;
    }

    /// <summary>The table of eq(b, <paramref name="point"/>) over b in {0,1}^n, n = point length (2^n entries).</summary>
    public static GoldilocksExt2[] EqTable(ReadOnlySpan<GoldilocksExt2> point)
    {
        var table = new GoldilocksExt2[1 << point.Length];
        EqTable(point, table);
        return table;
    }

    /// <summary>
    /// Writes eq(b, <paramref name="point"/>) for b in {0,1}^n into the first 2^n entries of
    /// <paramref name="destination"/>, with about 2^n multiplications.
    /// </summary>
    public static unsafe void EqTable(ReadOnlySpan<GoldilocksExt2> point, Span<GoldilocksExt2> destination)
    {
        if (point.Length > 30) throw new ArgumentOutOfRangeException(nameof(point), "At most 30 variables.");
        int size = 1 << point.Length;
        if (destination.Length < size) throw new ArgumentException("Destination shorter than 2^n.", nameof(destination));
        if (size < 2 * ParallelThreshold)
        {
            EqTableSequential(point, destination);
            return;
        }
        // eq(b, r) = eq(b_high, r_high) * eq(b_low, r_low): build the low table in place, then each high block
        // is the low block times one scalar. Block 0 is scaled last because the others read it.
        int highVariables = Math.Min(6, point.Length - System.Numerics.BitOperations.Log2(ParallelThreshold));
        int blocks = 1 << highVariables, block = size >> highVariables;
        EqTableSequential(point[highVariables..], destination);
        var high = EqTable(point[..highVariables]);
        fixed (GoldilocksExt2* pinned = destination)
        {
            GoldilocksExt2* d = pinned;
            Parallel.For(1, blocks, h =>
            {
                var low = new ReadOnlySpan<GoldilocksExt2>(d, block);
                var target = new Span<GoldilocksExt2>(d + (long)h * block, block);
                GoldilocksExt2 scale = high[h];
                for (int l = 0; l < block; l++) target[l] = low[l] * scale;
            });
        }
        var first = destination[..block];
        for (int l = 0; l < block; l++) first[l] *= high[0];
    }

    private static void EqTableSequential(ReadOnlySpan<GoldilocksExt2> point, Span<GoldilocksExt2> table)
    {
        table[0] = GoldilocksExt2.One;
        int size = 1;
        foreach (GoldilocksExt2 r in point)
        {
            // Each step appends one variable as the new least significant bit; descending so sources survive.
            for (int i = size - 1; i >= 0; i--)
            {
                GoldilocksExt2 one = table[i] * r;
                table[2 * i + 1] = one;
                table[2 * i] = table[i] - one;
            }
            size *= 2;
        }
    }

    /// <summary>
    /// Fixes the first variable of a base-field table to <paramref name="r"/>:
    /// destination[i] = table[i] + r (table[i + h] - table[i]) for i &lt; h = length / 2.
    /// </summary>
    public static unsafe void FixFirstVariable(ReadOnlySpan<Goldilocks> table, GoldilocksExt2 r, Span<GoldilocksExt2> destination)
    {
        int half = Half(table.Length);
        if (destination.Length < half) throw new ArgumentException("Destination shorter than half the table.", nameof(destination));
        if (half < ParallelThreshold)
        {
            FoldBase(table[..half], table[half..], r, destination[..half]);
            return;
        }
        fixed (Goldilocks* pinnedSource = table)
        fixed (GoldilocksExt2* pinnedDestination = destination)
        {
            Goldilocks* s = pinnedSource;
            GoldilocksExt2* d = pinnedDestination;
            Common.ParallelChunks.For(half, ParallelThreshold, (from, to) => FoldBase(
                new ReadOnlySpan<Goldilocks>(s + from, to - from), new ReadOnlySpan<Goldilocks>(s + half + from, to - from),
                r, new Span<GoldilocksExt2>(d + from, to - from)));
        }
    }

    /// <summary>As <see cref="FixFirstVariable(ReadOnlySpan{Goldilocks}, GoldilocksExt2, Span{GoldilocksExt2})"/> for an extension-field table.</summary>
    public static unsafe void FixFirstVariable(ReadOnlySpan<GoldilocksExt2> table, GoldilocksExt2 r, Span<GoldilocksExt2> destination)
    {
        int half = Half(table.Length);
        if (destination.Length < half) throw new ArgumentException("Destination shorter than half the table.", nameof(destination));
        if (half < ParallelThreshold)
        {
            FoldExt(table[..half], table[half..], r, destination[..half]);
            return;
        }
        fixed (GoldilocksExt2* pinnedSource = table)
        fixed (GoldilocksExt2* pinnedDestination = destination)
        {
            GoldilocksExt2* s = pinnedSource, d = pinnedDestination;
            Common.ParallelChunks.For(half, ParallelThreshold, (from, to) => FoldExt(
                new ReadOnlySpan<GoldilocksExt2>(s + from, to - from), new ReadOnlySpan<GoldilocksExt2>(s + half + from, to - from),
                r, new Span<GoldilocksExt2>(d + from, to - from)));
        }
    }

    /// <summary>
    /// Fixes the first variable in place: afterwards the first half of <paramref name="table"/> is the table of the
    /// remaining variables (the second half is left as it was). Returns the new length.
    /// </summary>
    public static int FixFirstVariableInPlace(Span<GoldilocksExt2> table, GoldilocksExt2 r)
    {
        // Entry i reads only i and i + half and writes only i, so the source and destination may overlap this way.
        FixFirstVariable(table, r, table);
        return table.Length / 2;
    }

    /// <summary>The multilinear extension of a base-field table at <paramref name="point"/> (one coordinate per variable).</summary>
    public static GoldilocksExt2 Evaluate(ReadOnlySpan<Goldilocks> table, ReadOnlySpan<GoldilocksExt2> point)
    {
        int n = VariableCount(table.Length);
        if (point.Length != n) throw new ArgumentException($"The table has {n} variables, the point {point.Length}.", nameof(point));
        if (n == 0) return table[0];
        var scratch = System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Rent(table.Length / 2);
        try
        {
            FixFirstVariable(table, point[0], scratch);
            return FoldToValue(scratch.AsSpan(0, table.Length / 2), point[1..]);
        }
        finally
        {
            System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(scratch);
        }
    }

    /// <summary>The multilinear extension of an extension-field table at <paramref name="point"/>; the table is not modified.</summary>
    public static GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> table, ReadOnlySpan<GoldilocksExt2> point)
    {
        int n = VariableCount(table.Length);
        if (point.Length != n) throw new ArgumentException($"The table has {n} variables, the point {point.Length}.", nameof(point));
        if (n == 0) return table[0];
        var scratch = System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Rent(table.Length / 2);
        try
        {
            FixFirstVariable(table, point[0], scratch);
            return FoldToValue(scratch.AsSpan(0, table.Length / 2), point[1..]);
        }
        finally
        {
            System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(scratch);
        }
    }

    private static GoldilocksExt2 FoldToValue(Span<GoldilocksExt2> table, ReadOnlySpan<GoldilocksExt2> point)
    {
        foreach (GoldilocksExt2 r in point) table = table[..FixFirstVariableInPlace(table, r)];
        return table[0];
    }

    private static int Half(int length)
    {
        if (VariableCount(length) == 0) throw new ArgumentException("A table of one entry has no variable to fix.");
        return length / 2;
    }

    private static void FoldBase(ReadOnlySpan<Goldilocks> low, ReadOnlySpan<Goldilocks> high, GoldilocksExt2 r, Span<GoldilocksExt2> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            Goldilocks l = low[i];
            GoldilocksExt2 step = GoldilocksExt2.Mul(r, high[i] - l);
            destination[i] = new GoldilocksExt2(step.C0 + l, step.C1);
        }
    }

    private static void FoldExt(ReadOnlySpan<GoldilocksExt2> low, ReadOnlySpan<GoldilocksExt2> high, GoldilocksExt2 r, Span<GoldilocksExt2> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            GoldilocksExt2 l = low[i];
            destination[i] = l + r * (high[i] - l);
        }
    }
}
