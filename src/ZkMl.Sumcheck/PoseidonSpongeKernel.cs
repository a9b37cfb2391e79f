using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The rounds of <see cref="PoseidonSpongeZeroCheck"/>'s zero-check computed from its structure, with exactly the sums the
/// generic prover computes (same transcript, same proof): factors W, E, E', eq (public, extension) and Y, Abs, Y_prev,
/// D_prev, A, B, D (committed, base field, each masked by one scalar), the mask variable last. The sum of products is
/// evaluated as W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) + g eq (A - Y Y) + g^2 eq (B - A Y) + g^3 eq (D - B B) with
/// the outer products summed unreduced (<see cref="ZkLinearExtAccumulator"/>) in four sums per point and gamma's powers
/// applied once per chunk: per point 5 reduced and 6 unreduced products. Round 0 (half the work) reads the committed
/// tables in the base field and also yields the claim; round 1 folds them by r_0 from the base tables inside its pass; from
/// round 1 a round folds one table at a time per block and sums the block from cache. Dead permutations and the padding
/// cells 118..127 (both checked zero) are skipped; the scalar masks only enter the last round, which runs the generic formula.
/// </summary>
internal sealed class PoseidonSpongeKernel : IZkSumcheckKernel
{
    private const int Public = 4, Committed = 7, Factors = Public + Committed;

    private readonly int _variables;
    private readonly ZkSumcheckTerm[] _terms;
    private readonly GoldilocksExt2 _g1, _g2, _g3;
    private readonly GoldilocksExt2[][] _public;
    private Goldilocks[][]? _base;
    private readonly GoldilocksExt2[] _scalars;
    private readonly GoldilocksExt2[] _point;
    private GoldilocksExt2[][]? _tables;
    private GoldilocksExt2[]? _round0, _last, _finals;

    /// <param name="publicTables">W, E, E', eq (2^n entries each; folded in place, so owned by the kernel).</param>
    /// <param name="committed">Y, Abs, Y_prev, D_prev, A, B, D (2^n base entries each, read only).</param>
    /// <param name="scalars">Their mask scalars.</param>
    /// <param name="gamma">The zero-check's gamma (the terms are <see cref="PoseidonSpongeZeroCheck.Terms"/> of it).</param>
    /// <param name="permutationVariables">m, the leading variables (the permutation index, least significant bit first).</param>
    /// <param name="permutations">K: W, E, E' are zero at permutations k &gt;= K (and the committed tables are checked to be
    /// zero at k &gt; K), so rounds over k skip the pairs that only hold such k, folding only eq there.</param>
    internal PoseidonSpongeKernel(GoldilocksExt2[][] publicTables, Goldilocks[][] committed, GoldilocksExt2[] scalars, GoldilocksExt2 gamma,
        int permutationVariables, int permutations)
    {
        if (publicTables.Length != Public || committed.Length != Committed || scalars.Length != Committed) throw new ArgumentException("The sponge's factors.");
        int size = publicTables[0].Length;
        _variables = Multilinear.VariableCount(size);
        if (_variables < 3) throw new ArgumentException("At least three variables.", nameof(publicTables));
        if (publicTables.Any(t => t.Length != size) || committed.Any(t => t.Length != size)) throw new ArgumentException("Tables of one size.", nameof(committed));
        (_public, _base, _scalars, _g1) = (publicTables, committed, scalars, gamma);
        _g2 = gamma * gamma;
        _g3 = _g2 * gamma;
        _terms = PoseidonSpongeZeroCheck.Terms(gamma);
        _point = new GoldilocksExt2[_variables];
        if (permutationVariables < 0 || permutationVariables > _variables - 1 || permutations < 1 || permutations > 1 << permutationVariables)
            throw new ArgumentOutOfRangeException(nameof(permutations));
        (_permutationVariables, _blockBits) = (permutationVariables, _variables - permutationVariables);
        // Y_prev and D_prev reach k = K (Y(K - 1)): a permutation is dead past K when every committed table is zero there.
        _live = Math.Min(permutations + 1, 1 << permutationVariables);
        for (int k = _live; k < 1 << permutationVariables && _live < 1 << permutationVariables; k++)
        {
            int start = PoseidonSpongeLayout.Reverse(k, permutationVariables) << _blockBits;
            foreach (var table in committed)
                if (System.Runtime.InteropServices.MemoryMarshal.Cast<Goldilocks, ulong>(table.AsSpan(start, 1 << _blockBits)).IndexOfAnyExcept(0UL) >= 0)
                {
                    _live = 1 << permutationVariables; // not the honest layout's zeros: skip nothing
                    break;
                }
        }
        _padded = _variables - 1 >= PoseidonSpongeLayout.CellVariables && ZeroPadding(publicTables, committed);
    }

