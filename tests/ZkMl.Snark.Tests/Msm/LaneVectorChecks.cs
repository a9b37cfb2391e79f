using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>
/// The lane arithmetic's checks, written once over <see cref="ILaneVector{TSelf}"/> and run at both widths by
/// <see cref="LaneVectorTests"/>: each lane against BigInteger, and products back in the scalar form against
/// <see cref="Bn254Fq"/>. The raw 29-bit limbs, which the interface does not expose, are read and written through the
/// lane types' layout: nine limb vectors, limb j of lane k at ulong index Width * j + k.
/// </summary>
internal static class LaneVectorChecks<TV> where TV : struct, ILaneVector<TV>
{
    private static readonly BigInteger P = Bn254Fq.Modulus;
    private static readonly BigInteger RPrimeInverse = BigInteger.ModPow(BigInteger.Pow(2, 261), P - 2, P);

    private static int W => TV.Width;

    private const ulong LimbMask = (1UL << 29) - 1;

    /// <summary>The lane vector whose lane k holds values[k] in nine 29-bit limbs (the top limb takes the rest).</summary>
    private static TV FromValues(BigInteger[] values)
    {
        Assert.Equal(9 * W * sizeof(ulong), Unsafe.SizeOf<TV>());
        var raw = new ulong[9 * W];
        for (int j = 0; j < 9; j++)
            for (int k = 0; k < W; k++)
                raw[W * j + k] = j < 8 ? (ulong)((values[k] >> (29 * j)) & LimbMask) : (ulong)(values[k] >> (29 * j));
        return MemoryMarshal.Read<TV>(MemoryMarshal.AsBytes(raw.AsSpan()));
    }

    /// <summary>Lane k's value; asserts limbs 0..7 are normalized.</summary>
    private static BigInteger Lane(TV a, int k)
    {
        ReadOnlySpan<ulong> raw = MemoryMarshal.Cast<TV, ulong>(MemoryMarshal.CreateReadOnlySpan(ref a, 1));
        BigInteger value = 0;
        for (int j = 8; j >= 0; j--)
        {
            if (j < 8) Assert.True(raw[W * j + k] <= LimbMask);
            value = (value << 29) + raw[W * j + k];
        }
        return value;
    }

    private static BigInteger Below(Random rng, BigInteger bound)
    {
        var bytes = new byte[40];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    /// <summary>Random values below bound, with lane 0 = 0 and lane 1 = bound - 1.</summary>
    private static BigInteger[] Values(Random rng, BigInteger bound)
    {
        var v = new BigInteger[W];
        for (int k = 0; k < W; k++) v[k] = Below(rng, bound);
        v[0] = 0;
        v[1] = bound - 1;
        return v;
    }

    private static BigInteger Canonical(ulong[] limbs, int k) =>
        limbs[k] + ((BigInteger)limbs[W + k] << 64) + ((BigInteger)limbs[2 * W + k] << 128) + ((BigInteger)limbs[3 * W + k] << 192);

    /// <summary>
    /// Edge operands below 2p (the adders' inputs are canonical or below 2p): 0, 1, 2, p - 1, p, p + 1, 2p - 1, 2^254, and
    /// values at the 29-bit limb boundaries (2^(29j) - 1, 2^(29j), 2^(29j) + 1, p - 2^(29j)).
    /// </summary>
    public static BigInteger[] EdgeValues()
    {
        var list = new List<BigInteger> { 0, 1, 2, P - 1, P, P + 1, 2 * P - 1, BigInteger.Pow(2, 254) };
        for (int j = 1; j <= 8; j++)
        {
            var edge = BigInteger.Pow(2, 29 * j);
            list.Add(edge - 1);
            list.Add(edge);
            list.Add(edge + 1);
            list.Add(P - edge);
        }
        Assert.All(list, v => Assert.True(v >= 0 && v < 2 * P));
        return list.ToArray();
    }

    public static void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        var rng = new Random(seed);
        var a = Values(rng, 18 * P); // the largest multiplicand the MSM feeds in, against one below 2p
        var b = Values(rng, 2 * P);
        CheckMul(a, b);
    }

    private static void CheckMul(BigInteger[] a, BigInteger[] b)
    {
        var r = TV.Mul(FromValues(a), FromValues(b));
        for (int k = 0; k < W; k++)
        {
            var got = Lane(r, k);
            Assert.True(got < 2 * P);
            Assert.Equal(a[k] * b[k] * RPrimeInverse % P, got % P);
        }
    }

