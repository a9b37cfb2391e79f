using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The rounds of one layer step of <see cref="ZkStoredMaskGkr"/>: factors (eq_p, eq_q, p0, p1, q0, q1, E) with the terms
/// of <see cref="ZkFractionalSumGkr.Terms"/> and the mask variable last. Before that last round eq_p = eq_q = eq(z, .),
/// E is the constant carried value (its share of each sum in closed form) and the masks are inactive, so a round is one
/// fused fold-and-evaluate pass over four tables, no allocation; the last round (two entries) runs the generic formula
/// with the masks. Every sum is the generic prover's, so the proof is the same.
/// <para>eq is never tabulated (Gruen 2024): in round k, eq(z, (r, X, x')) = P_k eq(z_k, X) eq(z_(&gt;k), x') with
/// P_k = prod_(j&lt;k) eq(z_j, r_j), and eq(z_(&gt;k), .) is the product of a high table (rebuilt per round, small) and
/// a fixed low table over the last variables, so each round computes h(X) = sum_x' eq(z_(&gt;k), x') g(X, x') (g the
/// degree-2 product) at X = 0, 2 only: h(1) follows from the running claim s(0) + s(1) (tracked exactly:
/// s_k(r_k) is round k + 1's claim), h(3) from h's degree, and s(t) = K + P_k eq(z_k, t) h(t), K the carried constant's
/// share. Round 0 (which gives the claim) evaluates X = 0, 1, 2; a zero P_k z_k (no division) does too.</para>
/// <para>p1 is carried as P1' = p1 + lambda q1 (folding is linear, so the folded P1' is p1 + lambda q1 folded), so
/// g = p0 q1 + q0 P1' costs two products; the last round recovers p1 = P1' - lambda q1 at its two entries.</para>
/// Constant tails: a child whose entries from some index on all equal its last one (the lookup's padding p = 0, q = 1,
/// p(0, .) = 1 throughout, a zero witness tail q = alpha, and the layers those make) stays that constant there under
/// every fold, so a pair wholly inside p0's, p1's and q1's tails costs eq (A + q0 B) (A, B constants; only q0 folded,
/// summed as sum eq q0, linear in X) and one inside q0's too costs eq C (sums of eq only, nothing folded). The tails are
/// found by scanning the tables, not assumed.
/// </summary>
internal sealed partial class ZkGkrStepKernel : IZkSumcheckKernel
{
    private const int Live = 4; // p0, P1' (p1 in the sources), q0, q1

    private readonly int _variables, _lowBits;
    private readonly ZkSumcheckTerm[] _terms;
    private readonly GoldilocksExt2 _lambda, _constant, _carried, _sigma;
    private readonly GoldilocksExt2[] _z, _eqP, _eqQ, _eqLow;
    private readonly ReadOnlyMemory<GoldilocksExt2>[] _sources;
    private readonly GoldilocksExt2[]?[] _masks;
    private readonly GoldilocksExt2[] _point;
    private GoldilocksExt2[][]? _tables;
    private readonly GoldilocksExt2[][]? _work;
    private readonly GoldilocksExt2? _known;
    private GoldilocksExt2[]? _round0;
    private GoldilocksExt2[,]? _lastMasks;
    private GoldilocksExt2[]? _finals;
    // Per child: entries at or past _tails[j] (in the current, folded table) all equal _constants[j].
    private readonly int[] _tails = new int[Live];
    private readonly GoldilocksExt2[] _constants = new GoldilocksExt2[Live];
    // The running claim s_k(0) + s_k(1), P_k, and the last pass's h(0), h(1), h(2).
    private GoldilocksExt2 _claim, _prefix = GoldilocksExt2.One;
    private readonly GoldilocksExt2[] _h = new GoldilocksExt2[3];
    private bool _written;

