using System.Numerics;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>
/// Field axioms and arithmetic for a prime field, every result checked against System.Numerics.BigInteger mod p.
/// Operands mix uniformly random values with edge values (0, 1, p-1, 2^64 and 2^128 boundaries...).
/// </summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)], MaxTest = 200)]
public abstract class PrimeFieldLawTests<T> where T : struct, IPrimeField<T>
{
    protected static readonly BigInteger P = T.Modulus;

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;
    private static T Element(Operand o) => T.FromBigInteger(o.Resolve(P));

    [Property]
    public void OperationsMatchBigInteger(Operand oa, Operand ob)
    {
        BigInteger x = oa.Resolve(P), y = ob.Resolve(P);
        T a = T.FromBigInteger(x), b = T.FromBigInteger(y);
        Assert.Equal(x, a.ToBigInteger());
        Assert.Equal(Mod(x + y), T.Add(a, b).ToBigInteger());
        Assert.Equal(Mod(x - y), T.Sub(a, b).ToBigInteger());
        Assert.Equal(Mod(x * y), T.Mul(a, b).ToBigInteger());
        Assert.Equal(Mod(-x), T.Neg(a).ToBigInteger());
        Assert.Equal(Mod(2 * x), T.Double(a).ToBigInteger());
        Assert.Equal(Mod(x * x), T.Square(a).ToBigInteger());
        Assert.Equal(Mod(x * y), (a * b).ToBigInteger());
        Assert.Equal(Mod(x + y), (a + b).ToBigInteger());
        Assert.Equal(Mod(x - y), (a - b).ToBigInteger());
        Assert.Equal(x == y, a == b);
        Assert.Equal(x.IsZero, a.IsZero);
        Assert.Equal(x.IsOne, a.IsOne);
    }

    [Property]
    public void AssociativeCommutativeDistributive(Operand oa, Operand ob, Operand oc)
    {
        T a = Element(oa), b = Element(ob), c = Element(oc);
        Assert.Equal((a + b) + c, a + (b + c));
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal(a + b, b + a);
        Assert.Equal(a * b, b * a);
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal((a - b) * c, a * c - b * c);
        Assert.Equal(a, a + T.Zero);
        Assert.Equal(a, a * T.One);
        Assert.Equal(T.Zero, a * T.Zero);
    }

    [Property]
    public void NegSubDoubleConsistency(Operand oa, Operand ob)
    {
        T a = Element(oa), b = Element(ob);
        Assert.Equal(a - b, a + (-b));
        Assert.Equal(T.Zero, a + (-a));
        Assert.Equal(a, -(-a));
        Assert.Equal(T.Double(a), a + a);
        Assert.Equal(-(a - b), b - a);
        Assert.Equal(T.Square(a), a * a);
    }

    [Property(MaxTest = 60)]
    public void InverseAndFermat(Operand oa)
    {
        BigInteger x = oa.Resolve(P);
        T a = T.FromBigInteger(x);
        if (x.IsZero)
        {
            Assert.Throws<DivideByZeroException>(() => T.Inverse(a));
            return;
        }
        T inverse = T.Inverse(a);
        Assert.Equal(BigInteger.ModPow(x, P - 2, P), inverse.ToBigInteger());
        Assert.True((a * inverse).IsOne);
        Assert.Equal(T.One, FieldMath.Pow(a, P - 1));
    }

    [Property]
    public void EncodingRoundTripsAndIsLittleEndianCanonical(Operand oa)
    {
        BigInteger x = oa.Resolve(P);
        T a = T.FromBigInteger(x);
        var bytes = new byte[T.ByteLength];
        a.WriteBytes(bytes);
        Assert.Equal(x, new BigInteger(bytes, isUnsigned: true, isBigEndian: false));
        Assert.True(T.TryReadBytes(bytes, out T back));
        Assert.Equal(a, back);
        Assert.False(T.TryReadBytes(bytes.AsSpan(0, T.ByteLength - 1), out _));
        Assert.False(T.TryReadBytes(new byte[T.ByteLength + 1], out _));
    }

