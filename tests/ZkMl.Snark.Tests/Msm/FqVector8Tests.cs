using System.Numerics;
using System.Runtime.Intrinsics;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>The AVX-512 lane arithmetic behind the G1 MSM, checked lane by lane against BigInteger.</summary>
public class FqVector8Tests
{
    private static readonly BigInteger P = Bn254Fq.Modulus;
    private static readonly BigInteger RPrimeInverse = BigInteger.ModPow(BigInteger.Pow(2, 261), P - 2, P);

    private static BigInteger Below(Random rng, BigInteger bound)
    {
        var bytes = new byte[40];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    private static FqVector8 FromValues(BigInteger[] values)
    {
        var limbs = new Vector512<ulong>[9];
        for (int j = 0; j < 9; j++)
        {
            var lane = new ulong[8];
            for (int k = 0; k < 8; k++) lane[k] = (ulong)((values[k] >> (29 * j)) & FqVector8.LimbMask);
            limbs[j] = Vector512.Create(lane);
        }
        return new FqVector8(limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5], limbs[6], limbs[7], limbs[8]);
    }

    /// <summary>Lane k's value; asserts limbs 0..7 are normalized.</summary>
    private static BigInteger Lane(in FqVector8 a, int k)
    {
        Vector512<ulong>[] limbs = [a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, a.L7, a.L8];
        BigInteger value = 0;
        for (int j = 8; j >= 0; j--)
        {
            if (j < 8) Assert.True(limbs[j][k] <= FqVector8.LimbMask);
            value = (value << 29) + limbs[j][k];
        }
        return value;
    }

    private static BigInteger[] Values(Random rng, BigInteger bound)
    {
        var v = new BigInteger[8];
        for (int k = 0; k < 8; k++) v[k] = Below(rng, bound);
        v[0] = 0;
        v[1] = bound - 1;
        return v;
    }

    [Property(MaxTest = 50)]
    public void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        if (!FqVector8.IsSupported) return;
        var rng = new Random(seed);
        var a = Values(rng, 18 * P); // the largest multiplicand the MSM feeds in, against one below 2p
        var b = Values(rng, 2 * P);
        var r = FqVector8.Mul(FromValues(a), FromValues(b));
        for (int k = 0; k < 8; k++)
        {
            var got = Lane(r, k);
            Assert.True(got < 2 * P);
            Assert.Equal(a[k] * b[k] * RPrimeInverse % P, got % P);
        }
    }

    [Property(MaxTest = 50)]
    public void ToLimbsGivesTheCanonicalValue(int seed)
    {
        if (!FqVector8.IsSupported) return;
        var rng = new Random(seed);
        var a = Values(rng, 2 * P);
        var limbs = new ulong[32];
        FqVector8.ToLimbs(FromValues(a), limbs);
        for (int k = 0; k < 8; k++)
        {
            var canonical = (BigInteger)limbs[k] + ((BigInteger)limbs[8 + k] << 64) + ((BigInteger)limbs[16 + k] << 128) + ((BigInteger)limbs[24 + k] << 192);
            Assert.Equal(a[k] % P, canonical);
        }
        var below16P = Values(rng, 16 * P);
        FqVector8.ToLimbsBelow16P(FromValues(below16P), limbs);
        for (int k = 0; k < 8; k++)
        {
            var canonical = (BigInteger)limbs[k] + ((BigInteger)limbs[8 + k] << 64) + ((BigInteger)limbs[16 + k] << 128) + ((BigInteger)limbs[24 + k] << 192);
            Assert.Equal(below16P[k] % P, canonical);
        }
    }

    [Property(MaxTest = 50)]
    public void AddAndSubtractAreExactModP(int seed)
    {
        if (!FqVector8.IsSupported) return;
        var rng = new Random(seed);
        var a = Values(rng, 2 * P);
        var small = Values(rng, 4 * P);
        var large = Values(rng, 10 * P);
        var sum = FqVector8.Add(FromValues(a), FromValues(small));
        var diffSmall = FqVector8.SubSmall(FromValues(a), FromValues(small));
        var diffLarge = FqVector8.SubLarge(FromValues(a), FromValues(large));
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal(a[k] + small[k], Lane(sum, k));
            Assert.Equal(a[k] - small[k] + 8 * P, Lane(diffSmall, k));
            Assert.Equal(a[k] - large[k] + 16 * P, Lane(diffLarge, k));
        }
    }

    [Property(MaxTest = 50)]
    public void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        if (!FqVector8.IsSupported) return;
        var rng = new Random(seed);
        var x = new Bn254Fq[8];
        for (int k = 0; k < 8; k++) x[k] = Bn254Fq.Random(rng);
        x[0] = Bn254Fq.Zero;
        x[1] = -Bn254Fq.One;
        var limbs = new ulong[32];
        for (int k = 0; k < 8; k++) x[k].GetMontgomeryLimbs(out limbs[k], out limbs[8 + k], out limbs[16 + k], out limbs[24 + k]);
        var lanes = FqVector8.ToLaneForm(FqVector8.FromLimbs(limbs));
        var rPrime = BigInteger.Pow(2, 261) % P;
        for (int k = 0; k < 8; k++) Assert.Equal(x[k].ToBigInteger() * rPrime % P, Lane(lanes, k) % P);
        // A product in the lane form comes back as the scalar product.
        var squares = FqVector8.Mul(lanes, lanes);
        var back = new ulong[32];
        FqVector8.ToLimbs(FqVector8.FromLaneForm(squares), back);
        for (int k = 0; k < 8; k++)
            Assert.Equal(x[k] * x[k], Bn254Fq.FromMontgomeryLimbs(back[k], back[8 + k], back[16 + k], back[24 + k]));
    }
}