    /// <param name="zp">eq_p's point.</param>
    /// <param name="zq">eq_q's point: equal to <paramref name="zp"/> unless the step has one variable.</param>
    /// <param name="children">p0, p1, q0, q1 (read only).</param>
    /// <param name="masks">Their masks (null: plain), over their last variables as in <see cref="ZkSumcheckFactor"/>.</param>
    /// <param name="carried">E's constant value.</param>
    /// <param name="sigma">E's mask (a scalar).</param>
    /// <param name="terms">The step's terms (<see cref="ZkFractionalSumGkr.Terms"/>).</param>
    /// <param name="skipConstantTails">Whether to evaluate the children's constant tails in closed form (false: the plain passes, for tests).</param>
    /// <param name="work">Four work tables of at least 2^(variables - 1) entries each, overwritten (null: allocated).</param>
    /// <param name="tails">The children's <see cref="ConstantTail"/>s if the caller has scanned them (null: scanned here; wrong ones give a wrong proof, as a wrong claim).</param>
    /// <param name="claim">
    /// The step's sum if the caller knows it (the GKR: the previous step's finals combined, exactly this sum since each
    /// layer is computed from the next), so that round 0 too evaluates X = 0, 2 only; null: computed. A wrong value
    /// gives a wrong proof (the tests hold the kernel to the generic prover), never a sound-looking one for a false sum.
    /// </param>
    internal ZkGkrStepKernel(GoldilocksExt2[] zp, GoldilocksExt2[] zq, ReadOnlyMemory<GoldilocksExt2>[] children, GoldilocksExt2[]?[] masks,
        GoldilocksExt2 carried, GoldilocksExt2 sigma, ZkSumcheckTerm[] terms, bool skipConstantTails = true, GoldilocksExt2[][]? work = null, GoldilocksExt2? claim = null,
        (int Start, GoldilocksExt2 Value)[]? tails = null)
    {
        _known = claim;
        if (work is not null && (work.Length != Live || work.Any(w => w.Length < 1 << (zp.Length - 1)))) throw new ArgumentException("Four work tables of 2^(n - 1) entries.", nameof(work));
        _work = work;
        _variables = zp.Length;
        if (zq.Length != _variables || children.Length != 4 || masks.Length != 4 || terms.Length != 4) throw new ArgumentException("A layer step's factors.");
        if (_variables > 1 && !zp.AsSpan().SequenceEqual(zq)) throw new ArgumentException("Past the first step eq_p = eq_q.", nameof(zq));
        foreach (var child in children)
            if (child.Length != 1 << _variables) throw new ArgumentException($"Children have {_variables} variables.", nameof(children));
        foreach (var mask in masks)
            if (mask is not null && (mask.Length > 1 << _variables || !System.Numerics.BitOperations.IsPow2(mask.Length))) throw new ArgumentException("Masks over the last variables.", nameof(masks));
        (_terms, _lambda, _constant, _carried, _sigma, _masks) = (terms, terms[2].Coefficient, terms[3].Coefficient, carried, sigma, masks);
        _sources = children;
        _z = zp;
        (_eqP, _eqQ) = _variables > 1 ? ([], []) : (Multilinear.EqTable(zp), Multilinear.EqTable(zq));
        // The fixed low table: about half of the variables after the first (a few KB; the high tables are smaller still).
        _lowBits = (_variables - 1 + 1) / 2;
        _eqLow = Multilinear.EqTable(zp.AsSpan(_variables - _lowBits));
        _point = new GoldilocksExt2[_variables];
        Masked = [false, false, .. masks.Select(m => m is not null), true];
        _tails.AsSpan().Fill(1 << _variables);
        if (!skipConstantTails) return;
        if (tails is not null && tails.Length != Live) throw new ArgumentException("Four children's tails.", nameof(tails));
        for (int j = 0; j < Live; j++) (_tails[j], _constants[j]) = tails?[j] ?? ConstantTail(_sources[j].Span);
    }

    /// <summary>Where the run of entries equal to the last one starts, and that value (scanned, not assumed).</summary>
    internal static (int Start, GoldilocksExt2 Value) ConstantTail(ReadOnlySpan<GoldilocksExt2> table)
    {
        GoldilocksExt2 last = table[^1];
        int tail = table.Length;
        if (Ext4.Enabled)
        {
            var four = Ext4.Broadcast(last);
            while (tail >= 4 && Vector512.EqualsAll(Ext4.Load(table, tail - 4), four)) tail -= 4;
        }
        while (tail > 0 && table[tail - 1] == last) tail--;
        return (tail, last);
    }

