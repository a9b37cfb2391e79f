using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The rounds of <see cref="PoseidonSpongeZeroCheck"/>'s zero-check computed from its structure, with exactly the sums the
/// generic prover computes (same transcript, same proof): factors W, E, E', eq (public, extension) and Y, Abs, Y_prev,
/// D_prev, A, B, D (committed, base field, each masked by one scalar), the mask variable last. The sum of products is
/// evaluated as one expression, W (Y - Abs) - E (D Y) - E' (D_prev Y_prev) + eq (g (A - Y Y) + g^2 (B - A Y) + g^3 (D - B B)),
/// 12 extension products per point instead of the terms' 25; round 0 (half the work) reads the committed tables in the
/// base field (products of base entries are base products) and also yields the claim; from round 2 a round is one fused
/// fold-and-evaluate pass in place; the scalar masks only enter the last round, which runs the generic formula.
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
    }

    private readonly int _permutationVariables, _blockBits, _live;

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
            // The committed tables leave the base field: fold them by r_0 into extension tables of half the size.
            var tables = new GoldilocksExt2[Factors][];
            for (int j = 0; j < Public; j++)
            {
                Multilinear.FixFirstVariableInPlace(_public[j], _point[0]);
                tables[j] = _public[j];
            }
            for (int j = 0; j < Committed; j++)
            {
                tables[Public + j] = GC.AllocateUninitializedArray<GoldilocksExt2>(1 << (n - 1));
                Multilinear.FixFirstVariable(_base![j], _point[0], tables[Public + j]);
            }
            (_tables, _base) = (tables, null);
            local = Pass(round, false, GoldilocksExt2.Zero, half);
        }
        else local = Pass(round, true, _point[round - 1], half);
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

    /// <summary>The round polynomial's value from the eleven factors' values at one point (the terms regrouped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private GoldilocksExt2 Evaluate(ReadOnlySpan<GoldilocksExt2> v)
    {
        GoldilocksExt2 y = v[4], a = v[8], b = v[9], d = v[10];
        GoldilocksExt2 relations = _g1 * (a - y * y) + _g2 * (b - a * y) + _g3 * (d - b * b);
        return v[0] * (y - v[5]) - v[1] * (d * y) - v[2] * (v[7] * v[6]) + v[3] * relations;
    }

    /// <summary>Round 0's sums at t = 0..3 from the base tables (the claim is sums[0] + sums[1]).</summary>
    private GoldilocksExt2[] BaseRound()
    {
        int half = 1 << (_variables - 1);
        var (pub, com) = (_public, _base!);
        GoldilocksExt2 g1 = _g1, g2 = _g2, g3 = _g3;
        var (chunks, from, to) = Ranges(0, half);
        var partial = new GoldilocksExt2[chunks * 4];
        Parallel.For(0, chunks, c =>
        {
            if (from[c] < 0) return; // a dead block: every term is zero there
            Span<GoldilocksExt2> pv = stackalloc GoldilocksExt2[Public], ps = stackalloc GoldilocksExt2[Public];
            Span<Goldilocks> cv = stackalloc Goldilocks[Committed], cs = stackalloc Goldilocks[Committed];
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (int i = from[c], end = to[c]; i < end; i++)
            {
                for (int j = 0; j < Public; j++) (pv[j], ps[j]) = (pub[j][i], pub[j][i + half] - pub[j][i]);
                for (int j = 0; j < Committed; j++) (cv[j], cs[j]) = (com[j][i], com[j][i + half] - com[j][i]);
                for (int t = 0; t < 4; t++)
                {
                    if (t > 0)
                    {
                        for (int j = 0; j < Public; j++) pv[j] += ps[j];
                        for (int j = 0; j < Committed; j++) cv[j] += cs[j];
                    }
                    Goldilocks y = cv[0], a = cv[4], b = cv[5], d = cv[6];
                    GoldilocksExt2 relations = g1 * (a - y * y) + g2 * (b - a * y) + g3 * (d - b * b);
                    GoldilocksExt2 value = pv[0] * (y - cv[1]) - pv[1] * (d * y) - pv[2] * (cv[3] * cv[2]) + pv[3] * relations;
                    switch (t)
                    {
                        case 0: s0 += value; break;
                        case 1: s1 += value; break;
                        case 2: s2 += value; break;
                        default: s3 += value; break;
                    }
                }
            }
            (partial[4 * c], partial[4 * c + 1], partial[4 * c + 2], partial[4 * c + 3]) = (s0, s1, s2, s3);
        });
        return Sum(partial, chunks);
    }

    /// <summary>
    /// sums[t] (t = 0, 2, 3) over i &lt; half, the tables first folded in place by <paramref name="r"/> when
    /// <paramref name="fold"/> (entries i and i + half written only after iteration i read them: no other iteration reads them).
    /// </summary>
    private GoldilocksExt2[] Pass(int round, bool fold, GoldilocksExt2 r, int half)
    {
        var tables = _tables!;
        var (chunks, from, to) = Ranges(round, half);
        var partial = new GoldilocksExt2[chunks * 4];
        Parallel.For(0, chunks, c =>
        {
            if (from[c] < 0)
            {
                // A dead block: only eq is non-zero there, and later rounds pair it with live blocks.
                if (!fold) return;
                var eq = tables[3];
                for (int i = -from[c] - 1, end = to[c]; i < end; i++)
                    (eq[i], eq[i + half]) = (eq[i] + r * (eq[i + 2 * half] - eq[i]), eq[i + half] + r * (eq[i + 3 * half] - eq[i + half]));
                return;
            }
            Span<GoldilocksExt2> value = stackalloc GoldilocksExt2[Factors], step = stackalloc GoldilocksExt2[Factors];
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s2 = s0, s3 = s0;
            for (int i = from[c], end = to[c]; i < end; i++)
            {
                for (int j = 0; j < Factors; j++)
                {
                    var o = tables[j];
                    GoldilocksExt2 lo, hi;
                    if (fold)
                    {
                        lo = o[i] + r * (o[i + 2 * half] - o[i]);
                        hi = o[i + half] + r * (o[i + 3 * half] - o[i + half]);
                        (o[i], o[i + half]) = (lo, hi);
                    }
                    else (lo, hi) = (o[i], o[i + half]);
                    (value[j], step[j]) = (lo, hi - lo);
                }
                s0 += Evaluate(value);
                for (int j = 0; j < Factors; j++) value[j] += step[j] + step[j];
                s2 += Evaluate(value);
                for (int j = 0; j < Factors; j++) value[j] += step[j];
                s3 += Evaluate(value);
            }
            (partial[4 * c], partial[4 * c + 2], partial[4 * c + 3]) = (s0, s2, s3);
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
    /// The round's index ranges over i &lt; half: one per block while the round is over the permutation's variables (a
    /// dead block's start encoded as -(start + 1)), else several chunks per core (on a loaded machine one slow chunk does
    /// not hold the round).
    /// </summary>
    private (int Chunks, int[] From, int[] To) Ranges(int round, int half)
    {
        int blocks = Blocks(round);
        if (blocks > 0 && half >> _blockBits == blocks)
        {
            var (from, to) = (new int[blocks], new int[blocks]);
            for (int b = 0; b < blocks; b++)
            {
                (from[b], to[b]) = (b << _blockBits, (b + 1) << _blockBits);
                if (!IsLive(round, b)) from[b] = -from[b] - 1;
            }
            return (blocks, from, to);
        }
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Multilinear.ParallelThreshold));
        var (f, t) = (new int[chunks], new int[chunks]);
        for (int c = 0; c < chunks; c++) (f[c], t[c]) = ((int)((long)half * c / chunks), (int)((long)half * (c + 1) / chunks));
        return (chunks, f, t);
    }

    private static GoldilocksExt2[] Sum(GoldilocksExt2[] partial, int chunks)
    {
        var sums = new GoldilocksExt2[4];
        for (int t = 0; t < 4; t++)
            for (int c = 0; c < chunks; c++) sums[t] += partial[4 * c + t];
        return sums;
    }
}
