using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Field.Tests;

/// <summary>Quick arithmetic cross-checks against BigInteger for the concrete fields.</summary>
public class FieldSmokeTests
{
    private static void CheckAgainstBigInteger<T>(int seed) where T : struct, IPrimeField<T>
    {
        var rng = new Random(seed);
        BigInteger p = T.Modulus;
        for (int i = 0; i < 2000; i++)
        {
            T a = T.Random(rng), b = T.Random(rng);
            BigInteger x = a.ToBigInteger(), y = b.ToBigInteger();
            Assert.True(x < p && y < p);
            Assert.Equal((x * y) % p, (a * b).ToBigInteger());
            Assert.Equal((x + y) % p, (a + b).ToBigInteger());
            Assert.Equal(((x - y) % p + p) % p, (a - b).ToBigInteger());
            Assert.Equal((p - x) % p, (-a).ToBigInteger());
            Assert.Equal(a, T.FromBigInteger(x));
            if (!a.IsZero) Assert.True((a * T.Inverse(a)).IsOne);
        }
        T pm1 = T.FromBigInteger(p - 1);
        Assert.Equal(T.One, pm1 * pm1);
        Assert.Equal(T.Zero, pm1 + T.One);
    }

    [Fact] public void Bn254FrMatchesBigInteger() => CheckAgainstBigInteger<Bn254Fr>(1);
    [Fact] public void Bn254FqMatchesBigInteger() => CheckAgainstBigInteger<Bn254Fq>(2);
    [Fact] public void GoldilocksMatchesBigInteger() => CheckAgainstBigInteger<Goldilocks>(3);

    [Fact]
    public void GoldilocksExtremeProductsReduce()
    {
        ulong[] edge = [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0xFFFF_FFFF_0000_0000UL];
        foreach (ulong x in edge)
            foreach (ulong y in edge)
                Assert.Equal(new BigInteger(x) * y % Goldilocks.P, Goldilocks.FromUInt64(x) * Goldilocks.FromUInt64(y) is var r ? r.ToBigInteger() : 0);
    }

    [Fact]
    public void RootsOfUnityHaveExactOrder()
    {
        Assert.True(Goldilocks.Pow(Goldilocks.RootOfUnity(32), 1UL << 31) == -Goldilocks.One);
        Assert.True(Bn254Fr.Pow(Bn254Fr.RootOfUnity(28), 1UL << 27) == -Bn254Fr.One);
        Assert.True(Bn254Fr.RootOfUnity(0).IsOne);
    }

    [Fact]
    public void Ext2InverseAndNonCanonicalBytes()
    {
        var rng = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            var a = GoldilocksExt2.Random(rng);
            if (!a.IsZero) Assert.True((a * GoldilocksExt2.Inverse(a)).IsOne);
        }
        Span<byte> bytes = stackalloc byte[32];
        bytes.Fill(0xFF);
        Assert.False(Bn254Fr.TryReadBytes(bytes, out _));
        Assert.Throws<DivideByZeroException>(() => Bn254Fq.Inverse(Bn254Fq.Zero));
    }
}