    [Property]
    public void RejectsNonCanonicalEncodings(Operand oa)
    {
        // Every value in [p, 2^(8 * ByteLength)) must be rejected; x + p covers it when it still fits.
        BigInteger limit = BigInteger.One << (8 * T.ByteLength);
        BigInteger nonCanonical = P + oa.Resolve(P);
        if (nonCanonical >= limit) nonCanonical = limit - 1 - oa.Resolve(P) % (limit - P);
        var bytes = new byte[T.ByteLength];
        Assert.True(nonCanonical.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false));
        Assert.False(T.TryReadBytes(bytes, out _));
    }

    [Property]
    public void FromBigIntegerReducesNegativesAndLargeValues(Operand oa, Operand ob)
    {
        BigInteger x = oa.Resolve(P), k = ob.Resolve(P);
        Assert.Equal(-T.FromBigInteger(x), T.FromBigInteger(-x));
        Assert.Equal(T.FromBigInteger(x), T.FromBigInteger(x + k * P));
        Assert.Equal(T.FromBigInteger(x), T.FromBigInteger(x - k * P - P));
        Assert.Equal(x.ToString(), T.FromBigInteger(x).ToString());
        ulong small = (ulong)(x & ulong.MaxValue);
        Assert.Equal(Mod(small), T.FromUInt64(small).ToBigInteger());
    }

    [Fact]
    public void EdgeEncodings()
    {
        Assert.Equal("0", T.Zero.ToString());
        Assert.Equal("1", T.One.ToString());
        Assert.Equal((P - 1).ToString(), T.FromBigInteger(-1).ToString());
        var bytes = new byte[T.ByteLength];
        Assert.True((P - 1).TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false));
        Assert.True(T.TryReadBytes(bytes, out T pm1));
        Assert.Equal(-T.One, pm1);
        Array.Clear(bytes);
        Assert.True(P.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false));
        Assert.False(T.TryReadBytes(bytes, out _));
        Assert.False(T.TryReadBytes([], out _));
        Assert.Throws<DivideByZeroException>(() => T.Inverse(T.Zero));
        Assert.Equal(P.GetBitLength(), T.ModulusBits);
    }
}

public sealed class Bn254FrLawTests : PrimeFieldLawTests<Bn254Fr>;
public sealed class Bn254FqLawTests : PrimeFieldLawTests<Bn254Fq>;
public sealed class GoldilocksLawTests : PrimeFieldLawTests<Goldilocks>;

/// <summary>GoldilocksExt2 = F_p[X]/(X^2 - 7) against a BigInteger pair model.</summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)], MaxTest = 200)]
public sealed class GoldilocksExt2LawTests
{
    private static readonly BigInteger P = Goldilocks.Modulus;
    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    private static (BigInteger, BigInteger) Model(Operand o0, Operand o1) => (o0.Resolve(P), o1.Resolve(P));
    private static GoldilocksExt2 Element((BigInteger c0, BigInteger c1) m) =>
        new(Goldilocks.FromBigInteger(m.c0), Goldilocks.FromBigInteger(m.c1));
    private static (BigInteger, BigInteger) ToModel(GoldilocksExt2 e) => (e.C0.ToBigInteger(), e.C1.ToBigInteger());

    [Property]
    public void ArithmeticMatchesModel(Operand a0, Operand a1, Operand b0, Operand b1)
    {
        var (x0, x1) = Model(a0, a1);
        var (y0, y1) = Model(b0, b1);
        var a = Element((x0, x1));
        var b = Element((y0, y1));
        Assert.Equal((Mod(x0 + y0), Mod(x1 + y1)), ToModel(a + b));
        Assert.Equal((Mod(x0 - y0), Mod(x1 - y1)), ToModel(a - b));
        Assert.Equal((Mod(x0 * y0 + 7 * x1 * y1), Mod(x0 * y1 + x1 * y0)), ToModel(a * b));
        Assert.Equal((Mod(-x0), Mod(-x1)), ToModel(-a));
        Assert.Equal(ToModel(a * a), ToModel(GoldilocksExt2.Square(a)));
        Assert.Equal(a + a, GoldilocksExt2.Double(a));
    }

    [Property]
    public void FieldLaws(Operand a0, Operand a1, Operand b0, Operand b1, Operand c0, Operand c1)
    {
        var a = Element(Model(a0, a1));
        var b = Element(Model(b0, b1));
        var c = Element(Model(c0, c1));
        Assert.Equal((a * b) * c, a * (b * c));
        Assert.Equal((a + b) + c, a + (b + c));
        Assert.Equal(a * b, b * a);
        Assert.Equal(a * (b + c), a * b + a * c);
        Assert.Equal(a - b, a + (-b));
        if (!a.IsZero)
        {
            var inverse = GoldilocksExt2.Inverse(a);
            Assert.True((a * inverse).IsOne);
            // The multiplicative group has order p^2 - 1.
            Assert.Equal(GoldilocksExt2.One, FieldMath.Pow(a, P * P - 1));
        }
    }

    [Property]
    public void EncodingRoundTripAndRejection(Operand a0, Operand a1)
    {
        var a = Element(Model(a0, a1));
        var bytes = new byte[GoldilocksExt2.ByteLength];
        a.WriteBytes(bytes);
        Assert.True(GoldilocksExt2.TryReadBytes(bytes, out var back));
        Assert.Equal(a, back);
        Assert.False(GoldilocksExt2.TryReadBytes(bytes.AsSpan(0, 15), out _));
        var high = (byte[])bytes.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(high.AsSpan(8), Goldilocks.P + (ulong)(a0.Resolve(P) % (ulong.MaxValue - Goldilocks.P)));
        Assert.False(GoldilocksExt2.TryReadBytes(high, out _));
    }

    [Fact]
    public void ZeroHasNoInverse() =>
        Assert.Throws<DivideByZeroException>(() => GoldilocksExt2.Inverse(GoldilocksExt2.Zero));
}
