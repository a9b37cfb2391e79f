using System.Numerics;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>Bn254Fr/Fq.Pow over four-limb exponents (short ones by square-and-multiply, long ones by 4-bit windows) against BigInteger.ModPow.</summary>
public class Bn254PowTests
{
    private static ulong[] Exponent(Random rng)
    {
        var e = new ulong[4];
        int limbs = rng.Next(5);
        for (int i = 0; i < limbs; i++) e[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63);
        if (rng.Next(4) == 0) e[0] = (ulong)rng.Next(1 << 20); // short exponent
        if (rng.Next(4) == 0) e[3] = ulong.MaxValue;            // full 256 bits
        return e;
    }

    private static BigInteger Value(ulong[] e) =>
        e[0] + ((BigInteger)e[1] << 64) + ((BigInteger)e[2] << 128) + ((BigInteger)e[3] << 192);

    [Property(MaxTest = 100)]
    public void PowMatchesModPow(int seed)
    {
        var rng = new Random(seed);
        var e = Exponent(rng);
        var fr = Bn254Fr.Random(rng);
        var fq = Bn254Fq.Random(rng);
        Assert.Equal(BigInteger.ModPow(fr.ToBigInteger(), Value(e), Bn254Fr.Modulus), Bn254Fr.Pow(fr, e[0], e[1], e[2], e[3]).ToBigInteger());
        Assert.Equal(BigInteger.ModPow(fq.ToBigInteger(), Value(e), Bn254Fq.Modulus), Bn254Fq.Pow(fq, e[0], e[1], e[2], e[3]).ToBigInteger());
        Assert.Equal(Bn254Fq.One, Bn254Fq.Pow(fq, 0, 0, 0, 0));
    }
}
