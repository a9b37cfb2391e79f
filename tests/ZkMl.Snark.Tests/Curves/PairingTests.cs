using System.Numerics;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Tests.Curves;

public class PairingTests
{
    private static readonly BigInteger P = Bn254Fq.Modulus;
    private static readonly BigInteger R = Bn254Fr.Modulus;

    [Fact]
    public void GeneratorPairingIsNotOneAndHasOrderR()
    {
        var e = Pairing.Pair(G1Affine.Generator, G2Affine.Generator);
        Assert.False(e.IsOne);
        Assert.True(Fq12.Pow(e, R).IsOne);
    }

    /// <summary>m = 2x(6x^2 + 3x + 1): the final exponentiation computes f^(m (p^12 - 1)/r), like ffjavascript and gnark.</summary>
    private static readonly BigInteger M = 2 * new BigInteger(4965661367192848881UL) * (6 * BigInteger.Pow(4965661367192848881UL, 2) + 3 * new BigInteger(4965661367192848881UL) + 1);

    [Fact]
    public void FinalExponentiationIsFixedPowerCoprimeToR()
    {
        Assert.Equal(BigInteger.One, BigInteger.GreatestCommonDivisor(M, R));
        var rng = new Random(5);
        var f = Fq12.Random(rng);
        var easy = Fq12.Conjugate(f) * Fq12.Inverse(f);
        easy = Fq12.Frobenius(easy, 2) * easy;
        var p2 = P * P;
        var hard = (p2 * p2 - p2 + 1) / R;
        Assert.Equal(Fq12.Pow(easy, M * hard), Pairing.HardPart(easy));
        Assert.Equal(Fq12.Pow(f, M * ((BigInteger.Pow(P, 12) - 1) / R)), Pairing.FinalExponentiation(f));
    }

    [Property(MaxTest = 3)]
    public void Bilinearity(int seedA, int seedB)
    {
        var a = Bn254Fr.Random(new Random(seedA));
        var b = Bn254Fr.Random(new Random(~seedB));
        var p = G1Affine.Generator.Multiply(Bn254Fr.FromUInt64(7)).ToAffine();
        var q = G2Affine.Generator;
        var lhs = Pairing.Pair(p.Multiply(a).ToAffine(), q.Multiply(b).ToAffine());
        var rhs = Fq12.Pow(Pairing.Pair(p, q), (a * b).ToBigInteger());
        Assert.Equal(rhs, lhs);
    }

    [Fact]
    public void LinearInEachArgumentAndMultiPairingIsProduct()
    {
        var rng = new Random(6);
        var p1 = TestPoints.RandomG1(rng);
        var p2 = TestPoints.RandomG1(rng);
        var q1 = TestPoints.RandomG2(rng);
        var q2 = TestPoints.RandomG2(rng);
        var sumP = (p1.ToProjective() + p2).ToAffine();
        Assert.Equal(Pairing.Pair(p1, q1) * Pairing.Pair(p2, q1), Pairing.Pair(sumP, q1));
        Assert.Equal(Pairing.Pair(p1, q1) * Pairing.Pair(p1, q2), Pairing.Pair(p1, (q1.ToProjective() + q2).ToAffine()));
        Assert.Equal(Pairing.Pair(p1, q1) * Pairing.Pair(p2, q2), Pairing.MultiPairing([p1, p2], [q1, q2]));
        Assert.True(Pairing.PairingProductIsOne([p1, p1.Negate()], [q1, q1]));
        Assert.True(Pairing.PairingProductIsOne([p1, p2], [q1, q1.Negate()]) == (p1 == p2));
    }

    [Fact]
    public void InfinityAndEmptyInputsGiveOne()
    {
        Assert.True(Pairing.Pair(G1Affine.Infinity, G2Affine.Generator).IsOne);
        Assert.True(Pairing.Pair(G1Affine.Generator, G2Affine.Infinity).IsOne);
        Assert.True(Pairing.MultiPairing([], []).IsOne);
        Assert.Throws<ArgumentException>(() => Pairing.MultiPairing([G1Affine.Generator], []));
    }
}