    public static void ToLimbsGivesTheCanonicalValue(int seed)
    {
        var rng = new Random(seed);
        var a = Values(rng, 2 * P);
        var limbs = new ulong[4 * W];
        TV.ToLimbs(FromValues(a), limbs);
        for (int k = 0; k < W; k++) Assert.Equal(a[k] % P, Canonical(limbs, k));
        var below16P = Values(rng, 16 * P);
        TV.ToLimbsBelow16P(FromValues(below16P), limbs);
        for (int k = 0; k < W; k++) Assert.Equal(below16P[k] % P, Canonical(limbs, k));
        var below32P = Values(rng, 32 * P);
        TV.ToLimbsBelow32P(FromValues(below32P), limbs);
        for (int k = 0; k < W; k++) Assert.Equal(below32P[k] % P, Canonical(limbs, k));
    }

    public static void AddAndSubtractAreExact(int seed)
    {
        var rng = new Random(seed);
        CheckAddSub(Values(rng, 2 * P), Values(rng, P), Values(rng, 4 * P), Values(rng, 10 * P));
    }

    private static void CheckAddSub(BigInteger[] a, BigInteger[] canonical, BigInteger[] small, BigInteger[] large)
    {
        var sum = TV.Add(FromValues(a), FromValues(small));
        var diffCanonical = TV.SubCanonical(FromValues(a), FromValues(canonical));
        var diffSmall = TV.SubSmall(FromValues(a), FromValues(small));
        var diffLarge = TV.SubLarge(FromValues(a), FromValues(large));
        for (int k = 0; k < W; k++)
        {
            Assert.Equal(a[k] + small[k], Lane(sum, k));
            Assert.Equal(a[k] - canonical[k] + 2 * P, Lane(diffCanonical, k));
            Assert.Equal(a[k] - small[k] + 8 * P, Lane(diffSmall, k));
            Assert.Equal(a[k] - large[k] + 16 * P, Lane(diffLarge, k));
        }
    }

    /// <summary>Every pair of edge values through the product, the sum and the differences.</summary>
    public static void EdgeValuesAreExact()
    {
        var edges = EdgeValues();
        var pairs = (from x in edges from y in edges select (x, y)).ToArray();
        for (int start = 0; start < pairs.Length; start += W)
        {
            var a = new BigInteger[W];
            var b = new BigInteger[W];
            for (int k = 0; k < W; k++) (a[k], b[k]) = pairs[Math.Min(start + k, pairs.Length - 1)];
            CheckMul(a, b);
            var canonical = b.Select(v => v % P).ToArray();
            CheckAddSub(a, canonical, b, b);
        }
    }

    /// <summary>Scalar values into the lanes' form and back; a lane product equals the scalar <see cref="Bn254Fq"/> product.</summary>
    public static void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        var rng = new Random(seed);
        var x = new Bn254Fq[W];
        var y = new Bn254Fq[W];
        for (int k = 0; k < W; k++) { x[k] = Bn254Fq.Random(rng); y[k] = Bn254Fq.Random(rng); }
        x[0] = Bn254Fq.Zero;
        x[1] = -Bn254Fq.One;
        y[2] = Bn254Fq.One;
        var limbs = new ulong[4 * W];
        for (int k = 0; k < W; k++) x[k].GetMontgomeryLimbs(out limbs[k], out limbs[W + k], out limbs[2 * W + k], out limbs[3 * W + k]);
        var lanesX = TV.ToLaneForm(TV.FromLimbs(limbs));
        for (int k = 0; k < W; k++) y[k].GetMontgomeryLimbs(out limbs[k], out limbs[W + k], out limbs[2 * W + k], out limbs[3 * W + k]);
        var lanesY = TV.ToLaneForm(TV.FromLimbs(limbs));
        var rPrime = BigInteger.Pow(2, 261) % P;
        for (int k = 0; k < W; k++) Assert.Equal(x[k].ToBigInteger() * rPrime % P, Lane(lanesX, k) % P);
        var products = TV.Mul(lanesX, lanesY);
        var back = new ulong[4 * W];
        TV.ToLimbs(TV.FromLaneForm(products), back);
        for (int k = 0; k < W; k++)
            Assert.Equal(x[k] * y[k], Bn254Fq.FromMontgomeryLimbs(back[k], back[W + k], back[2 * W + k], back[3 * W + k]));
    }
}
