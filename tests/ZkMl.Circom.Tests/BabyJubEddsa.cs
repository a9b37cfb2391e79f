using System.Numerics;
using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Circom.Tests;

/// <summary>
/// Just enough Baby Jubjub EdDSA-Poseidon (as circomlibjs signs) to make valid inputs for circomlib's
/// EdDSAPoseidonVerifier: A = a·B8, R8 = r·B8, S = r + 8·a·Poseidon(R8, A, M) mod the subgroup order.
/// </summary>
internal static class BabyJubEddsa
{
    private static readonly BigInteger P = Bn254Fr.Modulus;
    private static readonly BigInteger A = 168700, D = 168696;
    private static readonly BigInteger SubOrder = BigInteger.Parse("2736030358979909402780800718157159386076813972158567259200215660948447373041");
    private static readonly (BigInteger X, BigInteger Y) Base8 = (
        BigInteger.Parse("5299619240641551281634865583518297030282874472190772894086521144482721001553"),
        BigInteger.Parse("16950150798460657717958625567821834550301663161624707787222815936182638968203"));

    /// <summary>The input JSON of EdDSAPoseidonVerifier for secret scalar <paramref name="a"/>, nonce <paramref name="r"/> and message <paramref name="m"/>.</summary>
    public static string SignedInput(BigInteger a, BigInteger r, BigInteger m, bool enabled = true)
    {
        var pub = Mul(Base8, a);
        var r8 = Mul(Base8, r);
        var h = Poseidon.Hash<Bn254Fr>([F(r8.X), F(r8.Y), F(pub.X), F(pub.Y), F(m)]).ToBigInteger();
        var s = (r + 8 * a % SubOrder * h) % SubOrder;
        return $$"""{"enabled": "{{(enabled ? 1 : 0)}}", "Ax": "{{pub.X}}", "Ay": "{{pub.Y}}", "S": "{{s}}", "R8x": "{{r8.X}}", "R8y": "{{r8.Y}}", "M": "{{m}}"}""";
    }

    private static Bn254Fr F(BigInteger v) => Bn254Fr.FromBigInteger(v);

    private static (BigInteger X, BigInteger Y) Add((BigInteger X, BigInteger Y) p, (BigInteger X, BigInteger Y) q)
    {
        var t = D * p.X % P * q.X % P * p.Y % P * q.Y % P;
        var x = (p.X * q.Y + p.Y * q.X) % P * Inv(1 + t) % P;
        var y = ((p.Y * q.Y - A * p.X % P * q.X) % P + P) % P * Inv((1 - t + P) % P) % P;
        return (x, y);
    }

    private static (BigInteger X, BigInteger Y) Mul((BigInteger X, BigInteger Y) p, BigInteger k)
    {
        (BigInteger X, BigInteger Y) acc = (0, 1);
        for (; k > 0; k >>= 1)
        {
            if (!k.IsEven) acc = Add(acc, p);
            p = Add(p, p);
        }
        return acc;
    }

    private static BigInteger Inv(BigInteger v) => BigInteger.ModPow(v, P - 2, P);
}
