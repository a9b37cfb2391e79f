namespace ZkMl.Snark.Curves;

/// <summary>G2 endomorphism psi and the psi-based subgroup membership test.</summary>
internal static class G2Subgroup
{
    /// <summary>The BN254 seed x (6x + 2 is the ate loop count).</summary>
    internal const ulong Seed = 4965661367192848881UL;

    /// <summary>psi(X, Y, Z) = (conj(X) gamma_{1,2}, conj(Y) gamma_{1,3}, conj(Z)), acting as [p] on G2.</summary>
    internal static JacobianPoint<Fq2> Psi(in JacobianPoint<Fq2> p)
        => new(Fq2.Conjugate(p.X) * FieldHelpers.Gamma(1, 2), Fq2.Conjugate(p.Y) * FieldHelpers.Gamma(1, 3), Fq2.Conjugate(p.Z));

    internal static bool IsInSubgroup(in JacobianPoint<Fq2> p)
    {
        if (p.IsInfinity) return true;
        ReadOnlySpan<ulong> seed = [Seed];
        var xp = CurveArithmetic<Fq2>.MulVarTime(p, seed);
        var psiXp = Psi(xp);
        var lhs = CurveArithmetic<Fq2>.Add(CurveArithmetic<Fq2>.Add(xp, p), psiXp);
        var psi2Xp = Psi(psiXp);
        lhs = CurveArithmetic<Fq2>.Add(lhs, psi2Xp);
        var rhs = CurveArithmetic<Fq2>.Double(Psi(psi2Xp));
        return CurveArithmetic<Fq2>.Equal(lhs, rhs);
    }
}
