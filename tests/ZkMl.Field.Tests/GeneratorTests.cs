using System.Numerics;

namespace ZkMl.Field.Tests;

/// <summary>The documented multiplicative generators really generate: g^((p-1)/q) != 1 for every prime q | p - 1.</summary>
public class GeneratorTests
{
    private static readonly BigInteger[] GoldilocksFactors = [2, 3, 5, 17, 257, 65537];
    private static readonly int[] GoldilocksExponents = [32, 1, 1, 1, 1, 1];

    private static readonly BigInteger[] FrFactors =
    [
        2, 3, 13, 29, 983, 11003, 237073, 405928799, BigInteger.Parse("1670836401704629"),
        BigInteger.Parse("13818364434197438864469338081"),
    ];
    private static readonly int[] FrExponents = [28, 2, 1, 1, 1, 1, 1, 1, 1, 1];

    [Fact] public void GoldilocksGeneratorHasFullOrder() => CheckGenerator<Goldilocks>(GoldilocksFactors, GoldilocksExponents);
    [Fact] public void Bn254FrGeneratorHasFullOrder() => CheckGenerator<Bn254Fr>(FrFactors, FrExponents);

    private static void CheckGenerator<T>(BigInteger[] primes, int[] exponents) where T : struct, ITwoAdicField<T>
    {
        BigInteger order = T.Modulus - 1;
        BigInteger product = 1;
        for (int i = 0; i < primes.Length; i++)
        {
            Assert.True(IsProbablePrime(primes[i]), $"{primes[i]} is not prime");
            product *= BigInteger.Pow(primes[i], exponents[i]);
        }
        Assert.Equal(order, product);
        Assert.Equal(exponents[0], T.TwoAdicity);
        T g = T.MultiplicativeGenerator;
        foreach (BigInteger q in primes) Assert.False(FieldMath.Pow(g, order / q).IsOne, $"g^((p-1)/{q}) = 1");
        Assert.True(FieldMath.Pow(g, order).IsOne);
        // The top root of unity is g^((p-1)/2^s), as documented.
        Assert.Equal(FieldMath.Pow(g, order >> T.TwoAdicity), T.RootOfUnity(T.TwoAdicity));
    }

    /// <summary>Miller-Rabin with the first 20 prime bases (deterministic far beyond the sizes used here).</summary>
    private static bool IsProbablePrime(BigInteger n)
    {
        int[] bases = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];
        if (n < 2) return false;
        foreach (int b in bases)
        {
            if (n == b) return true;
            if (n % b == 0) return false;
        }
        BigInteger d = n - 1;
        int s = 0;
        while (d.IsEven) { d >>= 1; s++; }
        foreach (int b in bases)
        {
            BigInteger x = BigInteger.ModPow(b, d, n);
            if (x.IsOne || x == n - 1) continue;
            bool composite = true;
            for (int r = 1; r < s && composite; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }
}
