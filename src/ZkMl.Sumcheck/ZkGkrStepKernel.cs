using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The rounds of one layer step of <see cref="ZkStoredMaskGkr"/>: factors (eq_p, eq_q, p0, p1, q0, q1, E) with the terms
/// of <see cref="ZkFractionalSumGkr.Terms"/> and the mask variable last. Before that last round eq_p = eq_q (one table),
/// E is the constant carried value (its share of each sum in closed form) and the masks are inactive, so a round is one
/// fused fold-and-evaluate pass over five tables, no allocation; the last round (two entries) runs the generic formula
/// with the masks. Every sum is the generic prover's, so the proof is the same.
/// Constant tails: a child whose entries from some index on all equal its last one (the lookup's padding p = 0, q = 1,
/// p(0, .) = 1 throughout, a zero witness tail q = alpha, and the layers those make) stays that constant there under
/// every fold, so a pair wholly inside p0's, p1's and q1's tails costs eq (A + q0 B) (A, B constants; only eq and q0
/// folded) and one inside q0's too costs eq C (only eq folded). The tails are found by scanning the tables, not assumed.
/// </summary>
internal sealed class ZkGkrStepKernel : IZkSumcheckKernel
{
    private const int Live = 5; // eq, p0, p1, q0, q1

    private readonly int _variables;
    private readonly ZkSumcheckTerm[] _terms;
    private readonly GoldilocksExt2 _lambda, _constant, _carried, _sigma;
    private readonly GoldilocksExt2[] _eqQ;
    private readonly ReadOnlyMemory<GoldilocksExt2>[] _sources;
    private readonly GoldilocksExt2[]?[] _masks;
    private readonly GoldilocksExt2[] _point;
    private GoldilocksExt2[][]? _tables;
    private GoldilocksExt2[]? _round0;
    private GoldilocksExt2[,]? _lastMasks;
    private GoldilocksExt2[]? _finals;
    // Per live table: entries at or past _tails[j] (in the current, folded table) all equal _constants[j] (eq: none).
    private readonly int[] _tails = new int[Live];
    private readonly GoldilocksExt2[] _constants = new GoldilocksExt2[Live];

    /// <param name="zp">eq_p's point.</param>
    /// <param name="zq">eq_q's point: equal to <paramref name="zp"/> unless the step has one variable.</param>
    /// <param name="children">p0, p1, q0, q1 (read only).</param>
    /// <param name="masks">Their masks (null: plain), over their last variables as in <see cref="ZkSumcheckFactor"/>.</param>
    /// <param name="carried">E's constant value.</param>
    /// <param name="sigma">E's mask (a scalar).</param>
    /// <param name="terms">The step's terms (<see cref="ZkFractionalSumGkr.Terms"/>).</param>
    /// <param name="skipConstantTails">Whether to evaluate the children's constant tails in closed form (false: the plain passes, for tests).</param>
    internal ZkGkrStepKernel(GoldilocksExt2[] zp, GoldilocksExt2[] zq, ReadOnlyMemory<GoldilocksExt2>[] children, GoldilocksExt2[]?[] masks,
        GoldilocksExt2 carried, GoldilocksExt2 sigma, ZkSumcheckTerm[] terms, bool skipConstantTails = true)
    {
        _variables = zp.Length;
        if (zq.Length != _variables || children.Length != 4 || masks.Length != 4 || terms.Length != 4) throw new ArgumentException("A layer step's factors.");
        if (_variables > 1 && !zp.AsSpan().SequenceEqual(zq)) throw new ArgumentException("Past the first step eq_p = eq_q.", nameof(zq));
        foreach (var child in children)
            if (child.Length != 1 << _variables) throw new ArgumentException($"Children have {_variables} variables.", nameof(children));
        foreach (var mask in masks)
            if (mask is not null && (mask.Length > 1 << _variables || !System.Numerics.BitOperations.IsPow2(mask.Length))) throw new ArgumentException("Masks over the last variables.", nameof(masks));
        (_terms, _lambda, _constant, _carried, _sigma, _masks) = (terms, terms[2].Coefficient, terms[3].Coefficient, carried, sigma, masks);
        _sources = [Multilinear.EqTable(zp), .. children];
        _eqQ = _variables > 1 ? [] : Multilinear.EqTable(zq);
        _point = new GoldilocksExt2[_variables];
        Masked = [false, false, .. masks.Select(m => m is not null), true];
        _tails.AsSpan().Fill(1 << _variables);
        if (!skipConstantTails) return;
        for (int j = 1; j < Live; j++) (_tails[j], _constants[j]) = ConstantTail(_sources[j].Span);
    }

