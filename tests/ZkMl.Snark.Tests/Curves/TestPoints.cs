using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Tests.Curves;

/// <summary>Random points and helpers for curve tests.</summary>
internal static class TestPoints
{
    public static readonly BigInteger P = Bn254Fq.Modulus;
    public static readonly BigInteger R = Bn254Fr.Modulus;

    public static G1Affine RandomG1(Random rng) => G1Affine.Generator.Multiply(Bn254Fr.Random(rng)).ToAffine();
    public static G2Affine RandomG2(Random rng) => G2Affine.Generator.Multiply(Bn254Fr.Random(rng)).ToAffine();

    /// <summary>A random point on the twist that is (with overwhelming probability) NOT in G2.</summary>
    public static G2Affine RandomTwistPoint(Random rng)
    {
        while (true)
        {
            var x = Fq2.Random(rng);
            var rhs = Fq2.Square(x) * x + G2Affine.B;
            if (Fq2.TrySqrt(rhs, out var y)) return new G2Affine(x, y);
        }
    }

    /// <summary>[k]P by plain double-and-add over BigInteger bits: the naive reference.</summary>
    public static G1Projective NaiveMul(G1Projective p, BigInteger k)
    {
        var acc = G1Projective.Infinity;
        var addend = p;
        while (!k.IsZero)
        {
            if (!k.IsEven) acc += addend;
            addend = G1Projective.Double(addend);
            k >>= 1;
        }
        return acc;
    }

    public static G2Projective NaiveMul(G2Projective p, BigInteger k)
    {
        var acc = G2Projective.Infinity;
        var addend = p;
        while (!k.IsZero)
        {
            if (!k.IsEven) acc += addend;
            addend = G2Projective.Double(addend);
            k >>= 1;
        }
        return acc;
    }

    public static byte[] Hex(string s) => Convert.FromHexString(s.StartsWith("0x") ? s[2..] : s);
}
