using ZkMl.Common;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Prover;

/// <summary>
/// Phase 3: the composition polynomial, the random combination of every constraint divided by its vanishing polynomial,
/// evaluated on a coset, interpolated and split into chunks of degree below D_T (blinded with zero knowledge, plus the
/// masking polynomial of the DEEP/FRI polynomial).
/// </summary>
internal static class CompositionPolynomial
{
    /// <summary>The chunks' coefficients (two base columns per extension chunk, then the two mask columns with zero knowledge).</summary>
    public static Goldilocks[][] Chunks(ProverContext ctx, Goldilocks[][] mainLde, Goldilocks[][] auxLde, GoldilocksExt2[] alphas, GoldilocksExt2 beta, GoldilocksExt2 gamma)
    {
        var L = ctx.Layout;
        var (c0, c1) = Evaluate(ctx, mainLde, auxLde, alphas, beta, gamma);
        ctx.Ntt.CosetInverse(c0, L.Shift);
        ctx.Ntt.CosetInverse(c1, L.Shift);
        int m = L.ChunkCount, dt = L.TraceDegreeBound;
        if (ctx.Strict)
            for (int i = m * dt; i < c0.Length; i++)
                if (!c0[i].IsZero || !c1[i].IsZero)
                    throw new InvalidOperationException($"AIR '{ctx.Air.Identifier}': the composition polynomial has degree above {m * dt}; a constraint's declared degree is too low.");
        if (c0.Length < m * dt) { Array.Resize(ref c0, m * dt); Array.Resize(ref c1, m * dt); }
        var chunks = new Goldilocks[L.CompBaseWidth][];
        for (int k = 0; k < m; k++)
        {
            chunks[2 * k] = LargeArray.New<Goldilocks>(L.ChunkDegreeBound);
            chunks[2 * k + 1] = LargeArray.New<Goldilocks>(L.ChunkDegreeBound);
            c0.AsSpan(k * dt, dt).CopyTo(chunks[2 * k]);
            c1.AsSpan(k * dt, dt).CopyTo(chunks[2 * k + 1]);
        }
        if (ctx.ZeroKnowledge)
        {
            // Q = sum_k X^(k*dt) Q_k is unchanged by Q_k += X^dt s_(k+1) - s_k with s_0 = s_m = 0 (deg s < h).
            int h = L.Blinding;
            for (int k = 1; k < m; k++)
            {
                for (int comp = 0; comp < 2; comp++)
                {
                    var s = ProverContext.RandomBase(h);
                    for (int i = 0; i < h; i++)
                    {
                        chunks[2 * (k - 1) + comp][dt + i] += s[i];
                        chunks[2 * k + comp][i] -= s[i];
                    }
                }
            }
            // Masking polynomial for the DEEP/FRI polynomial: uniformly random of degree < D_FRI - 1.
            chunks[2 * m] = ProverContext.RandomBase(L.FriDegreeBound - 1);
            chunks[2 * m + 1] = ProverContext.RandomBase(L.FriDegreeBound - 1);
        }
        return chunks;
    }

