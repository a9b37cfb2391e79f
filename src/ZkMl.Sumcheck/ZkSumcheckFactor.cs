using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// One factor of a <see cref="ZkSumcheck"/>: a multilinear table f over {0,1}^n, plain (a public table such as an eq
/// table, or one the caller hides otherwise) or masked: the polynomial is then f'(x) = f~(x) + x_v (1 - x_v) R~(x_suffix)
/// with R a table over the last log2 |R| variables (for a hiding Ligero commitment, its slot's
/// <see cref="LigeroProverData.EvaluationMask"/>, whose variables are the commitment's column variables). f' equals f
/// on the hypercube, so the sum is f's, while f'(r) at the sumcheck's point is uniform.
/// </summary>
public sealed class ZkSumcheckFactor
{
    private ZkSumcheckFactor(GoldilocksExt2[] table, GoldilocksExt2[]? mask)
    {
        int n = Multilinear.VariableCount(table.Length);
        if (mask is not null && Multilinear.VariableCount(mask.Length) > n) throw new ArgumentException("The mask has more variables than the table.", nameof(mask));
        (Table, Mask) = (table, mask);
    }

    /// <summary>A plain base-field factor.</summary>
    public ZkSumcheckFactor(ReadOnlySpan<Goldilocks> table) : this(ToExt(table), null)
    {
    }

    /// <summary>A plain extension-field factor (e.g. eq(p, .)).</summary>
    public ZkSumcheckFactor(ReadOnlySpan<GoldilocksExt2> table) : this(table.ToArray(), null)
    {
    }

    /// <summary>
    /// A factor over <paramref name="table"/> itself, masked by <paramref name="mask"/> when given: no copy, so the caller
    /// hands the arrays over (a fresh table the prover builds for this sumcheck, such as a lookup's leaves) and leaves
    /// them unchanged while the factor is in use.
    /// </summary>
    public static ZkSumcheckFactor Over(GoldilocksExt2[] table, GoldilocksExt2[]? mask = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new(table, mask);
    }

    /// <summary>A masked factor f~ + x_v (1 - x_v) R~ (v the sumcheck's <see cref="ZkSumcheckShape.MaskVariable"/>).</summary>
    public static ZkSumcheckFactor Masked(ReadOnlySpan<Goldilocks> table, ReadOnlySpan<GoldilocksExt2> mask) => new(ToExt(table), mask.ToArray());

    /// <summary>
    /// A masked factor over an extension-field table: a committed polynomial with some variables fixed to challenges
    /// (e.g. A'(r, k) of a matrix product summed over k), table and mask both restricted (<c>Restrict</c>) to the summed
    /// variables. Its mask variable must be one of the summed ones, so that f' = f~ still holds on their hypercube.
    /// </summary>
    public static ZkSumcheckFactor Masked(ReadOnlySpan<GoldilocksExt2> table, ReadOnlySpan<GoldilocksExt2> mask) => new(table.ToArray(), mask.ToArray());

    /// <summary>
    /// The multilinear table with variables first .. first + values.Length - 1 fixed to <paramref name="values"/>: a table
    /// over the remaining variables in order (2^(n - values.Length) entries).
    /// </summary>
    public static GoldilocksExt2[] Restrict(ReadOnlySpan<GoldilocksExt2> table, int first, ReadOnlySpan<GoldilocksExt2> values)
    {
        int n = Multilinear.VariableCount(table.Length), m = values.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + m, n);
        var weights = Multilinear.EqTable(values);
        int low = n - first - m;
        var result = new GoldilocksExt2[1 << (n - m)];
        for (int x = 0; x < table.Length; x++)
        {
            int high = x >> (low + m), middle = (x >> low) & ((1 << m) - 1), rest = x & ((1 << low) - 1);
            result[(high << low) | rest] += weights[middle] * table[x];
        }
        return result;
    }

    /// <summary>As <see cref="Restrict(ReadOnlySpan{GoldilocksExt2}, int, ReadOnlySpan{GoldilocksExt2})"/> for a base-field table.</summary>
    public static unsafe GoldilocksExt2[] Restrict(ReadOnlySpan<Goldilocks> table, int first, ReadOnlySpan<GoldilocksExt2> values)
    {
        int n = Multilinear.VariableCount(table.Length), m = values.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first + m, n);
        var weights = Multilinear.EqTable(values);
        int low = n - first - m;
        var result = new GoldilocksExt2[1 << (n - m)];
        // Each output entry sums its own 2^m inputs (base times extension, no widened copy of the table): outputs in
        // parallel chunks, the same sums in any order.
        fixed (Goldilocks* pinned = table)
        {
            nint at = (nint)pinned;
            int length = table.Length;
            Common.ParallelChunks.For(result.Length, Math.Max(1, (1 << 14) >> m), (from, to) =>
            {
                var t = new ReadOnlySpan<Goldilocks>((void*)at, length);
                for (int o = from; o < to; o++)
                {
                    int high = o >> low, rest = o & ((1 << low) - 1);
                    int x = (high << (low + m)) | rest;
                    GoldilocksExt2 sum = GoldilocksExt2.Zero;
                    for (int middle = 0; middle < weights.Length; middle++, x += 1 << low) sum += weights[middle] * t[x];
                    result[o] = sum;
                }
            });
        }
        return result;
    }

    internal GoldilocksExt2[] Table { get; }
    internal GoldilocksExt2[]? Mask { get; }

    /// <summary>Whether the factor carries a mask.</summary>
    public bool IsMasked => Mask is not null;

    /// <summary>Variables of the table.</summary>
    public int Variables => Multilinear.VariableCount(Table.Length);

    /// <summary>The factor's polynomial at <paramref name="point"/>: f~(r), plus r_v (1 - r_v) R~(r_suffix) when masked.</summary>
    public GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> point, int maskVariable)
    {
        GoldilocksExt2 value = Multilinear.Evaluate(Table, point);
        if (Mask is null) return value;
        GoldilocksExt2 rv = point[maskVariable];
        return value + rv * (GoldilocksExt2.One - rv) * Multilinear.Evaluate(Mask, point[(point.Length - Multilinear.VariableCount(Mask.Length))..]);
    }

    private static unsafe GoldilocksExt2[] ToExt(ReadOnlySpan<Goldilocks> table)
    {
        var result = GC.AllocateUninitializedArray<GoldilocksExt2>(table.Length);
        // Every entry written once, by chunks (the span pinned for the loop).
        fixed (Goldilocks* pinned = table)
        {
            nint at = (nint)pinned;
            int length = table.Length;
            Common.ParallelChunks.For(length, 1 << 15, (from, to) =>
            {
                var t = new ReadOnlySpan<Goldilocks>((void*)at, length);
                for (int i = from; i < to; i++) result[i] = t[i];
            });
        }
        return result;
    }
}