    private readonly int _permutationVariables, _blockBits, _live;

    /// <summary>Cells per permutation of the 128 (the last seven variables, the index's low bits): past them the honest tables are zero.</summary>
    private const int Cells = PoseidonSpongeLayout.Cells, CellMask = (1 << PoseidonSpongeLayout.CellVariables) - 1;

    /// <summary>Whether every table but eq is zero at the padding cells (checked): the rounds over the leading variables skip them.</summary>
    private readonly bool _padded;

    /// <summary>Whether every table but eq is zero at cells 118..127 (their low seven index bits).</summary>
    private static bool ZeroPadding(GoldilocksExt2[][] publicTables, Goldilocks[][] committed)
    {
        for (int at = Cells; at < committed[0].Length; at += CellMask + 1)
        {
            for (int j = 0; j < Public - 1; j++)
                if (System.Runtime.InteropServices.MemoryMarshal.Cast<GoldilocksExt2, ulong>(publicTables[j].AsSpan(at, CellMask + 1 - Cells)).IndexOfAnyExcept(0UL) >= 0) return false;
            foreach (var table in committed)
                if (System.Runtime.InteropServices.MemoryMarshal.Cast<Goldilocks, ulong>(table.AsSpan(at, CellMask + 1 - Cells)).IndexOfAnyExcept(0UL) >= 0) return false;
        }
        return true;
    }

    /// <summary>Whether round <paramref name="round"/> skips the padding cells (the cell bits are still the pairs' low index bits).</summary>
    private bool SkipsPadding(int round) => _padded && _variables - 1 - round >= PoseidonSpongeLayout.CellVariables;

    /// <summary>
    /// The next run [g, e) of [g, stop) to process: all of it, or when <paramref name="skip"/> the entries up to the next
    /// padding cell (g first moved past padding). False when none is left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NextRun(bool skip, ref int g, int stop, out int e)
    {
        if (skip && (g & CellMask) >= Cells) g = (g | CellMask) + 1;
        e = skip ? Math.Min(stop, (g & ~CellMask) + Cells) : stop;
        return g < stop;
    }

    /// <summary>
    /// Whether round <paramref name="round"/>'s pairs in block <paramref name="block"/> (indices block 2^blockBits ..) hold
    /// a live permutation: the block's top bits are the reversed a = k &gt;&gt; (round + 1), live iff a 2^(round + 1) &lt; live.
    /// </summary>
    private bool IsLive(int round, int block)
    {
        int bits = _permutationVariables - round - 1;
        return (long)PoseidonSpongeLayout.Reverse(block, bits) << (round + 1) < _live;
    }

    /// <summary>Blocks of a round over the permutation's variables (0 once past them: no skipping).</summary>
    private int Blocks(int round) => round < _permutationVariables ? 1 << (_permutationVariables - round - 1) : 0;

    public bool[] Masked { get; } = [.. Enumerable.Range(0, Factors).Select(j => j >= Public)];

    public GoldilocksExt2 Claim()
    {
        _round0 = BaseRound();
        return _round0[0] + _round0[1];
    }

    public void RoundValues(int round, int degree, Span<GoldilocksExt2> sums)
    {
        sums.Clear();
        int n = _variables;
        if (round == n - 1)
        {
            LastRound(degree, sums);
            return;
        }
        if (degree != 3) throw new InvalidOperationException("The sponge's rounds before the mask variable have degree 3.");
        if (round == 0)
        {
            (sums[0], sums[2], sums[3]) = (_round0![0], _round0[2], _round0[3]);
            return;
        }
        int half = 1 << (n - 1 - round);
        GoldilocksExt2[] local;
        if (round == 1)
        {
            // The committed tables leave the base field: folded by r_0 from the base tables into extension tables of half
            // the size within the round's pass (zeroed: a dead block's entries, which the pass skips, fold to zero).
            var tables = new GoldilocksExt2[Factors][];
            for (int j = 0; j < Public; j++) tables[j] = _public[j];
            for (int j = 0; j < Committed; j++) tables[Public + j] = new GoldilocksExt2[1 << (n - 1)];
            _tables = tables;
            local = Pass(round, _point[0], half, _base);
            _base = null;
        }
        else local = Pass(round, _point[round - 1], half);
        (sums[0], sums[2], sums[3]) = (local[0], local[2], local[3]);
    }

