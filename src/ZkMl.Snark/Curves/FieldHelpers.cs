using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>Constants and slow-path helpers shared by the tower and the curves (square roots, Frobenius constants).</summary>
internal static class FieldHelpers
{
    internal static readonly BigInteger P = Bn254Fq.Modulus;
    internal static readonly BigInteger R = Bn254Fr.Modulus;

    // gamma[k, i] = xi^(i (p^k - 1) / 6) for k = 1..3, i = 0..5: w^(i p^k) = gamma[k, i] w^i.
    private static readonly Fq2[,] gamma = ComputeGamma();

    internal static Fq2 Gamma(int k, int i) => gamma[k, i];

    private static Fq2[,] ComputeGamma()
    {
        var g = new Fq2[4, 6];
        for (int k = 1; k <= 3; k++)
        {
            var e = (BigInteger.Pow(P, k) - 1) / 6;
            var baseK = FieldMath.Pow(Fq2.NonResidue, e);
            var acc = Fq2.One;
            for (int i = 0; i < 6; i++) { g[k, i] = acc; acc *= baseK; }
        }
        return g;
    }

    private static readonly BigInteger pMinus3Over4 = (P - 3) / 4;
    private static readonly BigInteger pMinus1Over2 = (P - 1) / 2;

    /// <summary>Square root in Fq2 (Adj and Rodriguez-Henriquez, algorithm 9 for p = 3 mod 4), verified.</summary>
    internal static bool TrySqrtFq2(in Fq2 a, out Fq2 root)
    {
        root = default;
        if (a.IsZero) return true;
        var a1 = FieldMath.Pow(a, pMinus3Over4);
        var alpha = Fq2.Square(a1) * a;
        var x0 = a1 * a;
        var minusOne = Fq2.Neg(Fq2.One);
        if (alpha == minusOne)
        {
            root = new Fq2(-x0.C1, x0.C0); // u * x0
        }
        else
        {
            var b = FieldMath.Pow(Fq2.One + alpha, pMinus1Over2);
            root = b * x0;
        }
        return Fq2.Square(root) == a;
    }

    /// <summary>True when the canonical integer value of <paramref name="a"/> exceeds (p-1)/2 (the "negative" half).</summary>
    internal static bool IsLexicographicallyLarge(in Bn254Fq a) => a.ToBigInteger() > pMinus1Over2;
}
