using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A <see cref="ZkSumcheck"/> prover's tables for a sum of products whose masks are scalars and whose mask variable is
/// the last (the step's zero-check blocks): the same round values as the generic prover, computed with less work.
/// <list type="bullet">
/// <item>Two-factor terms c h f_a sharing one unmasked hub factor h (eq in a zero-check) are one term h L with
/// L = sum_a c_a f_a built once: per entry one product per point instead of one per term, and the factors that appear
/// only there are never folded (their finals are inner products with eq(r, .) at the end).</item>
/// <item>Every table carries its live length (the power of two past which it is zero: a factor zero-padded in its leading
/// variables): a term's round and a table's fold touch only the live entries.</item>
/// <item>The last round (the mask variable's) runs on two-entry tables: L' = L + x (1 - x) sum_a c_a R_a.</item>
/// </list>
/// Field arithmetic is exact, so every sum equals the generic prover's: the same messages, transcript and proof.
/// </summary>
internal sealed class ZkSumcheckTermKernel : IZkSumcheckKernel
{
    private readonly ZkSumcheckShape _shape;
    private readonly ZkSumcheckFactor[] _factors;
    // The tables the rounds read (folded in place): the folded factors' copies, then L when there is a hub.
    private readonly GoldilocksExt2[][] _tables;
    private readonly int[] _live;
    // Per table: its factor (-1 for L) and its scalar mask (L: sum_a c_a R_a).
    private readonly int[] _factorOf;
    private readonly GoldilocksExt2[] _mask;
    private readonly bool[] _hasMask;
    private readonly (GoldilocksExt2 Coefficient, int[] Tables)[] _terms;
    // Factors read only through L: their finals come from eq(r, .) at the end.
    private readonly int[] _unfolded;
    private readonly int[] _unfoldedLive;
    private readonly GoldilocksExt2[] _point;
    private GoldilocksExt2[]? _round0;

    public bool[] Masked { get; }

    private ZkSumcheckTermKernel(ZkSumcheckShape shape, ZkSumcheckFactor[] factors, ZkSumcheckTerm[] terms)
    {
        (_shape, _factors) = (shape, factors);
        int k = factors.Length;
        Masked = [.. factors.Select(f => f.IsMasked)];
        _point = new GoldilocksExt2[shape.Variables];
        var live = factors.Select(f => Live(f.Table)).ToArray();
        // The hub: the unmasked factor in the most two-factor terms (once each).
        var count = new int[k];
        foreach (var t in terms)
            if (t.Factors.Length == 2 && t.Factors[0] != t.Factors[1])
                foreach (int j in t.Factors)
                    if (!Masked[j]) count[j]++;
        int hub = -1;
        for (int j = 0; j < k; j++)
            if (count[j] >= 2 && (hub < 0 || count[j] > count[hub])) hub = j;
        var grouped = new GoldilocksExt2[k];
        var inL = new bool[k];
        var general = new List<ZkSumcheckTerm>();
        foreach (var t in terms)
        {
            if (hub >= 0 && t.Factors.Length == 2 && t.Factors[0] != t.Factors[1] && (t.Factors[0] == hub || t.Factors[1] == hub))
            {
                int a = t.Factors[0] == hub ? t.Factors[1] : t.Factors[0];
                grouped[a] += t.Coefficient;
                inL[a] = true;
                continue;
            }
            general.Add(t);
        }
        var folded = new bool[k];
        foreach (var t in general)
            foreach (int j in t.Factors) folded[j] = true;
        if (hub >= 0) folded[hub] = true;
        var tableIndex = new int[k];
        var tables = new List<GoldilocksExt2[]>();
        var liveList = new List<int>();
        var factorOf = new List<int>();
        for (int j = 0; j < k; j++)
        {
            tableIndex[j] = -1;
            if (!folded[j]) continue;
            tableIndex[j] = tables.Count;
            tables.Add(factors[j].Table.ToArray());
            liveList.Add(live[j]);
            factorOf.Add(j);
        }
        var roundTerms = general.Select(t => (t.Coefficient, t.Factors.Select(j => tableIndex[j]).ToArray())).ToList();
        if (hub >= 0)
        {
            int lLive = 1;
            for (int a = 0; a < k; a++)
                if (inL[a]) lLive = Math.Max(lLive, live[a]);
            tables.Add(Combination(factors, grouped, inL, lLive));
            liveList.Add(lLive);
            factorOf.Add(-1);
            roundTerms.Add((GoldilocksExt2.One, [tableIndex[hub], tables.Count - 1]));
        }
        (_tables, _live, _factorOf, _terms) = ([.. tables], [.. liveList], [.. factorOf], [.. roundTerms]);
        _mask = new GoldilocksExt2[_tables.Length];
        _hasMask = new bool[_tables.Length];
        for (int s = 0; s < _tables.Length; s++)
        {
            int j = _factorOf[s];
            if (j >= 0)
            {
                if (factors[j].Mask is { } m) (_mask[s], _hasMask[s]) = (m[0], true);
                continue;
            }
            for (int a = 0; a < k; a++)
                if (inL[a] && factors[a].Mask is { } m)
                {
                    _mask[s] += grouped[a] * m[0];
                    _hasMask[s] = true;
                }
        }
        _unfolded = [.. Enumerable.Range(0, k).Where(j => !folded[j])];
        _unfoldedLive = [.. _unfolded.Select(j => live[j])];
    }

