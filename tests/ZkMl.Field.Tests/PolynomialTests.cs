namespace ZkMl.Field.Tests;

/// <summary>Generic polynomial and evaluation-domain checks, instantiated per field below.</summary>
public abstract class PolynomialTests<T> where T : struct, ITwoAdicField<T>
{
    private static Polynomial<T> RandomPoly(Random rng, int length)
    {
        var c = new T[length];
        for (int i = 0; i < length; i++) c[i] = T.Random(rng);
        if (length > 0 && c[^1].IsZero) c[^1] = T.One;
        return new Polynomial<T>(c);
    }

    [Fact]
    public void TrimsTrailingZerosAndReportsDegree()
    {
        var p = new Polynomial<T>([T.One, T.FromUInt64(2), T.Zero, T.Zero]);
        Assert.Equal(1, p.Degree);
        Assert.Equal(-1, new Polynomial<T>([T.Zero]).Degree);
        Assert.True(Polynomial<T>.Zero.IsZero);
        Assert.Equal(T.Zero, p[7]);
        Assert.Equal(p, Polynomial<T>.One + Polynomial<T>.X * T.FromUInt64(2));
    }

    [Fact]
    public void EvaluateIsHorner()
    {
        var rng = new Random(10);
        var p = RandomPoly(rng, 9);
        T x = T.Random(rng);
        T expected = T.Zero, power = T.One;
        foreach (T c in p.Coefficients)
        {
            expected += c * power;
            power *= x;
        }
        Assert.Equal(expected, p.Evaluate(x));
        Assert.Equal(T.Zero, Polynomial<T>.Zero.Evaluate(x));
    }

