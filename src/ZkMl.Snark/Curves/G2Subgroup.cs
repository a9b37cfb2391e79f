namespace ZkMl.Snark.Curves;

/// <summary>G2 endomorphism psi and the psi-based subgroup membership test.</summary>
internal static class G2Subgroup
{
    /// <summary>The BN254 seed x (6x + 2 is the ate loop count).</summary>
    internal const ulong Seed = 4965661367192848881UL;

    /// <summary>psi(X, Y, Z) = (conj(X) gamma_{1,2}, conj(Y) gamma_{1,3}, conj(Z)), acting as [p] on G2.</summary>
    internal static JacobianPoint<Fq2> Psi(in JacobianPoint<Fq2> p)
        => new(Fq2.Conjugate(p.X) * FieldHelpers.Gamma(1, 2), Fq2.Conjugate(p.Y) * FieldHelpers.Gamma(1, 3), Fq2.Conjugate(p.Z));

    /// <summary>Signed digits (NAF, most significant first) of the seed: 24 non-zero digits instead of 28 set bits.</summary>
    private static readonly sbyte[] SeedNaf = ComputeSeedNaf();

    private static sbyte[] ComputeSeedNaf()
    {
        var digits = new List<sbyte>();
        for (ulong e = Seed; e != 0; e >>= 1)
        {
            sbyte d = 0;
            if ((e & 1) != 0)
            {
                d = (e & 3) == 1 ? (sbyte)1 : (sbyte)-1;
                e = d > 0 ? e - 1 : e + 1;
            }
            digits.Add(d);
        }
        digits.Reverse();
        return digits.ToArray();
    }

    internal static bool IsInSubgroup(in JacobianPoint<Fq2> p)
    {
        if (p.IsInfinity) return true;
        ReadOnlySpan<ulong> seed = [Seed];
        return Check(p, CurveArithmetic<Fq2>.MulVarTime(p, seed));
    }

    /// <summary>
    /// The same test for an affine point (every key and file point): [x]P by the seed's NAF with mixed additions of ±P,
    /// about a fifth cheaper than the Jacobian double-and-add, which matters when a .zkey holds thousands of B2 points.
    /// </summary>
    internal static bool IsInSubgroup(in AffinePoint<Fq2> p)
    {
        if (p.IsInfinity) return true;
        var neg = new AffinePoint<Fq2>(p.X, Fq2.Neg(p.Y), false);
        var xp = CurveArithmetic<Fq2>.FromAffine(p); // the leading digit is 1
        var naf = SeedNaf;
        for (int i = 1; i < naf.Length; i++)
        {
            xp = CurveArithmetic<Fq2>.Double(xp);
            if (naf[i] > 0) xp = CurveArithmetic<Fq2>.AddMixed(xp, p);
            else if (naf[i] < 0) xp = CurveArithmetic<Fq2>.AddMixed(xp, neg);
        }
        return Check(CurveArithmetic<Fq2>.FromAffine(p), xp);
    }

    // [x+1]P + psi([x]P) + psi^2([x]P) = psi^3([2x]P), given xp = [x]P.
    private static bool Check(in JacobianPoint<Fq2> p, in JacobianPoint<Fq2> xp)
    {
        var psiXp = Psi(xp);
        var lhs = CurveArithmetic<Fq2>.Add(CurveArithmetic<Fq2>.Add(xp, p), psiXp);
        var psi2Xp = Psi(psiXp);
        lhs = CurveArithmetic<Fq2>.Add(lhs, psi2Xp);
        var rhs = CurveArithmetic<Fq2>.Double(Psi(psi2Xp));
        return CurveArithmetic<Fq2>.Equal(lhs, rhs);
    }
}
