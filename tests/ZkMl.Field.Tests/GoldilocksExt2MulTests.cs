using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Field.Tests;

/// <summary>
/// <see cref="GoldilocksExt2.Mul(in GoldilocksExt2, in GoldilocksExt2)"/> (lazily reduced 128-bit sums) against the
/// BigInteger model on every pair of coefficients from values at the reductions' edges (0, 1, 2^32 - 1, 2^32, 2^63,
/// p - 2^32, p - 1, ...), where the carries of the 128-bit sums happen, and on many random elements.
/// </summary>
public class GoldilocksExt2MulTests
{
    private static readonly BigInteger P = Goldilocks.Modulus;
    private static readonly ulong[] Edges =
        [0, 1, 2, 7, (1UL << 32) - 1, 1UL << 32, (1UL << 32) + 1, 1UL << 61, (1UL << 61) - 1, 1UL << 63, (1UL << 63) + 1,
         Goldilocks.P - (1UL << 32), Goldilocks.P - (1UL << 32) - 1, Goldilocks.P - 8, Goldilocks.P - 2, Goldilocks.P - 1];

    private static void Check(ulong a0, ulong a1, ulong b0, ulong b1)
    {
        var product = new GoldilocksExt2(Goldilocks.FromUInt64(a0), Goldilocks.FromUInt64(a1)) * new GoldilocksExt2(Goldilocks.FromUInt64(b0), Goldilocks.FromUInt64(b1));
        BigInteger c0 = ((BigInteger)a0 * b0 + 7 * (BigInteger)a1 * b1) % P, c1 = ((BigInteger)a0 * b1 + (BigInteger)a1 * b0) % P;
        Assert.Equal((ulong)c0, product.C0.Value);
        Assert.Equal((ulong)c1, product.C1.Value);
    }

    [Fact]
    public void EdgeProductsMatchTheModel()
    {
        foreach (ulong a0 in Edges)
            foreach (ulong a1 in Edges)
                foreach (ulong b0 in Edges)
                    foreach (ulong b1 in Edges) Check(a0, a1, b0, b1);
    }

    [Fact]
    public void RandomProductsMatchTheModel()
    {
        var rng = new Random(5);
        for (int i = 0; i < 100_000; i++)
        {
            // Half of them with coefficients close to p, where the 128-bit sums carry.
            ulong Draw() => rng.Next(2) == 0 ? Goldilocks.P - 1 - (ulong)rng.NextInt64(1L << 40) : Goldilocks.Random(rng).Value;
            Check(Draw(), Draw(), Draw(), Draw());
        }
    }
}