    [Fact]
    public void AddSubScaleAgreeWithEvaluation()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var a = RandomPoly(rng, rng.Next(0, 12));
            var b = RandomPoly(rng, rng.Next(0, 12));
            T x = T.Random(rng), k = T.Random(rng);
            Assert.Equal(a.Evaluate(x) + b.Evaluate(x), (a + b).Evaluate(x));
            Assert.Equal(a.Evaluate(x) - b.Evaluate(x), (a - b).Evaluate(x));
            Assert.Equal(k * a.Evaluate(x), (k * a).Evaluate(x));
            Assert.True((a - a).IsZero);
            Assert.Equal(a, -(-a));
        }
    }

    [Fact]
    public void MultiplyEqualsSchoolbookAcrossTheCutoff()
    {
        var rng = new Random(12);
        int[] lengths = [1, 2, 3, 17, 64, 65, 100, 257, 600];
        foreach (int la in lengths)
            foreach (int lb in new[] { 1, 5, 64, 130, 513 })
            {
                var a = RandomPoly(rng, la);
                var b = RandomPoly(rng, lb);
                var expected = new Polynomial<T>(Polynomial<T>.MultiplySchoolbook(a.Coefficients, b.Coefficients));
                Assert.Equal(expected, a * b);
                Assert.Equal(la + lb - 2, (a * b).Degree);
            }
        Assert.True((RandomPoly(rng, 5) * Polynomial<T>.Zero).IsZero);
    }

    [Fact]
    public void DivideByLinearGivesQuotientAndValue()
    {
        var rng = new Random(13);
        for (int length = 0; length < 20; length++)
        {
            var p = RandomPoly(rng, length);
            T z = T.Random(rng);
            var q = p.DivideByLinear(z, out T remainder);
            Assert.Equal(p.Evaluate(z), remainder);
            var linear = new Polynomial<T>([-z, T.One]);
            Assert.Equal(p, q * linear + Polynomial<T>.Constant(remainder));
        }
    }

    [Fact]
    public void DivRemIdentity()
    {
        var rng = new Random(14);
        for (int trial = 0; trial < 30; trial++)
        {
            var a = RandomPoly(rng, rng.Next(0, 40));
            var b = RandomPoly(rng, rng.Next(1, 15));
            var q = a.DivRem(b, out var r);
            Assert.True(r.Degree < b.Degree);
            Assert.Equal(a, q * b + r);
        }
        Assert.Throws<DivideByZeroException>(() => Polynomial<T>.One.DivRem(Polynomial<T>.Zero, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DivisionByVanishingPolynomial(bool coset)
    {
        var rng = new Random(15);
        foreach (int size in new[] { 1, 2, 8, 64 })
        {
            var domain = coset ? new EvaluationDomain<T>(size, T.MultiplicativeGenerator) : new EvaluationDomain<T>(size);
            var quotient = RandomPoly(rng, 3 * size + 1);
            var p = quotient * domain.VanishingPolynomial;
            Assert.Equal(quotient, domain.DivideByVanishing(p, out var zeroRemainder));
            Assert.True(zeroRemainder.IsZero);

            var r = RandomPoly(rng, size);
            var q = domain.DivideByVanishing(p + r, out var remainder);
            Assert.Equal(quotient, q);
            Assert.Equal(r, remainder);

            var z = domain.VanishingPolynomial;
            foreach (T x in domain.Elements()) Assert.Equal(T.Zero, domain.EvaluateVanishing(x));
            T outside = T.Random(rng);
            Assert.Equal(z.Evaluate(outside), domain.EvaluateVanishing(outside));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DomainInterpolationAndEvaluation(bool coset)
    {
        var rng = new Random(16);
        foreach (int size in new[] { 1, 4, 32, 256 })
        {
            var domain = coset ? new EvaluationDomain<T>(size, T.Random(rng)) : new EvaluationDomain<T>(size);
            T[] elements = domain.Elements();
            for (int i = 0; i < size; i += Math.Max(1, size / 7)) Assert.Equal(elements[i], domain.Element(i));
            var values = new T[size];
            for (int i = 0; i < size; i++) values[i] = T.Random(rng);
            var p = domain.Interpolate(values);
            Assert.True(p.Degree < size);
            for (int i = 0; i < size; i++) Assert.Equal(values[i], p.Evaluate(elements[i]));
            Assert.Equal(values, domain.Evaluate(p));

            // A polynomial longer than the domain is reduced modulo its vanishing polynomial first.
            var big = RandomPoly(rng, 3 * size + 2);
            T[] evaluations = domain.Evaluate(big);
            for (int i = 0; i < size; i++) Assert.Equal(big.Evaluate(elements[i]), evaluations[i]);

            // Lagrange basis at a point: sum L_i(z) v_i = p(z), and a delta on the domain.
            T z = T.Random(rng);
            T[] basis = domain.LagrangeBasisAt(z);
            T sum = T.Zero;
            for (int i = 0; i < size; i++) sum += basis[i] * values[i];
            Assert.Equal(p.Evaluate(z), sum);
            int k = rng.Next(size);
            T[] delta = domain.LagrangeBasisAt(elements[k]);
            for (int i = 0; i < size; i++) Assert.Equal(i == k ? T.One : T.Zero, delta[i]);
        }
    }

    [Fact]
    public void DomainConstruction()
    {
        Assert.Equal(8, EvaluationDomain<T>.OfSizeAtLeast(5).Size);
        Assert.Equal(1, EvaluationDomain<T>.OfSizeAtLeast(1).Size);
        Assert.Throws<ArgumentException>(() => new EvaluationDomain<T>(12));
        Assert.Throws<ArgumentException>(() => new EvaluationDomain<T>(8, T.Zero));
        var d = new EvaluationDomain<T>(16);
        Assert.Equal(T.One, d.Generator * d.GeneratorInverse);
        Assert.Equal(T.One, d.SizeInverse * T.FromUInt64(16));
    }

    [Fact]
    public void InterpolationThroughArbitraryPoints()
    {
        var rng = new Random(17);
        for (int n = 0; n < 12; n++)
        {
            var xs = new T[n];
            var ys = new T[n];
            for (int i = 0; i < n; i++)
            {
                xs[i] = T.FromUInt64((ulong)(i * 7 + 3));
                ys[i] = T.Random(rng);
            }
            var p = Polynomial<T>.Interpolate(xs, ys);
            Assert.True(p.Degree < Math.Max(n, 1));
            for (int i = 0; i < n; i++) Assert.Equal(ys[i], p.Evaluate(xs[i]));
        }
        var original = RandomPoly(rng, 6);
        T[] points = [.. Enumerable.Range(0, 6).Select(_ => T.Random(rng))];
        T[] values = [.. points.Select(x => original.Evaluate(x))];
        Assert.Equal(original, Polynomial<T>.Interpolate(points, values));
        Assert.Throws<ArgumentException>(() => Polynomial<T>.Interpolate([T.One, T.One], [T.One, T.Zero]));
        Assert.Throws<ArgumentException>(() => Polynomial<T>.Interpolate([T.One], [T.One, T.Zero]));
    }
}

public sealed class GoldilocksPolynomialTests : PolynomialTests<Goldilocks>;
public sealed class Bn254FrPolynomialTests : PolynomialTests<Bn254Fr>;

/// <summary>Polynomials over a field without an NTT (the quadratic extension) fall back to schoolbook products.</summary>
public sealed class ExtensionPolynomialTests
{
    [Fact]
    public void MultiplyDivideEvaluateOverGoldilocksExt2()
    {
        var rng = new Random(30);
        GoldilocksExt2[] Random(int n) => [.. Enumerable.Range(0, n).Select(_ => GoldilocksExt2.Random(rng))];
        var a = new Polynomial<GoldilocksExt2>(Random(90));
        var b = new Polynomial<GoldilocksExt2>(Random(70));
        var product = a * b;
        GoldilocksExt2 x = GoldilocksExt2.Random(rng);
        Assert.Equal(a.Evaluate(x) * b.Evaluate(x), product.Evaluate(x));
        Assert.Equal(a, product.DivRem(b, out var remainder));
        Assert.True(remainder.IsZero);
        var q = a.DivideByLinear(x, out GoldilocksExt2 value);
        Assert.Equal(a.Evaluate(x), value);
        Assert.Equal(a, q * new Polynomial<GoldilocksExt2>([-x, GoldilocksExt2.One]) + Polynomial<GoldilocksExt2>.Constant(value));
    }
}