    public void Fold(int round, GoldilocksExt2 r)
    {
        _point[round] = r;
        if (round < _variables - 1) return;
        // The mask variable: f[0] + r (f[1] - f[0]), plus r (1 - r) times the scalar for the committed factors.
        GoldilocksExt2 weight = r * (GoldilocksExt2.One - r);
        _finals = new GoldilocksExt2[Factors];
        for (int j = 0; j < Factors; j++)
        {
            _finals[j] = _last![2 * j] + r * (_last[2 * j + 1] - _last[2 * j]);
            if (j >= Public) _finals[j] += weight * _scalars[j - Public];
        }
    }

    public GoldilocksExt2[] Finals() => _finals ?? throw new InvalidOperationException("The rounds have not run.");

    /// <summary>
    /// One point's products into four unreduced sums: W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) (the minus signs as
    /// negated factors) and eq (A - Y Y), eq (B - A Y), eq (D - B B).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Span<ZkLinearExtAccumulator> s4, in GoldilocksExt2 w, in GoldilocksExt2 e, in GoldilocksExt2 f, in GoldilocksExt2 q, in GoldilocksExt2 y, in GoldilocksExt2 ab,
        in GoldilocksExt2 yp, in GoldilocksExt2 dp, in GoldilocksExt2 a, in GoldilocksExt2 b, in GoldilocksExt2 d)
    {
        ref ZkLinearExtAccumulator main = ref s4[0];
        main.Add(w, GoldilocksExt2.Sub(y, ab));
        main.Add(e, GoldilocksExt2.Neg(GoldilocksExt2.Mul(d, y)));
        main.Add(f, GoldilocksExt2.Neg(GoldilocksExt2.Mul(dp, yp)));
        s4[1].Add(q, GoldilocksExt2.Sub(a, GoldilocksExt2.Mul(y, y)));
        s4[2].Add(q, GoldilocksExt2.Sub(b, GoldilocksExt2.Mul(a, y)));
        s4[3].Add(q, GoldilocksExt2.Sub(d, GoldilocksExt2.Mul(b, b)));
    }

    /// <summary>x + 2 s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 Step2(in GoldilocksExt2 x, in GoldilocksExt2 s) => GoldilocksExt2.Add(GoldilocksExt2.Add(x, s), s);

    /// <summary>Entries of one fold-then-sum block (eleven tables' four spans of 16-byte entries stay in L2).</summary>
    private const int FoldBlock = 1 << 8;

    /// <summary>Entries i and i + half and their difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (GoldilocksExt2 Low, GoldilocksExt2 Step) Pair(GoldilocksExt2[] o, int i, int half)
    {
        GoldilocksExt2 lo = o[i];
        return (lo, GoldilocksExt2.Sub(o[i + half], lo));
    }

    /// <summary>o[i] += r (o[i + 2 half] - o[i]) and o[i + half] += r (o[i + 3 half] - o[i + half]) for i in [begin, stop).</summary>
    private static void FoldBlockInPlace(GoldilocksExt2[] o, int begin, int stop, int half, GoldilocksExt2 r)
    {
        int length = stop - begin;
        var x0 = o.AsSpan(begin, length);
        var x1 = o.AsSpan(begin + half, length);
        var y0 = o.AsSpan(begin + 2 * half, length);
        var y1 = o.AsSpan(begin + 3 * half, length);
        for (int i = 0; i < x0.Length; i++)
        {
            GoldilocksExt2 lo = x0[i], hi = x1[i];
            x0[i] = GoldilocksExt2.Add(lo, GoldilocksExt2.Mul(r, GoldilocksExt2.Sub(y0[i], lo)));
            x1[i] = GoldilocksExt2.Add(hi, GoldilocksExt2.Mul(r, GoldilocksExt2.Sub(y1[i], hi)));
        }
    }

    /// <summary>As <see cref="FoldBlockInPlace"/> from a base table of twice the length into <paramref name="o"/>: x + r (y - x), two base products each.</summary>
    private static void FoldBlockFromBase(Goldilocks[] source, GoldilocksExt2[] o, int begin, int stop, int half, GoldilocksExt2 r)
    {
        int length = stop - begin;
        var x0 = source.AsSpan(begin, length);
        var x1 = source.AsSpan(begin + half, length);
        var y0 = source.AsSpan(begin + 2 * half, length);
        var y1 = source.AsSpan(begin + 3 * half, length);
        var z0 = o.AsSpan(begin, length);
        var z1 = o.AsSpan(begin + half, length);
        for (int i = 0; i < x0.Length; i++)
        {
            Goldilocks lo = x0[i], hi = x1[i];
            GoldilocksExt2 dlo = GoldilocksExt2.Mul(r, y0[i] - lo), dhi = GoldilocksExt2.Mul(r, y1[i] - hi);
            z0[i] = new GoldilocksExt2(dlo.C0 + lo, dlo.C1);
            z1[i] = new GoldilocksExt2(dhi.C0 + hi, dhi.C1);
        }
    }


    /// <summary>Round 0's sums at t = 0..3 from the base tables (the claim is sums[0] + sums[1]).</summary>
    private GoldilocksExt2[] BaseRound()
    {
        int half = 1 << (_variables - 1);
        var (pub, com) = (_public, _base!);
        GoldilocksExt2 g1 = _g1, g2 = _g2, g3 = _g3;
        bool skip = SkipsPadding(0);
        var (chunks, from, to) = Ranges(0, half);
        var partial = new GoldilocksExt2[chunks * 4];
        Parallel.For(0, chunks, c =>
        {
            if (from[c] < 0) return; // a dead block: every term is zero there
            // Per t: W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) and eq times each relation, as unreduced sums of
            // extension-by-base products (8 accumulators per t; gamma's powers enter once per chunk).
            Span<ZkLinearAccumulator> acc = stackalloc ZkLinearAccumulator[32];
            acc.Clear();
            var (w, e, e2, eq) = (pub[0], pub[1], pub[2], pub[3]);
            var (ys, abss, yps, dps, As, bs, ds) = (com[0], com[1], com[2], com[3], com[4], com[5], com[6]);
            for (int g = from[c], stop = to[c]; NextRun(skip, ref g, stop, out int end); g = end)
            {
                for (int i = g; i < end; i++)
                {
                    int h = i + half;
                    GoldilocksExt2 w0 = w[i], wd = w[h] - w0, e0 = e[i], ed = e[h] - e0, f0 = e2[i], fd = e2[h] - f0, q0 = eq[i], qd = eq[h] - q0;
                    Goldilocks y = ys[i], yd = ys[h] - y, ab = abss[i], abd = abss[h] - ab, yp = yps[i], ypd = yps[h] - yp, dp = dps[i], dpd = dps[h] - dp;
                    Goldilocks a = As[i], ad = As[h] - a, b = bs[i], bd = bs[h] - b, d = ds[i], dd = ds[h] - d;
                    for (int t = 0; t < 4; t++)
                    {
                        if (t > 0)
                        {
                            (w0, e0, f0, q0) = (GoldilocksExt2.Add(w0, wd), GoldilocksExt2.Add(e0, ed), GoldilocksExt2.Add(f0, fd), GoldilocksExt2.Add(q0, qd));
                            (y, ab, yp, dp, a, b, d) = (y + yd, ab + abd, yp + ypd, dp + dpd, a + ad, b + bd, d + dd);
                        }
                        ulong u = (y - ab).Value, ndy = (Goldilocks.Zero - d * y).Value, nprev = (Goldilocks.Zero - dp * yp).Value;
                        ulong r1 = (a - y * y).Value, r2 = (b - a * y).Value, r3 = (d - b * b).Value;
                        var s8 = acc.Slice(8 * t, 8);
                        s8[0].Add(w0.C0.Value, u);
                        s8[1].Add(w0.C1.Value, u);
                        s8[0].Add(e0.C0.Value, ndy);
                        s8[1].Add(e0.C1.Value, ndy);
                        s8[0].Add(f0.C0.Value, nprev);
                        s8[1].Add(f0.C1.Value, nprev);
                        s8[2].Add(q0.C0.Value, r1);
                        s8[3].Add(q0.C1.Value, r1);
                        s8[4].Add(q0.C0.Value, r2);
                        s8[5].Add(q0.C1.Value, r2);
                        s8[6].Add(q0.C0.Value, r3);
                        s8[7].Add(q0.C1.Value, r3);
                    }
                }
            }
            for (int t = 0; t < 4; t++)
            {
                var s8 = acc.Slice(8 * t, 8);
                partial[4 * c + t] = new GoldilocksExt2(s8[0].Value, s8[1].Value) + g1 * new GoldilocksExt2(s8[2].Value, s8[3].Value)
                    + g2 * new GoldilocksExt2(s8[4].Value, s8[5].Value) + g3 * new GoldilocksExt2(s8[6].Value, s8[7].Value);
            }
        });
        return Sum(partial, chunks);
    }

    /// <summary>
    /// sums[t] (t = 0, 2, 3) over i &lt; half, the tables first folded in place by <paramref name="r"/> (entries i and
    /// i + half written only after iteration i read them: no other iteration reads them); in round 1 the committed
    /// tables are folded from the base tables <paramref name="source"/> (twice the length) into the kernel's new ones.
    /// </summary>
    private GoldilocksExt2[] Pass(int round, GoldilocksExt2 r, int half, Goldilocks[][]? source = null)
    {
        var tables = _tables!;
        bool skip = SkipsPadding(round);
        var (chunks, from, to) = Ranges(round, half);
        var partial = new GoldilocksExt2[chunks * 4];
        Parallel.For(0, chunks, c =>
        {
            if (from[c] < 0)
            {
                // A dead block: only eq is non-zero there, and later rounds pair it with live blocks.
                FoldBlockInPlace(tables[3], -from[c] - 1, to[c], half, r);
                return;
            }
            // Per t = 0, 2, 3: W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) and eq times each relation as unreduced sums of
            // extension products (4 per t; gamma's powers enter once per chunk): 5 reduced and 6 unreduced products per t.
            Span<ZkLinearExtAccumulator> acc = stackalloc ZkLinearExtAccumulator[12];
            acc.Clear();
            var (tw, te, te2, teq, ty, tabs, typ, tdp, ta, tb, td) = (tables[0], tables[1], tables[2], tables[3], tables[4], tables[5], tables[6], tables[7], tables[8], tables[9], tables[10]);
            for (int begin = from[c], end = to[c]; begin < end; begin += FoldBlock)
            {
                // Fold one table at a time over a block (four streams each), then sum the block from cache: the 44 streams of
                // folding all eleven per entry overwhelm the prefetchers.
                int stop = Math.Min(end, begin + FoldBlock);
                // eq folds everywhere; the other tables stay zero at the padding cells when they are skipped.
                FoldBlockInPlace(teq, begin, stop, half, r);
                for (int g = begin; NextRun(skip, ref g, stop, out int e); g = e)
                {
                    for (int j = 0; j < Public - 1; j++) FoldBlockInPlace(tables[j], g, e, half, r);
                    for (int j = 0; j < Committed; j++)
                        if (source is null) FoldBlockInPlace(tables[Public + j], g, e, half, r);
                        else FoldBlockFromBase(source[j], tables[Public + j], g, e, half, r);
                }
                for (int g = begin; NextRun(skip, ref g, stop, out int e); g = e)
                {
                    for (int i = g; i < e; i++)
                    {
                        GoldilocksExt2 w0, wd, e0, ed, f0, fd, q0, qd, y, yd, ab, abd, yp, ypd, dp, dpd, a, ad, b, bd, d, dd;
                        (w0, wd) = Pair(tw, i, half);
                        (e0, ed) = Pair(te, i, half);
                        (f0, fd) = Pair(te2, i, half);
                        (q0, qd) = Pair(teq, i, half);
                        (y, yd) = Pair(ty, i, half);
                        (ab, abd) = Pair(tabs, i, half);
                        (yp, ypd) = Pair(typ, i, half);
                        (dp, dpd) = Pair(tdp, i, half);
                        (a, ad) = Pair(ta, i, half);
                        (b, bd) = Pair(tb, i, half);
                        (d, dd) = Pair(td, i, half);
                        Accumulate(acc[..4], w0, e0, f0, q0, y, ab, yp, dp, a, b, d);
                        // t = 2: two steps on; t = 3: one more.
                        (w0, e0, f0, q0) = (Step2(w0, wd), Step2(e0, ed), Step2(f0, fd), Step2(q0, qd));
                        (y, ab, yp, dp) = (Step2(y, yd), Step2(ab, abd), Step2(yp, ypd), Step2(dp, dpd));
                        (a, b, d) = (Step2(a, ad), Step2(b, bd), Step2(d, dd));
                        Accumulate(acc.Slice(4, 4), w0, e0, f0, q0, y, ab, yp, dp, a, b, d);
                        (w0, e0, f0, q0) = (GoldilocksExt2.Add(w0, wd), GoldilocksExt2.Add(e0, ed), GoldilocksExt2.Add(f0, fd), GoldilocksExt2.Add(q0, qd));
                        (y, ab, yp, dp) = (GoldilocksExt2.Add(y, yd), GoldilocksExt2.Add(ab, abd), GoldilocksExt2.Add(yp, ypd), GoldilocksExt2.Add(dp, dpd));
                        (a, b, d) = (GoldilocksExt2.Add(a, ad), GoldilocksExt2.Add(b, bd), GoldilocksExt2.Add(d, dd));
                        Accumulate(acc.Slice(8, 4), w0, e0, f0, q0, y, ab, yp, dp, a, b, d);
                    }
                }
            }
            GoldilocksExt2 g1 = _g1, g2 = _g2, g3 = _g3;
            for (int t = 0; t < 3; t++)
            {
                var s4 = acc.Slice(4 * t, 4);
                partial[4 * c + (t == 0 ? 0 : t + 1)] = s4[0].Value + g1 * s4[1].Value + g2 * s4[2].Value + g3 * s4[3].Value;
            }
        });
        return Sum(partial, chunks);
    }

    /// <summary>The mask round as the generic prover runs it (two entries per factor, the scalars weighted by t (1 - t)).</summary>
    private void LastRound(int degree, Span<GoldilocksExt2> sums)
    {
        int n = _variables;
        _last = new GoldilocksExt2[2 * Factors];
        GoldilocksExt2 r = _point[n - 2];
        for (int j = 0; j < Factors; j++)
        {
            if (n == 2) throw new InvalidOperationException("Unreachable: at least three variables.");
            var o = _tables![j];
            (_last[2 * j], _last[2 * j + 1]) = (o[0] + r * (o[2] - o[0]), o[1] + r * (o[3] - o[1]));
        }
        var values = new GoldilocksExt2[Factors];
        for (int t = 0; t <= degree; t++)
        {
            if (t == 1) continue;
            GoldilocksExt2 x = GoldilocksExt2.FromUInt64((ulong)t), weight = x * (GoldilocksExt2.One - x);
            for (int j = 0; j < Factors; j++)
            {
                values[j] = _last[2 * j] + x * (_last[2 * j + 1] - _last[2 * j]);
                if (j >= Public) values[j] += weight * _scalars[j - Public];
            }
            sums[t] = ZkSumcheck.Combine(_terms, values);
        }
    }

    /// <summary>
    /// The round's index ranges over i &lt; half: parts of each block while the round is over the permutation's variables
    /// (a dead block's starts encoded as -(start + 1)), else several chunks per core (on a loaded machine one slow chunk does
    /// not hold the round).
    /// </summary>
    private (int Chunks, int[] From, int[] To) Ranges(int round, int half)
    {
        int blocks = Blocks(round);
        if (blocks > 0 && half >> _blockBits == blocks)
        {
            // Few blocks (the last rounds over k): each split in parts so that every core has work.
            int size = 1 << _blockBits;
            int parts = Math.Max(1, Math.Min((4 * Environment.ProcessorCount + blocks - 1) / blocks, size / MinPart));
            var (from, to) = (new int[blocks * parts], new int[blocks * parts]);
            for (int b = 0; b < blocks; b++)
            {
                bool live = IsLive(round, b);
                for (int p = 0; p < parts; p++)
                {
                    int c = b * parts + p;
                    (from[c], to[c]) = (b * size + (int)((long)size * p / parts), b * size + (int)((long)size * (p + 1) / parts));
                    if (!live) from[c] = -from[c] - 1;
                }
            }
            return (blocks * parts, from, to);
        }
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Multilinear.ParallelThreshold));
        var (f, t) = (new int[chunks], new int[chunks]);
        for (int c = 0; c < chunks; c++) (f[c], t[c]) = ((int)((long)half * c / chunks), (int)((long)half * (c + 1) / chunks));
        return (chunks, f, t);
    }

    /// <summary>The smallest part of a block a task takes (each entry is eleven tables' work).</summary>
    private const int MinPart = 1 << 10;

    private static GoldilocksExt2[] Sum(GoldilocksExt2[] partial, int chunks)
    {
        var sums = new GoldilocksExt2[4];
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < chunks; c++) sums[t] += partial[4 * c + t];
        return sums;
    }
}