    public bool[] Masked { get; }

    public GoldilocksExt2 Claim()
    {
        if (_variables == 1)
        {
            GoldilocksExt2 sum = GoldilocksExt2.Zero;
            var values = new GoldilocksExt2[7];
            for (int x = 0; x < 2; x++)
            {
                values[0] = _eqP[x];
                values[1] = _eqQ[x];
                for (int j = 0; j < 4; j++) values[2 + j] = _sources[j].Span[x];
                values[6] = _carried;
                sum += ZkSumcheck.Combine(_terms, values);
            }
            return sum;
        }
        _round0 = new GoldilocksExt2[4];
        Round(0, _round0);
        return _round0[0] + _round0[1];
    }

    public void RoundValues(int round, int degree, Span<GoldilocksExt2> sums)
    {
        sums.Clear();
        if (round == _variables - 1)
        {
            MaskRound(degree, sums);
            return;
        }
        if (round == 0)
        {
            (sums[0], sums[2], sums[3]) = (_round0![0], _round0[2], _round0[3]);
            return;
        }
        Span<GoldilocksExt2> local = stackalloc GoldilocksExt2[4];
        Round(round, local);
        (sums[0], sums[2], sums[3]) = (local[0], local[2], local[3]);
    }

    /// <summary>s(0..3) of a pass round from h(0), h(1), h(2) (h(1) from the claim unless round 0 or P_k z_k = 0).</summary>
    private void Round(int round, Span<GoldilocksExt2> s)
    {
        int half = 1 << (_variables - 1 - round);
        GoldilocksExt2 z = _z[round], p = _prefix, one = GoldilocksExt2.One;
        GoldilocksExt2 k = GoldilocksExt2.FromUInt64((ulong)half) * _constant * _carried;
        GoldilocksExt2 pz = p * z;
        if (round == 0 && _known is { } known) _claim = known;
        bool withOne = (round == 0 && _known is null) || pz.IsZero;
        Pass(round, withOne, _h);
        if (!withOne)
        {
            // s(1) = claim - s(0) = K + P z h(1).
            GoldilocksExt2 s0 = k + p * (one - z) * _h[0];
            _h[1] = (_claim - s0 - k) * GoldilocksExt2.Inverse(pz);
        }
        GoldilocksExt2 h0 = _h[0], h1 = _h[1], h2 = _h[2];
        GoldilocksExt2 h3 = h0 + GoldilocksExt2.FromUInt64(3) * (h2 - h1);
        // eq(z, t) = (1 - z) + t (2z - 1): 1 - z, z, 3z - 1, 5z - 2.
        GoldilocksExt2 slope = z + z - one, e0 = one - z;
        s[0] = k + p * e0 * h0;
        s[1] = k + pz * h1;
        s[2] = k + p * (e0 + slope + slope) * h2;
        s[3] = k + p * (e0 + slope + slope + slope) * h3;
    }

    public void Fold(int round, GoldilocksExt2 r)
    {
        _point[round] = r;
        if (round < _variables - 1)
        {
            if (_variables == 1) return;
            // The next claim s_k(r) = K + P eq(z_k, r) h(r) (h quadratic through h(0), h(1), h(2)), and P_(k+1).
            int half = 1 << (_variables - 1 - round);
            GoldilocksExt2 k = GoldilocksExt2.FromUInt64((ulong)half) * _constant * _carried, one = GoldilocksExt2.One, z = _z[round];
            GoldilocksExt2 h0 = _h[0], h1 = _h[1], h2 = _h[2];
            GoldilocksExt2 hr = h0 + r * (h1 - h0) + r * (r - one) * Half * (h2 - h1 - h1 + h0);
            _prefix *= z * r + (one - z) * (one - r);
            _claim = k + _prefix * hr;
            return;
        }
        // The last variable, the masks': f[0] + r (f[1] - f[0]) plus r (1 - r) times the mask folded alike.
        var (tables, masks) = LastTables();
        GoldilocksExt2 weight = r * (GoldilocksExt2.One - r);
        _finals = new GoldilocksExt2[7];
        for (int j = 0; j < 6; j++)
        {
            var f = tables[j];
            _finals[j] = f[0] + r * (f[1] - f[0]);
            if (j >= 2 && _masks[j - 2] is not null) _finals[j] += weight * (masks[j - 2, 0] + r * (masks[j - 2, 1] - masks[j - 2, 0]));
        }
        _finals[6] = _carried + weight * _sigma;
    }

