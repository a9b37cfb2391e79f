using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Prover;

/// <summary>
/// Phase 5: the DEEP polynomial's values on the LDE domain, computed in coefficient form: with F_z = sum of the z-coefficients
/// times each column polynomial (likewise F_zg), DEEP = (F_z - F_z(z))/(X - z) + (F_zg - F_zg(zg))/(X - zg) [+ mask].
/// Two synthetic divisions and one extension of an extension-field polynomial replace a pointwise pass with two
/// inversions per LDE point; the values are the same.
/// </summary>
internal static class DeepPolynomial
{
    public static GoldilocksExt2[] Evaluate(ProverContext ctx, Goldilocks[][] mainCoeffs, Goldilocks[][] auxCoeffs, Goldilocks[][] compCoeffs,
        DeepCoefficients deep, OutOfDomainValues ood, GoldilocksExt2 z, GoldilocksExt2 zg)
    {
        var L = ctx.Layout;
        int d = L.FriDegreeBound, m2 = 2 * L.ChunkCount;
        var fz = LargeArray.New<GoldilocksExt2>(d);
        var fzg = LargeArray.New<GoldilocksExt2>(d);
        var chunks = compCoeffs.AsSpan(0, m2).ToArray();
        ProverContext.ParallelRange(d, (s, e) =>
        {
            AddScaled(fz, fzg, mainCoeffs, deep.MainZ, deep.MainZg, s, e);
            AddScaled(fz, fzg, auxCoeffs, deep.AuxZ, deep.AuxZg, s, e);
            AddScaled(fz, null, chunks, deep.Comp, null, s, e);
        });
        var (constZ, constZg) = deep.Constants(ood);
        GoldilocksExt2 remZ = default, remZg = default;
        Parallel.Invoke(() => remZ = Ext.DivideByLinear(fz, z), () => remZg = Ext.DivideByLinear(fzg, zg));
        if (remZ != constZ || remZg != constZg) throw new InvalidOperationException("DEEP quotient does not divide exactly (internal error).");
        var re = LargeArray.New<Goldilocks>(d - 1);
        var im = LargeArray.New<Goldilocks>(d - 1);
        bool zk = ctx.ZeroKnowledge;
        ProverContext.ParallelRange(d - 1, (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                var v = fz[i] + fzg[i];
                if (zk) v += Ext.Make(compCoeffs[m2][i], compCoeffs[m2 + 1][i]);
                re[i] = Ext.Re(v);
                im[i] = Ext.Im(v);
            }
        });
        Goldilocks[] reLde = [], imLde = [];
        Parallel.Invoke(() => reLde = ctx.LowDegreeExtend(re), () => imLde = ctx.LowDegreeExtend(im));
        var result = LargeArray.New<GoldilocksExt2>(L.LdeSize);
        ProverContext.ParallelRange(L.LdeSize, (s, e) =>
        {
            for (int j = s; j < e; j++) result[j] = Ext.Make(reLde[j], imLde[j]);
        });
        return result;
    }

    /// <summary>a[i] += sum_c ca[c] * columns[c][i] (and likewise b with cb) for i in [start, end).</summary>
    private static void AddScaled(GoldilocksExt2[] a, GoldilocksExt2[]? b, Goldilocks[][] columns, GoldilocksExt2[] ca, GoldilocksExt2[]? cb, int start, int end)
    {
        for (int c = 0; c < columns.Length; c++)
        {
            var col = columns[c];
            int stop = Math.Min(end, col.Length);
            var x = ca[c];
            for (int i = start; i < stop; i++) a[i] += Ext.MulBase(x, col[i]);
            if (b is null) continue;
            var y = cb![c];
            for (int i = start; i < stop; i++) b[i] += Ext.MulBase(y, col[i]);
        }
    }
}
