using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Random coefficients of the DEEP composition: one per column and evaluation point.</summary>
internal sealed record DeepCoefficients(GoldilocksExt2[] MainZ, GoldilocksExt2[] MainZg, GoldilocksExt2[] AuxZ, GoldilocksExt2[] AuxZg, GoldilocksExt2[] Comp)
{
    /// <summary>The combined claimed values at z and z*g: sum of each coefficient times its column's out-of-domain value.</summary>
    public (GoldilocksExt2 Z, GoldilocksExt2 Zg) Constants(OutOfDomainValues ood)
    {
        var a = GoldilocksExt2.Zero;
        var b = GoldilocksExt2.Zero;
        for (int c = 0; c < MainZ.Length; c++) { a += MainZ[c] * ood.MainZ[c]; b += MainZg[c] * ood.MainZg[c]; }
        for (int c = 0; c < AuxZ.Length; c++) { a += AuxZ[c] * ood.AuxZ[c]; b += AuxZg[c] * ood.AuxZg[c]; }
        for (int c = 0; c < Comp.Length; c++) a += Comp[c] * ood.Comp[c];
        return (a, b);
    }
}