    private static readonly GoldilocksExt2 Half = GoldilocksExt2.Inverse(GoldilocksExt2.FromUInt64(2));

    public GoldilocksExt2[] Finals() => _finals ?? throw new InvalidOperationException("The rounds have not run.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 Mul(in GoldilocksExt2 a, in GoldilocksExt2 b) => GoldilocksExt2.Mul(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 Add(in GoldilocksExt2 a, in GoldilocksExt2 b) => GoldilocksExt2.Add(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 Sub(in GoldilocksExt2 a, in GoldilocksExt2 b) => GoldilocksExt2.Sub(a, b);

    /// <summary>b + (b - a): a line through a (at 0) and b (at 1), at 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static GoldilocksExt2 AtTwo(in GoldilocksExt2 a, in GoldilocksExt2 b) => GoldilocksExt2.Add(b, GoldilocksExt2.Sub(b, a));

    /// <summary>Entries i and i + half of a table folded by r from i, i + half, i + 2 half, i + 3 half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (GoldilocksExt2 A, GoldilocksExt2 B) FoldPair(ReadOnlySpan<GoldilocksExt2> o, int i, int half, in GoldilocksExt2 r) =>
        (Add(o[i], Mul(r, Sub(o[i + 2 * half], o[i]))), Add(o[i + half], Mul(r, Sub(o[i + 3 * half], o[i + half]))));

    /// <summary>
    /// h[t] = sum over pairs i &lt; half of eq(z_(&gt;k), i) g_i(t), t = 0, 2 (and 1 with <paramref name="withOne"/>),
    /// g = p0 q1 + q0 P1'. Round 0 reads the sources; round 1 folds them by r_0 into the work tables (P1' formed there);
    /// later rounds fold those in place (entry i and i + half are written only after being read, by one index).
    /// </summary>
    private void Pass(int round, bool withOne, GoldilocksExt2[] h)
    {
        int half = 1 << (_variables - 1 - round), rest = _variables - 1 - round;
        GoldilocksExt2 lambda = _lambda;
        bool fold = round > 0, fresh = round == 1;
        GoldilocksExt2 r = fold ? _point[round - 1] : default;
        var from = fresh || !fold ? _sources : [.. _tables!.Select(d => (ReadOnlyMemory<GoldilocksExt2>)d)];
        // Round 1 writes every entry of its tables (folded, or a tail's constant), so reused work tables need no clearing.
        if (fresh) _tables = _work ?? [.. Enumerable.Range(0, Live).Select(_ => GC.AllocateUninitializedArray<GoldilocksExt2>(1 << (_variables - 1)))];
        var destination = _tables;
        // eq(z_(>k), i) = high[i >> lowBits] low[i & lowMask].
        int lowBits = rest >= _lowBits ? _lowBits : rest;
        var low = rest >= _lowBits ? _eqLow : Multilinear.EqTable(_z.AsSpan(round + 1));
        var high = rest >= _lowBits ? Multilinear.EqTable(_z.AsSpan(round + 1, rest - lowBits)) : [GoldilocksExt2.One];
        int lowMask = (1 << lowBits) - 1;
        // The tails in the folded tables of 2 half entries (a fold keeps a tail inside the new size: c + r (c - c) = c).
        for (int j = 0; j < Live; j++) _tails[j] = Math.Min(_tails[j], 2 * half);
        // Pairs i >= tail hold the constant at i and i + half: from q0Only on only q0 varies, from eqOnly nothing.
        int q0Only = Math.Min(half, Math.Max(_tails[0], Math.Max(_tails[1], _tails[3])));
        int eqOnly = Math.Max(q0Only, Math.Min(half, _tails[2]));
        var c = _constants;
        GoldilocksExt2 a = c[0] * c[3], b = c[1] + lambda * c[3], allConstant = a + c[2] * b;
        // Several chunks per core: on a loaded machine one slow chunk does not hold the round.
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * 3];
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)half * chunk / chunks), stop = (int)((long)half * (chunk + 1) / chunks);
            ReadOnlySpan<GoldilocksExt2> eqLow = low;
            ReadOnlySpan<GoldilocksExt2> o0 = from[0].Span, o1 = from[1].Span, o2 = from[2].Span, o3 = from[3].Span;
            Span<GoldilocksExt2> d0 = destination is null ? default : destination[0], d1 = destination is null ? default : destination[1],
                d2 = destination is null ? default : destination[2], d3 = destination is null ? default : destination[3];
            GoldilocksExt2 h0 = GoldilocksExt2.Zero, h1 = h0, h2 = h0;
            for (int block = start >> lowBits; block << lowBits < stop; block++)
            {
                int blockStart = block << lowBits, begin = Math.Max(start, blockStart), end = Math.Min(stop, blockStart + lowMask + 1);
                GoldilocksExt2 g0 = GoldilocksExt2.Zero, g1 = g0, g2 = g0, e0 = g0, e1 = g0, sq = g0, se = g0;
                // Every child varies: g(t) = p0 q1 + q0 P1' at t = 0, 1, 2.
                int fullEnd = Math.Min(end, q0Only), q0End = Math.Min(end, eqOnly);
                if (!fold) FullSources(o0, o1, o2, o3, begin, fullEnd, half, lambda, eqLow, lowMask, withOne, ref g0, ref g1, ref g2);
                else FullFold(o0, o1, o2, o3, d0, d1, d2, d3, begin, fullEnd, half, r, fresh, withOne, lambda, eqLow, lowMask, ref g0, ref g1, ref g2);
                // p0, p1, q1 constant: g = a + q0 b, linear in q0: sum w, sum w q0(0), sum w q0(1).
                QuotientOnly(o2, d2, fold, Math.Max(begin, q0Only), q0End, half, r, eqLow, lowMask, ref sq, ref e0, ref e1);
                // Every child constant: eq times one constant.
                for (int i = Math.Max(begin, eqOnly); i < end; i++) se = Add(se, eqLow[i & lowMask]);
                GoldilocksExt2 constants = a * sq + allConstant * se, weight = high[block];
                h0 += weight * (g0 + constants + b * e0);
                if (withOne) h1 += weight * (g1 + constants + b * e1);
                h2 += weight * (g2 + constants + b * (e1 + e1 - e0));
            }
            (partial[3 * chunk], partial[3 * chunk + 1], partial[3 * chunk + 2]) = (h0, h1, h2);
        });
        if (fresh && destination is not null && !_written)
        {
            // Fresh tables (round 1): the skipped entries get their constants, so later rounds read them as they are.
            foreach (var (j, start, value) in new[] { (0, q0Only, c[0]), (1, q0Only, b), (3, q0Only, c[3]), (2, eqOnly, c[2]) })
            {
                destination[j].AsSpan(start, half - start).Fill(value);
                destination[j].AsSpan(half + start, half - start).Fill(value);
            }
            _written = true;
        }
        h[0] = h[1] = h[2] = GoldilocksExt2.Zero;
        for (int k = 0; k < chunks; k++)
            for (int t = 0; t < 3; t++) h[t] += partial[3 * k + t];
    }

    // The loops below are small methods of a few products each: past about nine inlined extension products per method
    // the JIT stops inlining them (its inline budget), and a called product costs about a third more.

    /// <summary>Round 0's pairs where every child varies, read from the sources: sum w g(t), t = 0, 2 (and 1 with <paramref name="withOne"/>).</summary>
    private static void FullSources(ReadOnlySpan<GoldilocksExt2> o0, ReadOnlySpan<GoldilocksExt2> o1, ReadOnlySpan<GoldilocksExt2> o2, ReadOnlySpan<GoldilocksExt2> o3,
        int begin, int end, int half, GoldilocksExt2 lambda, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, bool withOne, ref GoldilocksExt2 g0, ref GoldilocksExt2 g1, ref GoldilocksExt2 g2)
    {
        if (begin >= end) return;
        SourcesAtZeroTwo(o0, o1, o2, o3, begin, end, half, lambda, eqLow, lowMask, ref g0, ref g2);
        if (withOne) SourcesAtOne(o0, o1, o2, o3, begin, end, half, lambda, eqLow, lowMask, ref g1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SourcesAtZeroTwo(ReadOnlySpan<GoldilocksExt2> o0, ReadOnlySpan<GoldilocksExt2> o1, ReadOnlySpan<GoldilocksExt2> o2, ReadOnlySpan<GoldilocksExt2> o3,
        int begin, int end, int half, GoldilocksExt2 lambda, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g0, ref GoldilocksExt2 g2)
    {
        GoldilocksExt2 s0 = g0, s2 = g2;
        int from = begin;
        if (Ext4.Enabled && end - begin >= 4) from = SourcesAtZeroTwo4(o0, o1, o2, o3, begin, end, half, lambda, eqLow, lowMask, ref s0, ref s2);
        for (int i = from; i < end; i++)
        {
            GoldilocksExt2 q1a = o3[i], q1b = o3[i + half];
            GoldilocksExt2 pa = Add(o1[i], Mul(lambda, q1a)), pb = Add(o1[i + half], Mul(lambda, q1b));
            GoldilocksExt2 w = eqLow[i & lowMask];
            s0 = Add(s0, Mul(w, Add(Mul(o0[i], q1a), Mul(o2[i], pa))));
            s2 = Add(s2, Mul(w, Add(Mul(AtTwo(o0[i], o0[i + half]), AtTwo(q1a, q1b)), Mul(AtTwo(o2[i], o2[i + half]), AtTwo(pa, pb)))));
        }
        (g0, g2) = (s0, s2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SourcesAtOne(ReadOnlySpan<GoldilocksExt2> o0, ReadOnlySpan<GoldilocksExt2> o1, ReadOnlySpan<GoldilocksExt2> o2, ReadOnlySpan<GoldilocksExt2> o3,
        int begin, int end, int half, GoldilocksExt2 lambda, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g1)
    {
        GoldilocksExt2 s1 = g1;
        for (int i = begin + half; i < end + half; i++)
        {
            GoldilocksExt2 q1 = o3[i];
            s1 = Add(s1, Mul(eqLow[(i - half) & lowMask], Add(Mul(o0[i], q1), Mul(o2[i], Add(o1[i], Mul(lambda, q1))))));
        }
        g1 = s1;
    }

    /// <summary>A later round's pairs where every child varies: fold by r into the work tables (P1' formed when <paramref name="fresh"/>), sum w g(t).</summary>
    private static void FullFold(ReadOnlySpan<GoldilocksExt2> o0, ReadOnlySpan<GoldilocksExt2> o1, ReadOnlySpan<GoldilocksExt2> o2, ReadOnlySpan<GoldilocksExt2> o3,
        Span<GoldilocksExt2> d0, Span<GoldilocksExt2> d1, Span<GoldilocksExt2> d2, Span<GoldilocksExt2> d3, int begin, int end, int half, GoldilocksExt2 r, bool fresh, bool withOne,
        GoldilocksExt2 lambda, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g0, ref GoldilocksExt2 g1, ref GoldilocksExt2 g2)
    {
        if (begin >= end) return;
        // Table by table over the block (in place is safe: pair i reads i, i + half, i + 2 half, i + 3 half and writes
        // only i and i + half), then the products over the folded block, still in cache.
        FoldRange(o0, d0, begin, end, half, r);
        FoldRange(o1, d1, begin, end, half, r);
        FoldRange(o2, d2, begin, end, half, r);
        FoldRange(o3, d3, begin, end, half, r);
        if (fresh)
        {
            AddScaled(d1, d3, lambda, begin, end);
            AddScaled(d1, d3, lambda, begin + half, end + half);
        }
        ProductsAtZeroTwo(d0, d1, d2, d3, begin, end, half, eqLow, lowMask, ref g0, ref g2);
        if (withOne) ProductsAtOne(d0, d1, d2, d3, begin, end, half, eqLow, lowMask, ref g1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FoldRange(ReadOnlySpan<GoldilocksExt2> o, Span<GoldilocksExt2> d, int begin, int end, int half, GoldilocksExt2 r)
    {
        int from = begin;
        if (Ext4.Enabled && end - begin >= 4)
        {
            var (seven, swapped) = Ext4.Prepare(Ext4.Broadcast(r));
            for (; from + 4 <= end; from += 4)
            {
                // All four reads before the two writes (in place: d may be o).
                Vector512<ulong> a = Ext4.Load(o, from), b = Ext4.Load(o, from + half), c = Ext4.Load(o, from + 2 * half), e = Ext4.Load(o, from + 3 * half);
                Ext4.Store(d, from, Ext4.Add(a, Ext4.Mul(Ext4.Sub(c, a), seven, swapped)));
                Ext4.Store(d, from + half, Ext4.Add(b, Ext4.Mul(Ext4.Sub(e, b), seven, swapped)));
            }
        }
        for (int i = from; i < end; i++) (d[i], d[i + half]) = FoldPair(o, i, half, r);
    }

    /// <summary>d[i] += c e[i] for i in begin..end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddScaled(Span<GoldilocksExt2> d, ReadOnlySpan<GoldilocksExt2> e, GoldilocksExt2 c, int begin, int end)
    {
        int from = begin;
        if (Ext4.Enabled && end - begin >= 4)
        {
            var (seven, swapped) = Ext4.Prepare(Ext4.Broadcast(c));
            for (; from + 4 <= end; from += 4) Ext4.Store(d, from, Ext4.Add(Ext4.Load(d, from), Ext4.Mul(Ext4.Load(e, from), seven, swapped)));
        }
        for (int i = from; i < end; i++) d[i] = Add(d[i], Mul(c, e[i]));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductsAtZeroTwo(ReadOnlySpan<GoldilocksExt2> p0, ReadOnlySpan<GoldilocksExt2> p1, ReadOnlySpan<GoldilocksExt2> q0, ReadOnlySpan<GoldilocksExt2> q1,
        int begin, int end, int half, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g0, ref GoldilocksExt2 g2)
    {
        GoldilocksExt2 s0 = g0, s2 = g2;
        int from = begin;
        if (Ext4.Enabled && end - begin >= 4) from = ProductsAtZeroTwo4(p0, p1, q0, q1, begin, end, half, eqLow, lowMask, ref s0, ref s2);
        for (int i = from; i < end; i++)
        {
            GoldilocksExt2 w = eqLow[i & lowMask];
            s0 = Add(s0, Mul(w, Add(Mul(p0[i], q1[i]), Mul(q0[i], p1[i]))));
            s2 = Add(s2, Mul(w, Add(Mul(AtTwo(p0[i], p0[i + half]), AtTwo(q1[i], q1[i + half])), Mul(AtTwo(q0[i], q0[i + half]), AtTwo(p1[i], p1[i + half])))));
        }
        (g0, g2) = (s0, s2);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ProductsAtOne(ReadOnlySpan<GoldilocksExt2> p0, ReadOnlySpan<GoldilocksExt2> p1, ReadOnlySpan<GoldilocksExt2> q0, ReadOnlySpan<GoldilocksExt2> q1,
        int begin, int end, int half, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g1)
    {
        GoldilocksExt2 s1 = g1;
        for (int i = begin + half; i < end + half; i++)
            s1 = Add(s1, Mul(eqLow[(i - half) & lowMask], Add(Mul(p0[i], q1[i]), Mul(q0[i], p1[i]))));
        g1 = s1;
    }

    /// <summary>Pairs where only q0 varies (folded into the work table when <paramref name="fold"/>): sum w, sum w q0(0), sum w q0(1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void QuotientOnly(ReadOnlySpan<GoldilocksExt2> o2, Span<GoldilocksExt2> d2, bool fold, int begin, int end, int half, GoldilocksExt2 r,
        ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 sq, ref GoldilocksExt2 e0, ref GoldilocksExt2 e1)
    {
        int from = begin;
        if (Ext4.Enabled && end - begin >= 4) from = QuotientOnly4(o2, d2, fold, begin, end, half, r, eqLow, lowMask, ref sq, ref e0, ref e1);
        for (int i = from; i < end; i++)
        {
            GoldilocksExt2 q0a, q0b;
            if (!fold) (q0a, q0b) = (o2[i], o2[i + half]);
            else
            {
                (q0a, q0b) = FoldPair(o2, i, half, r);
                (d2[i], d2[i + half]) = (q0a, q0b);
            }
            GoldilocksExt2 w = eqLow[i & lowMask];
            (sq, e0, e1) = (Add(sq, w), Add(e0, Mul(w, q0a)), Add(e1, Mul(w, q0b)));
        }
    }

    /// <summary>The six tables at two entries (eq_p, eq_q, p0..q1) and the children's masks there, folded by the earlier challenges.</summary>
    private (GoldilocksExt2[][] Tables, GoldilocksExt2[,] Masks) LastTables()
    {
        int v = _variables;
        GoldilocksExt2[][] live;
        GoldilocksExt2[] eqP, eqQ;
        if (v == 1)
        {
            live = [.. _sources.Select(s => s.ToArray())];
            (eqP, eqQ) = (_eqP, _eqQ);
        }
        else
        {
            var from = _tables is null ? _sources : [.. _tables.Select(d => (ReadOnlyMemory<GoldilocksExt2>)d)];
            GoldilocksExt2 r = _point[v - 2];
            live = [.. from.Select(s => new[] { s.Span[0] + r * (s.Span[2] - s.Span[0]), s.Span[1] + r * (s.Span[3] - s.Span[1]) })];
            // The work tables hold P1' = p1 + lambda q1.
            if (_tables is not null)
                for (int x = 0; x < 2; x++) live[1][x] -= _lambda * live[3][x];
            GoldilocksExt2 z = _z[v - 1];
            eqP = eqQ = [_prefix * (GoldilocksExt2.One - z), _prefix * z];
        }
        if (_lastMasks is null)
        {
            _lastMasks = new GoldilocksExt2[4, 2];
            for (int j = 0; j < 4; j++)
            {
                if (_masks[j] is not { } mask) continue;
                if (mask.Length == 1)
                {
                    (_lastMasks[j, 0], _lastMasks[j, 1]) = (mask[0], mask[0]);
                    continue;
                }
                // The mask lies over the last mv variables: fix all but the last to their challenges.
                var folded = mask.ToArray();
                int mv = Multilinear.VariableCount(mask.Length);
                for (int s = v - mv, length = mask.Length; s <= v - 2; s++, length /= 2) Multilinear.FixFirstVariableInPlace(folded.AsSpan(0, length), _point[s]);
                (_lastMasks[j, 0], _lastMasks[j, 1]) = (folded[0], folded[1]);
            }
        }
        return ([eqP, eqQ, live[0], live[1], live[2], live[3]], _lastMasks);
    }

    /// <summary>The mask round as the generic prover runs it: f_j(t) plus t (1 - t) R_j(t) for the masked factors.</summary>
    private void MaskRound(int degree, Span<GoldilocksExt2> sums)
    {
        var (tables, masks) = LastTables();
        var values = new GoldilocksExt2[7];
        for (int t = 0; t <= degree; t++)
        {
            if (t == 1) continue;
            GoldilocksExt2 x = GoldilocksExt2.FromUInt64((ulong)t), weight = x * (GoldilocksExt2.One - x);
            for (int j = 0; j < 6; j++)
            {
                var f = tables[j];
                values[j] = f[0] + x * (f[1] - f[0]);
                if (j >= 2 && _masks[j - 2] is not null) values[j] += weight * (masks[j - 2, 0] + x * (masks[j - 2, 1] - masks[j - 2, 0]));
            }
            values[6] = _carried + weight * _sigma;
            sums[t] = ZkSumcheck.Combine(_terms, values);
        }
    }
}