    /// <summary>Where the run of entries equal to the last one starts, and that value (scanned, not assumed).</summary>
    internal static (int Start, GoldilocksExt2 Value) ConstantTail(ReadOnlySpan<GoldilocksExt2> table)
    {
        GoldilocksExt2 last = table[^1];
        int tail = table.Length;
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
                values[0] = _sources[0].Span[x];
                values[1] = _eqQ[x];
                for (int j = 0; j < 4; j++) values[2 + j] = _sources[1 + j].Span[x];
                values[6] = _carried;
                sum += ZkSumcheck.Combine(_terms, values);
            }
            return sum;
        }
        _round0 = new GoldilocksExt2[4];
        Pass(_sources, null, GoldilocksExt2.Zero, 1 << (_variables - 1), true, _round0);
        return _round0[0] + _round0[1];
    }

    public void RoundValues(int round, int degree, Span<GoldilocksExt2> sums)
    {
        sums.Clear();
        int half = 1 << (_variables - 1 - round);
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
        var local = new GoldilocksExt2[4];
        // Round 1 folds the sources into the work tables, later rounds fold those in place.
        var from = _tables is null ? _sources : [.. _tables.Select(d => (ReadOnlyMemory<GoldilocksExt2>)d)];
        _tables ??= [.. Enumerable.Range(0, Live).Select(_ => new GoldilocksExt2[1 << (_variables - 1)])];
        Pass(from, _tables, _point[round - 1], half, false, local);
        (sums[0], sums[2], sums[3]) = (local[0], local[2], local[3]);
    }

    public void Fold(int round, GoldilocksExt2 r)
    {
        _point[round] = r;
        if (round < _variables - 1) return;
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

    public GoldilocksExt2[] Finals() => _finals ?? throw new InvalidOperationException("The rounds have not run.");

    /// <summary>
    /// sums[t] (t = 0..3; t = 1 only with <paramref name="withOne"/>) over i &lt; half of the terms, the tables
    /// <paramref name="sources"/> first folded by <paramref name="r"/> into <paramref name="destination"/> (null: round 0,
    /// read them as they are; in place is safe: entry i and i + half are written only after being read, by one index).
    /// eq (p0 q1 + p1 q0 + lambda q0 q1) = eq (p0 q1 + q0 (p1 + lambda q1)); E adds half c E to every sum.
    /// </summary>
    private void Pass(ReadOnlyMemory<GoldilocksExt2>[] sources, GoldilocksExt2[][]? destination, GoldilocksExt2 r, int half, bool withOne, GoldilocksExt2[] sums)
    {
        GoldilocksExt2 lambda = _lambda;
        // The tails in the folded tables of 2 half entries (a fold keeps a tail inside the new size: c + r (c - c) = c).
        for (int j = 1; j < Live; j++) _tails[j] = Math.Min(_tails[j], 2 * half);
        // Pairs i >= tail hold the constant at i and i + half: from q0Only on only eq and q0 vary, from eqOnly only eq.
        int q0Only = Math.Min(half, Math.Max(_tails[1], Math.Max(_tails[2], _tails[4])));
        int eqOnly = Math.Max(q0Only, Math.Min(half, _tails[3]));
        var c = _constants;
        GoldilocksExt2 a = c[1] * c[4], b = c[2] + lambda * c[4], allConstant = a + c[3] * b;
        // Several chunks per core: on a loaded machine one slow chunk does not hold the round.
        int chunks = Math.Max(1, Math.Min(4 * Environment.ProcessorCount, half / Multilinear.ParallelThreshold));
        var partial = new GoldilocksExt2[chunks * 4];
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)half * chunk / chunks), stop = (int)((long)half * (chunk + 1) / chunks);
            GoldilocksExt2 s0 = GoldilocksExt2.Zero, s1 = s0, s2 = s0, s3 = s0;
            Span<GoldilocksExt2> lo = stackalloc GoldilocksExt2[Live], step = stackalloc GoldilocksExt2[Live];
            for (int i = start, end = Math.Min(stop, q0Only); i < end; i++)
            {
                for (int j = 0; j < Live; j++) (lo[j], step[j]) = Load(sources[j].Span, destination?[j], i, half, r);
                GoldilocksExt2 e = lo[0], p0 = lo[1], p1 = lo[2], q0 = lo[3], q1 = lo[4], lq = lambda * q1;
                GoldilocksExt2 de = step[0], dp0 = step[1], dp1 = step[2], dq0 = step[3], dq1 = step[4], dlq = lambda * dq1;
                s0 += e * (p0 * q1 + q0 * (p1 + lq));
                (e, p0, p1, q0, q1, lq) = (e + de, p0 + dp0, p1 + dp1, q0 + dq0, q1 + dq1, lq + dlq);
                if (withOne) s1 += e * (p0 * q1 + q0 * (p1 + lq));
                (e, p0, p1, q0, q1, lq) = (e + de, p0 + dp0, p1 + dp1, q0 + dq0, q1 + dq1, lq + dlq);
                s2 += e * (p0 * q1 + q0 * (p1 + lq));
                (e, p0, p1, q0, q1, lq) = (e + de, p0 + dp0, p1 + dp1, q0 + dq0, q1 + dq1, lq + dlq);
                s3 += e * (p0 * q1 + q0 * (p1 + lq));
            }
            // p0, p1, q1 constant: eq (p0 q1 + q0 (p1 + lambda q1)) = eq (a + q0 b).
            for (int i = Math.Max(start, q0Only), end = Math.Min(stop, eqOnly); i < end; i++)
            {
                var (e, de) = Load(sources[0].Span, destination?[0], i, half, r);
                var (q0, dq0) = Load(sources[3].Span, destination?[3], i, half, r);
                GoldilocksExt2 f = a + q0 * b, df = dq0 * b;
                s0 += e * f;
                (e, f) = (e + de, f + df);
                if (withOne) s1 += e * f;
                (e, f) = (e + de, f + df);
                s2 += e * f;
                (e, f) = (e + de, f + df);
                s3 += e * f;
            }
            // Every child constant: eq times one constant, so only eq's sums (and its fold).
            GoldilocksExt2 eqSum = GoldilocksExt2.Zero, eqStep = eqSum;
            for (int i = Math.Max(start, eqOnly); i < stop; i++)
            {
                var (e, de) = Load(sources[0].Span, destination?[0], i, half, r);
                (eqSum, eqStep) = (eqSum + e, eqStep + de);
            }
            GoldilocksExt2 twice = eqStep + eqStep;
            s0 += allConstant * eqSum;
            if (withOne) s1 += allConstant * (eqSum + eqStep);
            s2 += allConstant * (eqSum + twice);
            s3 += allConstant * (eqSum + twice + eqStep);
            (partial[4 * chunk], partial[4 * chunk + 1], partial[4 * chunk + 2], partial[4 * chunk + 3]) = (s0, s1, s2, s3);
        });
        if (destination is not null && !ReferenceEquals(destination, _written))
        {
            // Fresh tables (round 1): the skipped entries get their constants, so later rounds read them as they are.
            foreach (var (j, from) in new[] { (1, q0Only), (2, q0Only), (4, q0Only), (3, eqOnly) })
            {
                destination[j].AsSpan(from, half - from).Fill(c[j]);
                destination[j].AsSpan(half + from, half - from).Fill(c[j]);
            }
            _written = destination;
        }
        GoldilocksExt2 constant = GoldilocksExt2.FromUInt64((ulong)half) * _constant * _carried;
        for (int t = 0; t < 4; t++)
        {
            sums[t] = constant;
            for (int k = 0; k < chunks; k++) sums[t] += partial[4 * k + t];
        }
    }

    private GoldilocksExt2[][]? _written;

    /// <summary>
    /// A table's pair (i, i + half) as (value at 0, step): read as it is (<paramref name="destination"/> null), or first
    /// folded by <paramref name="r"/> from entries i, i + half, i + 2 half, i + 3 half into <paramref name="destination"/>.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static (GoldilocksExt2 Value, GoldilocksExt2 Step) Load(ReadOnlySpan<GoldilocksExt2> o, GoldilocksExt2[]? destination, int i, int half, GoldilocksExt2 r)
    {
        if (destination is null) return (o[i], o[i + half] - o[i]);
        GoldilocksExt2 a = o[i] + r * (o[i + 2 * half] - o[i]), b = o[i + half] + r * (o[i + 3 * half] - o[i + half]);
        (destination[i], destination[i + half]) = (a, b);
        return (a, b - a);
    }

    /// <summary>The six tables at two entries (eq_p, eq_q, p0..q1) and the children's masks there, folded by the earlier challenges.</summary>
    private (GoldilocksExt2[][] Tables, GoldilocksExt2[,] Masks) LastTables()
    {
        int v = _variables;
        GoldilocksExt2[][] live;
        if (v == 1) live = [.. _sources.Select(s => s.ToArray())];
        else
        {
            var from = _tables is null ? _sources : [.. _tables.Select(d => (ReadOnlyMemory<GoldilocksExt2>)d)];
            GoldilocksExt2 r = _point[v - 2];
            live = [.. from.Select(s => new[] { s.Span[0] + r * (s.Span[2] - s.Span[0]), s.Span[1] + r * (s.Span[3] - s.Span[1]) })];
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
        GoldilocksExt2[] eqQ = v == 1 ? _eqQ : live[0];
        return ([live[0], eqQ, live[1], live[2], live[3], live[4]], _lastMasks);
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
