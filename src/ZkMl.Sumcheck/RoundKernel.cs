using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// One sumcheck round's prover work: the round polynomial g(t) = sum_i prod_j (T_j[i] + t (T_j[i + h] - T_j[i]))
/// at t = 0..k, over the live half h of each table. Generic so the first round runs on base-field tables
/// (one base multiplication per product instead of an extension one); the JIT specialises each field.
/// </summary>
internal static class RoundKernel
{
    /// <summary>
    /// sums[t] = g(t) for t = 0..k (sums has k + 1 entries); g(1) is computed only when <paramref name="withOne"/>
    /// (the first round, to learn the claim), otherwise sums[1] is left zero.
    /// </summary>
    public static void Evaluate<T>(T[][] tables, int half, bool withOne, Span<T> sums) where T : unmanaged, IField<T>
    {
        int k = tables.Length;
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, half / Multilinear.ParallelThreshold));
        if (chunks == 1)
        {
            Accumulate(tables, 0, half, half, withOne, sums);
            return;
        }
        var partial = new T[chunks * (k + 1)];
        Parallel.For(0, chunks, c => Accumulate(tables, (int)((long)half * c / chunks), (int)((long)half * (c + 1) / chunks),
            half, withOne, partial.AsSpan(c * (k + 1), k + 1)));
        sums.Clear();
        for (int c = 0; c < chunks; c++)
            for (int t = 0; t <= k; t++) sums[t] = T.Add(sums[t], partial[c * (k + 1) + t]);
    }

    private static void Accumulate<T>(T[][] tables, int from, int to, int half, bool withOne, Span<T> sums) where T : unmanaged, IField<T>
    {
        sums.Clear();
        if (tables.Length == 2)
        {
            AccumulatePair(tables[0], tables[1], from, to, half, withOne, sums);
            return;
        }
        int k = tables.Length;
        Span<T> value = stackalloc T[k];
        Span<T> step = stackalloc T[k];
        for (int i = from; i < to; i++)
        {
            T product = tables[0][i];
            for (int j = 1; j < k; j++) product = T.Mul(product, tables[j][i]);
            sums[0] = T.Add(sums[0], product);
            for (int j = 0; j < k; j++)
            {
                value[j] = tables[j][i + half];
                step[j] = T.Sub(value[j], tables[j][i]);
            }
            if (withOne) sums[1] = T.Add(sums[1], Product(value));
            for (int t = 2; t <= k; t++)
            {
                for (int j = 0; j < k; j++) value[j] = T.Add(value[j], step[j]);
                sums[t] = T.Add(sums[t], Product(value));
            }
        }
    }

    /// <summary>The common two-factor case (matrix products) without the per-factor loops.</summary>
    private static void AccumulatePair<T>(T[] a, T[] b, int from, int to, int half, bool withOne, Span<T> sums) where T : unmanaged, IField<T>
    {
        T zero = T.Zero, one = T.Zero, two = T.Zero;
        var aLow = a.AsSpan(from, to - from);
        var aHigh = a.AsSpan(half + from, to - from);
        var bLow = b.AsSpan(from, to - from);
        var bHigh = b.AsSpan(half + from, to - from);
        for (int i = 0; i < aLow.Length; i++)
        {
            zero = T.Add(zero, T.Mul(aLow[i], bLow[i]));
            if (withOne) one = T.Add(one, T.Mul(aHigh[i], bHigh[i]));
            // value at 2 = 2 high - low
            T a2 = T.Sub(T.Double(aHigh[i]), aLow[i]);
            T b2 = T.Sub(T.Double(bHigh[i]), bLow[i]);
            two = T.Add(two, T.Mul(a2, b2));
        }
        sums[0] = zero;
        sums[1] = one;
        sums[2] = two;
    }

    private static T Product<T>(ReadOnlySpan<T> values) where T : unmanaged, IField<T>
    {
        T product = values[0];
        for (int j = 1; j < values.Length; j++) product = T.Mul(product, values[j]);
        return product;
    }
}
