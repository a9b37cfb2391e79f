using System.Numerics;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Tests.Curves;

public class TowerTests
{
    private static void FieldLaws<T>(Random rng) where T : struct, IField<T>
    {
        var a = T.Random(rng);
        var b = T.Random(rng);
        var c = T.Random(rng);
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal(a * b, b * a);
        Assert.Equal(T.Square(a), a * a);
        Assert.Equal(T.Double(a), a + a);
        Assert.Equal(a, a - b + b);
        Assert.Equal(T.Zero, a + (-a));
        if (!a.IsZero) Assert.True((a * T.Inverse(a)).IsOne);
        Span<byte> bytes = stackalloc byte[T.ByteLength];
        a.WriteBytes(bytes);
        Assert.True(T.TryReadBytes(bytes, out var back));
        Assert.Equal(a, back);
    }

    [Property(MaxTest = 20)]
    public void Fq2FieldLaws(int seed) => FieldLaws<Fq2>(new Random(seed));

    [Property(MaxTest = 20)]
    public void Fq6FieldLaws(int seed) => FieldLaws<Fq6>(new Random(seed));

    [Property(MaxTest = 10)]
    public void Fq12FieldLaws(int seed) => FieldLaws<Fq12>(new Random(seed));

    [Fact]
    public void UIsSquareRootOfMinusOneAndNonResidueIsNinePlusU()
    {
        var u = new Fq2(Bn254Fq.Zero, Bn254Fq.One);
        Assert.Equal(-Fq2.One, u * u);
        var rng = new Random(1);
        var a = Fq2.Random(rng);
        Assert.Equal(a * Fq2.NonResidue, Fq2.MulByNonResidue(a));
        var v = new Fq6(Fq2.Zero, Fq2.One, Fq2.Zero);
        Assert.Equal(new Fq6(Fq2.NonResidue, Fq2.Zero, Fq2.Zero), v * v * v);
        var w = new Fq12(Fq6.Zero, Fq6.One);
        Assert.Equal(new Fq12(v, Fq6.Zero), w * w);
    }

    [Fact]
    public void FrobeniusIsPowerP()
    {
        var rng = new Random(2);
        var a6 = Fq6.Random(rng);
        var a12 = Fq12.Random(rng);
        var p = Bn254Fq.Modulus;
        Assert.Equal(Fq12.Pow(a12, p), Fq12.Frobenius(a12, 1));
        Assert.Equal(Fq12.Pow(a12, p * p), Fq12.Frobenius(a12, 2));
        Assert.Equal(Fq12.Frobenius(Fq12.Frobenius(Fq12.Frobenius(a12, 2), 2), 2), Fq12.Frobenius(a12, 6));
        Assert.Equal(Fq12.Conjugate(a12), Fq12.Frobenius(a12, 6));
        Assert.Equal(a12, Fq12.Frobenius(a12, 12));
        var f6 = Fq6.Frobenius(a6, 1);
        var pow6 = Fq12.Pow(new Fq12(a6, Fq6.Zero), p);
        Assert.Equal(new Fq12(f6, Fq6.Zero), pow6);
        Assert.Equal(Fq6.Frobenius(Fq6.Frobenius(a6, 2), 3), Fq6.Frobenius(a6, 5));
    }

    [Fact]
    public void CyclotomicSquareMatchesSquareOnUnitaryElements()
    {
        var rng = new Random(3);
        for (int i = 0; i < 5; i++)
        {
            var f = Fq12.Random(rng);
            var t = Fq12.Conjugate(f) * Fq12.Inverse(f);
            t = Fq12.Frobenius(t, 2) * t; // in the cyclotomic subgroup now
            Assert.Equal(Fq12.Square(t), Fq12.CyclotomicSquare(t));
        }
    }

    [Fact]
    public void Fq2SquareRoots()
    {
        var rng = new Random(4);
        int nonSquares = 0;
        for (int i = 0; i < 20; i++)
        {
            var a = Fq2.Random(rng);
            Assert.True(Fq2.TrySqrt(Fq2.Square(a), out var r));
            Assert.True(r == a || r == -a);
            if (!Fq2.TrySqrt(a, out _)) nonSquares++;
        }
        Assert.InRange(nonSquares, 1, 19);
    }

    [Fact]
    public void InverseOfZeroThrows()
    {
        Assert.Throws<DivideByZeroException>(() => Fq2.Inverse(Fq2.Zero));
        Assert.Throws<DivideByZeroException>(() => Fq6.Inverse(Fq6.Zero));
        Assert.Throws<DivideByZeroException>(() => Fq12.Inverse(Fq12.Zero));
    }
}