    private static (Goldilocks[] C0, Goldilocks[] C1) Evaluate(ProverContext ctx, Goldilocks[][] mainLde, Goldilocks[][] auxLde, GoldilocksExt2[] alphas, GoldilocksExt2 beta, GoldilocksExt2 gamma)
    {
        var L = ctx.Layout;
        var air = ctx.Air;
        int bigN = L.CompositionDomainSize, n = L.N, step = bigN / n, mask = bigN - 1, stride = L.LdeSize / bigN;
        var c0 = LargeArray.New<Goldilocks>(bigN);
        var c1 = LargeArray.New<Goldilocks>(bigN);
        var constraints = air.TransitionConstraints;
        var boundaries = air.BoundaryConstraints;
        var lookups = air.Lookups;
        int tCount = constraints.Count, w = air.TraceWidth;
        var nonWrap = constraints.Select(c => c.Domain == ConstraintDomain.AllButLastRow).ToArray();

        // Z_H(x)^-1 takes only `step` distinct values on the coset.
        var zhInv = new Goldilocks[step];
        var shiftN = FieldMath.Pow(L.Shift, (ulong)n);
        var omegaStep = Goldilocks.RootOfUnity(BitOperations.Log2((uint)step));
        var acc = shiftN;
        for (int r = 0; r < step; r++) { zhInv[r] = acc - Goldilocks.One; acc *= omegaStep; }
        FieldMath.BatchInverse(zhInv);
        var lastRow = FieldMath.Pow(L.TraceGenerator, (ulong)(n - 1));

        // 1/(x - g^row) for each boundary row.
        var rows = L.BoundaryRows;
        var rowInv = new Goldilocks[rows.Length][];
        var omegaN = Goldilocks.RootOfUnity(BitOperations.Log2((uint)bigN));
        for (int r = 0; r < rows.Length; r++)
        {
            var inv = LargeArray.New<Goldilocks>(bigN);
            var gr = FieldMath.Pow(L.TraceGenerator, (ulong)rows[r]);
            ProverContext.ParallelRange(bigN, (s, e) =>
            {
                var x = L.Shift * FieldMath.Pow(omegaN, (ulong)s);
                for (int j = s; j < e; j++) { inv[j] = x - gr; x *= omegaN; }
                FieldMath.BatchInverse(inv.AsSpan(s, e - s));
            });
            rowInv[r] = inv;
        }
        var boundaryRowIndex = boundaries.Select(b => Array.IndexOf(rows, b.Row)).ToArray();

        // Periodic columns on the LDE: P(x) = Pp(x^(n/p)), which repeats every N*p/n points.
        var periodic = air.PeriodicColumns;
        var perLde = new Goldilocks[periodic.Count][];
        Parallel.For(0, periodic.Count, p => perLde[p] = PeriodicLde(ctx, periodic[p].Values));

        var gammaPowers = lookups.Select(l => Ext.Powers(gamma, l.Values.Length)).ToArray();
        var scales = lookups.Select(l => Enumerable.Range(0, l.Values.Length).Select(l.Scale).ToArray()).ToArray();
        var offsets = lookups.Select(l => Enumerable.Range(0, l.Values.Length).Select(l.Offset).ToArray()).ToArray();
        int auxExt = L.AuxExtColumns;

        ProverContext.ParallelRange(bigN, (start, end) =>
        {
            var cur = new Goldilocks[w];
            var next = new Goldilocks[w];
            var per = new Goldilocks[periodic.Count];
            var res = new Goldilocks[tCount];
            var accB = new GoldilocksExt2[rows.Length];
            var auxCur = new GoldilocksExt2[auxExt];
            var auxNext = new GoldilocksExt2[auxExt];
            var x = L.Shift * FieldMath.Pow(omegaN, (ulong)start);
            for (int j = start; j < end; j++, x *= omegaN)
            {
                int jl = j * stride, jn = ((j + step) & mask) * stride;
                for (int c = 0; c < w; c++) { cur[c] = mainLde[c][jl]; next[c] = mainLde[c][jn]; }
                for (int p = 0; p < per.Length; p++) per[p] = perLde[p][jl % perLde[p].Length];
                Array.Clear(res);
                air.EvaluateTransition<Goldilocks>(cur, next, per, res);
                var accNon = GoldilocksExt2.Zero;
                var accWrap = GoldilocksExt2.Zero;
                for (int t = 0; t < tCount; t++)
                {
                    if (res[t].IsZero) continue;
                    var term = Ext.MulBase(alphas[t], res[t]);
                    if (nonWrap[t]) accNon += term; else accWrap += term;
                }
                Array.Clear(accB);
                for (int b = 0; b < boundaries.Count; b++)
                    accB[boundaryRowIndex[b]] += Ext.MulBase(alphas[tCount + b], cur[boundaries[b].Column] - boundaries[b].Value);
                if (auxExt > 0)
                {
                    for (int a = 0; a < auxExt; a++)
                    {
                        auxCur[a] = Ext.Make(auxLde[2 * a][jl], auxLde[2 * a + 1][jl]);
                        auxNext[a] = Ext.Make(auxLde[2 * a][jn], auxLde[2 * a + 1][jn]);
                    }
                    int ai = tCount + boundaries.Count;
                    var delta = auxNext[auxExt - 1] - auxCur[auxExt - 1];
                    for (int k = 0; k < lookups.Count; k++)
                    {
                        var lk = lookups[k];
                        var v = Ext.Lift(Goldilocks.FromUInt64((ulong)lk.Bus));
                        for (int q = 0; q < lk.Values.Length; q++)
                            v += Ext.MulBase(gammaPowers[k][q], scales[k][q] * Ref(lk.Values[q], cur, per) + offsets[k][q]);
                        var mult = lk.Multiplicity is { } mc ? Ref(mc, cur, per) : Goldilocks.One;
                        var cons = auxCur[k] * (beta - v) - Ext.Lift(mult);
                        accWrap += alphas[ai + k] * cons;
                        delta = lk.IsTable ? delta + auxCur[k] : delta - auxCur[k];
                    }
                    accWrap += alphas[ai + lookups.Count] * delta;
                }
                var zi = zhInv[j % step];
                var total = Ext.MulBase(accNon, (x - lastRow) * zi) + Ext.MulBase(accWrap, zi);
                for (int r = 0; r < rows.Length; r++) total += Ext.MulBase(accB[r], rowInv[r][j]);
                c0[j] = Ext.Re(total);
                c1[j] = Ext.Im(total);
            }
        });
        return (c0, c1);
    }

    private static Goldilocks Ref(ColumnRef c, Goldilocks[] cur, Goldilocks[] per) => c.IsPeriodic ? per[c.Index] : cur[c.Index];

    private static Goldilocks[] PeriodicLde(ProverContext ctx, Goldilocks[] values)
    {
        var L = ctx.Layout;
        int p = values.Length;
        var coeffs = (Goldilocks[])values.Clone();
        ctx.Ntt.Inverse(coeffs);
        int size = (int)((long)L.LdeSize * p / L.N);
        return ctx.Extend(coeffs, size, FieldMath.Pow(L.Shift, (ulong)(L.N / p)));
    }
}