    /// <summary>The kernel for these factors and terms, or null when it does not apply (a mask wider than a scalar, or a mask variable before the last).</summary>
    internal static ZkSumcheckTermKernel? TryCreate(ZkSumcheckShape shape, ZkSumcheckFactor[] factors, ZkSumcheckTerm[] terms)
    {
        if (shape.MaskVariable != shape.Variables - 1) return null;
        foreach (var f in factors)
            if (f.Mask is { Length: > 1 }) return null;
        return new ZkSumcheckTermKernel(shape, factors, terms);
    }

    /// <summary>The power of two past which the table is zero (1 for an all-zero table).</summary>
    private static int Live(GoldilocksExt2[] table)
    {
        int last = table.Length - 1;
        while (last > 0 && table[last] == GoldilocksExt2.Zero) last--;
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(last + 1));
    }

    /// <summary>L = sum_a c_a f_a over the first <paramref name="live"/> entries.</summary>
    private static GoldilocksExt2[] Combination(ZkSumcheckFactor[] factors, GoldilocksExt2[] coefficients, bool[] inL, int live)
    {
        var l = new GoldilocksExt2[factors[0].Table.Length];
        var members = Enumerable.Range(0, factors.Length).Where(a => inL[a]).ToArray();
        var baseField = members.Select(a => IsBase(factors[a].Table)).ToArray();
        Chunks(live, (from, to) =>
        {
            // Per block of entries: every member's products summed unreduced (three reductions per entry, not two or
            // three per member), the block's accumulators on the stack.
            Span<ZkLinearExtAccumulator> sums = stackalloc ZkLinearExtAccumulator[CombinationBlock];
            for (int begin = from; begin < to; begin += CombinationBlock)
            {
                int stop = Math.Min(to, begin + CombinationBlock);
                var block = sums[..(stop - begin)];
                block.Clear();
                for (int m = 0; m < members.Length; m++)
                {
                    var f = factors[members[m]].Table;
                    GoldilocksExt2 c = coefficients[members[m]];
                    int end = Math.Min(stop, f.Length);
                    if (baseField[m])
                        for (int x = begin; x < end; x++) block[x - begin].AddBase(c, f[x].C0);
                    else
                        for (int x = begin; x < end; x++) block[x - begin].Add(c, f[x]);
                }
                for (int x = begin; x < stop; x++) l[x] = block[x - begin].Value;
            }
        });
        return l;
    }

    /// <summary>Entries per block of <see cref="Combination"/> (their accumulators: 18 KiB of stack).</summary>
    private const int CombinationBlock = 1 << 8;

    private static bool IsBase(GoldilocksExt2[] table)
    {
        foreach (var e in table)
            if (!e.C1.IsZero) return false;
        return true;
    }

    private static void Chunks(int count, Action<int, int> body)
    {
        if (count < 2 * Multilinear.ParallelThreshold) body(0, count);
        else Common.ParallelChunks.For(count, Multilinear.ParallelThreshold, body);
    }

    public GoldilocksExt2 Claim()
    {
        int degree = _shape.RoundDegree(0);
        _round0 = new GoldilocksExt2[degree + 1];
        Round(0, degree, _round0, true);
        return _round0[0] + _round0[1];
    }

    public void RoundValues(int round, int degree, Span<GoldilocksExt2> sums)
    {
        if (round == 0 && _round0 is { } first)
        {
            first.CopyTo(sums);
            sums[1] = GoldilocksExt2.Zero;
            return;
        }
        Round(round, degree, sums, false);
    }

    private void Round(int round, int degree, Span<GoldilocksExt2> sums, bool withOne)
    {
        sums.Clear();
        if (round == _shape.Variables - 1)
        {
            LastRound(degree, sums, withOne);
            return;
        }
        int half = 1 << (_shape.Variables - round - 1);
        Span<GoldilocksExt2> part = stackalloc GoldilocksExt2[degree + 1];
        foreach (var (coefficient, tables) in _terms)
        {
            int range = half;
            foreach (int s in tables) range = Math.Min(range, _live[s]);
            part.Clear();
            if (tables.Length == 2) Pair(_tables[tables[0]], _tables[tables[1]], half, range, degree, withOne, part);
            else Product(tables, half, range, degree, withOne, part);
            for (int t = 0; t <= degree; t++) sums[t] += coefficient.IsOne ? part[t] : coefficient * part[t];
        }
    }

    /// <summary>part[t] = sum over i &lt; range of a(t) b(t) (t = 0, 1 when <paramref name="withOne"/>, 2..degree).</summary>
    private static void Pair(GoldilocksExt2[] a, GoldilocksExt2[] b, int half, int range, int degree, bool withOne, Span<GoldilocksExt2> part)
    {
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, range / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * (degree + 1)];
        void Body(int c)
        {
            // The products summed unreduced (one reduction per sum, not per product).
            ZkLinearExtAccumulator s0 = default, s1 = default, s2 = default, s3 = default;
            Span<GoldilocksExt2> more = stackalloc GoldilocksExt2[Math.Max(0, degree - 3)];
            for (int i = (int)((long)range * c / chunks), end = (int)((long)range * (c + 1) / chunks); i < end; i++)
            {
                GoldilocksExt2 a0 = a[i], a1 = a[i + half], b0 = b[i], b1 = b[i + half];
                s0.Add(a0, b0);
                if (withOne) s1.Add(a1, b1);
                GoldilocksExt2 da = a1 - a0, db = b1 - b0, at = a1 + da, bt = b1 + db;
                s2.Add(at, bt);
                for (int t = 3; t <= degree; t++)
                {
                    at += da;
                    bt += db;
                    if (t == 3) s3.Add(at, bt);
                    else more[t - 4] += at * bt;
                }
            }
            var local = partial.AsSpan(c * (degree + 1), degree + 1);
            local[0] = s0.Value;
            local[1] = s1.Value;
            local[2] = s2.Value;
            if (degree >= 3) local[3] = s3.Value;
            for (int t = 4; t <= degree; t++) local[t] = more[t - 4];
        }
        if (chunks == 1) Body(0);
        else Parallel.For(0, chunks, Body);
        for (int c = 0; c < chunks; c++)
            for (int t = 0; t <= degree; t++) part[t] += partial[c * (degree + 1) + t];
    }

    /// <summary>As <see cref="Pair"/> for a term of any number of tables.</summary>
    private void Product(int[] tables, int half, int range, int degree, bool withOne, Span<GoldilocksExt2> part)
    {
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, range / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * (degree + 1)];
        var source = _tables;
        void Body(int c)
        {
            int m = tables.Length;
            Span<GoldilocksExt2> value = stackalloc GoldilocksExt2[m], step = stackalloc GoldilocksExt2[m];
            var local = partial.AsSpan(c * (degree + 1), degree + 1);
            // The last product of each point summed unreduced (one reduction per sum); at most 8 points unreduced.
            Span<ZkLinearExtAccumulator> sums = stackalloc ZkLinearExtAccumulator[8];
            sums.Clear();
            for (int i = (int)((long)range * c / chunks), end = (int)((long)range * (c + 1) / chunks); i < end; i++)
            {
                for (int j = 0; j < m; j++)
                {
                    var f = source[tables[j]];
                    (value[j], step[j]) = (f[i], f[i + half] - f[i]);
                }
                for (int t = 0; t <= degree; t++)
                {
                    if (t > 0)
                        for (int j = 0; j < m; j++) value[j] += step[j];
                    if (t == 1 && !withOne) continue;
                    GoldilocksExt2 product = value[0];
                    for (int j = 1; j < m - 1; j++) product *= value[j];
                    if (m > 1 && t < 8) sums[t].Add(product, value[m - 1]);
                    else local[t] += m > 1 ? product * value[m - 1] : product;
                }
            }
            for (int t = 0; t <= degree && t < 8; t++) local[t] += sums[t].Value;
        }
        if (chunks == 1) Body(0);
        else Parallel.For(0, chunks, Body);
        for (int c = 0; c < chunks; c++)
            for (int t = 0; t <= degree; t++) part[t] += partial[c * (degree + 1) + t];
    }

    /// <summary>The mask variable's round on two-entry tables: each masked table is f(t) + t (1 - t) R.</summary>
    private void LastRound(int degree, Span<GoldilocksExt2> sums, bool withOne)
    {
        Span<GoldilocksExt2> value = stackalloc GoldilocksExt2[_tables.Length];
        for (int t = 0; t <= degree; t++)
        {
            if (t == 1 && !withOne) continue;
            GoldilocksExt2 x = GoldilocksExt2.FromUInt64((ulong)t), weight = x * (GoldilocksExt2.One - x);
            for (int s = 0; s < _tables.Length; s++)
            {
                var f = _tables[s];
                GoldilocksExt2 v = f[0] + x * (f[1] - f[0]);
                value[s] = _hasMask[s] ? v + weight * _mask[s] : v;
            }
            foreach (var (coefficient, tables) in _terms)
            {
                GoldilocksExt2 product = value[tables[0]];
                for (int j = 1; j < tables.Length; j++) product *= value[tables[j]];
                sums[t] += coefficient * product;
            }
        }
    }

    public void Fold(int round, GoldilocksExt2 r)
    {
        _point[round] = r;
        int half = 1 << (_shape.Variables - round - 1);
        GoldilocksExt2 oneMinus = GoldilocksExt2.One - r;
        for (int s = 0; s < _tables.Length; s++)
        {
            var table = _tables[s];
            int live = _live[s];
            if (live > half) Multilinear.FixFirstVariableInPlace(table.AsSpan(0, 2 * half), r);
            else
                // The upper half is zero: l + r (0 - l) = (1 - r) l on the live entries only.
                Chunks(live, (from, to) =>
                {
                    for (int i = from; i < to; i++) table[i] *= oneMinus;
                });
            _live[s] = Math.Min(live, half);
        }
        if (round != _shape.Variables - 1) return;
        // Past x_v the mask's weight is the constant r_v (1 - r_v).
        GoldilocksExt2 weight = r * oneMinus;
        for (int s = 0; s < _tables.Length; s++)
            if (_factorOf[s] >= 0 && _hasMask[s]) _tables[s][0] += weight * _mask[s];
    }

    public GoldilocksExt2[] Finals()
    {
        var finals = new GoldilocksExt2[_factors.Length];
        for (int s = 0; s < _tables.Length; s++)
            if (_factorOf[s] >= 0) finals[_factorOf[s]] = _tables[s][0];
        if (_unfolded.Length == 0) return finals;
        var eq = Multilinear.EqTable(_point);
        GoldilocksExt2 rv = _point[^1], weight = rv * (GoldilocksExt2.One - rv);
        for (int u = 0; u < _unfolded.Length; u++)
        {
            int j = _unfolded[u];
            var f = _factors[j].Table;
            int live = _unfoldedLive[u];
            bool baseField = IsBase(f);
            int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, live / Multilinear.ParallelThreshold));
            var partial = new GoldilocksExt2[chunks];
            void Body(int c)
            {
                GoldilocksExt2 sum = GoldilocksExt2.Zero;
                int from = (int)((long)live * c / chunks), to = (int)((long)live * (c + 1) / chunks);
                if (baseField)
                    for (int x = from; x < to; x++) sum += GoldilocksExt2.Mul(eq[x], f[x].C0);
                else
                    for (int x = from; x < to; x++) sum += eq[x] * f[x];
                partial[c] = sum;
            }
            if (chunks == 1) Body(0);
            else Parallel.For(0, chunks, Body);
            GoldilocksExt2 value = GoldilocksExt2.Zero;
            foreach (var p in partial) value += p;
            if (_factors[j].Mask is { } m) value += weight * m[0];
            finals[j] = value;
        }
        return finals;
    }
}
