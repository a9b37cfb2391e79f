using System.Numerics;

namespace ZkMl.Field.Tests;

/// <summary>Generic checks of FieldMath against BigInteger, instantiated per prime field below.</summary>
public abstract class FieldMathTests<T> where T : struct, IPrimeField<T>
{
    private static readonly BigInteger P = T.Modulus;

    [Fact]
    public void PowMatchesBigIntegerModPow()
    {
        var rng = new Random(20);
        for (int trial = 0; trial < 50; trial++)
        {
            T a = T.Random(rng);
            ulong e = (ulong)rng.NextInt64() * (ulong)(trial % 3);
            BigInteger big = new BigInteger(rng.NextInt64()) * rng.NextInt64() * rng.NextInt64();
            Assert.Equal(BigInteger.ModPow(a.ToBigInteger(), e, P), FieldMath.Pow(a, e).ToBigInteger());
            Assert.Equal(BigInteger.ModPow(a.ToBigInteger(), big, P), FieldMath.Pow(a, big).ToBigInteger());
            if (!a.IsZero)
                Assert.Equal(T.Inverse(FieldMath.Pow(a, big)), FieldMath.Pow(a, -big));
        }
        Assert.Equal(T.One, FieldMath.Pow(T.Zero, 0UL));
        Assert.Equal(T.Zero, FieldMath.Pow(T.Zero, 5UL));
        Assert.Equal(T.One, FieldMath.Pow(T.FromUInt64(3), P - 1));
        Assert.Throws<DivideByZeroException>(() => FieldMath.Pow(T.Zero, BigInteger.MinusOne));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20000)]
    public void BatchInverseMatchesSingleInverses(int n)
    {
        var rng = new Random(21 + n);
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            do values[i] = T.Random(rng); while (values[i].IsZero);
        }
        T[] inPlace = (T[])values.Clone();
        FieldMath.BatchInverse(inPlace.AsSpan());
        var separate = new T[n];
        FieldMath.BatchInverse(values, separate);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(T.One, values[i] * inPlace[i]);
            Assert.Equal(inPlace[i], separate[i]);
        }
    }

    [Fact]
    public void BatchInverseRejectsZeroNamingItsIndex()
    {
        T[] values = [T.One, T.FromUInt64(2), T.Zero, T.FromUInt64(4)];
        T[] copy = (T[])values.Clone();
        var ex = Assert.Throws<DivideByZeroException>(() => FieldMath.BatchInverse(values.AsSpan()));
        Assert.Contains("index 2", ex.Message);
        Assert.Equal(copy, values);
    }

    [Fact]
    public void LegendreMatchesEulerCriterion()
    {
        var rng = new Random(22);
        Assert.Equal(0, FieldMath.Legendre(T.Zero));
        Assert.Equal(1, FieldMath.Legendre(T.One));
        for (int trial = 0; trial < 40; trial++)
        {
            T a = T.Random(rng);
            BigInteger euler = BigInteger.ModPow(a.ToBigInteger(), (P - 1) / 2, P);
            int expected = euler.IsZero ? 0 : euler.IsOne ? 1 : -1;
            Assert.Equal(expected, FieldMath.Legendre(a));
            if (!a.IsZero) Assert.Equal(1, FieldMath.Legendre(a * a));
        }
    }

    [Fact]
    public void SqrtFindsRootsOfSquaresAndRejectsNonSquares()
    {
        var rng = new Random(23);
        Assert.True(FieldMath.TrySqrt(T.Zero, out T zeroRoot));
        Assert.True(zeroRoot.IsZero);
        int nonSquares = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            T a = T.Random(rng);
            Assert.True(FieldMath.TrySqrt(a * a, out T root));
            Assert.True(root == a || root == -a);
            T b = T.Random(rng);
            bool ok = FieldMath.TrySqrt(b, out T rb);
            Assert.Equal(FieldMath.Legendre(b) >= 0, ok);
            if (ok) Assert.Equal(b, rb * rb);
            else nonSquares++;
        }
        Assert.True(nonSquares > 0);
        Assert.True(FieldMath.TrySqrt(-T.One, out T i) == (FieldMath.Legendre(-T.One) == 1));
        if (FieldMath.Legendre(-T.One) == 1) Assert.Equal(-T.One, i * i);
    }

    [Fact]
    public void RandomSecureIsCanonicalAndVaries()
    {
        var seen = new HashSet<BigInteger>();
        for (int i = 0; i < 64; i++)
        {
            BigInteger v = FieldMath.RandomSecure<T>().ToBigInteger();
            Assert.InRange(v, BigInteger.Zero, P - 1);
            seen.Add(v);
        }
        Assert.True(seen.Count > 60);
    }
}

public sealed class GoldilocksFieldMathTests : FieldMathTests<Goldilocks>;
public sealed class Bn254FrFieldMathTests : FieldMathTests<Bn254Fr>;
public sealed class Bn254FqFieldMathTests : FieldMathTests<Bn254Fq>;
