using System.Buffers.Binary;
using System.Numerics;

namespace ZkMl.Field.Tests;

/// <summary>
/// An independent, deliberately naive Goldilocks field (UInt128 remainder) used as a second reference for the
/// generic NTT / polynomial / FieldMath code.
/// </summary>
public readonly struct NaiveGoldilocks : ITwoAdicField<NaiveGoldilocks>
{
    public const ulong P = 0xFFFF_FFFF_0000_0001UL;
    private readonly ulong _v;
    private NaiveGoldilocks(ulong v) => _v = v;
    public ulong Value => _v;

    public static NaiveGoldilocks Zero => default;
    public static NaiveGoldilocks One => new(1);
    public static NaiveGoldilocks Add(in NaiveGoldilocks a, in NaiveGoldilocks b) => new((ulong)(((UInt128)a._v + b._v) % P));
    public static NaiveGoldilocks Sub(in NaiveGoldilocks a, in NaiveGoldilocks b) => new((ulong)(((UInt128)a._v + P - b._v) % P));
    public static NaiveGoldilocks Neg(in NaiveGoldilocks a) => Sub(Zero, a);
    public static NaiveGoldilocks Mul(in NaiveGoldilocks a, in NaiveGoldilocks b) => new((ulong)((UInt128)a._v * b._v % P));
    public static NaiveGoldilocks Square(in NaiveGoldilocks a) => Mul(a, a);
    public static NaiveGoldilocks Double(in NaiveGoldilocks a) => Add(a, a);
    public static NaiveGoldilocks Inverse(in NaiveGoldilocks a)
    {
        if (a._v == 0) throw new DivideByZeroException();
        return new((ulong)BigInteger.ModPow(a._v, P - 2, P));
    }
    public static NaiveGoldilocks FromUInt64(ulong value) => new(value % P);
    public static int ByteLength => 8;
    public void WriteBytes(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, _v);
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out NaiveGoldilocks value)
    {
        value = default;
        if (source.Length != 8) return false;
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(source);
        if (v >= P) return false;
        value = new(v);
        return true;
    }
    public static NaiveGoldilocks Random(Random rng) => new((ulong)rng.NextInt64() % P);
    public bool IsZero => _v == 0;
    public bool IsOne => _v == 1;
    public static BigInteger Modulus => P;
    public static int ModulusBits => 64;
    public static NaiveGoldilocks FromBigInteger(BigInteger value)
    {
        var r = value % P;
        if (r < 0) r += P;
        return new((ulong)r);
    }
    public BigInteger ToBigInteger() => _v;
    public static int TwoAdicity => 32;
    public static NaiveGoldilocks MultiplicativeGenerator => new(7);
    public static NaiveGoldilocks RootOfUnity(int logN) =>
        new((ulong)BigInteger.ModPow(7, (P - 1) >> logN, P));

    public static NaiveGoldilocks operator +(NaiveGoldilocks a, NaiveGoldilocks b) => Add(a, b);
    public static NaiveGoldilocks operator -(NaiveGoldilocks a, NaiveGoldilocks b) => Sub(a, b);
    public static NaiveGoldilocks operator *(NaiveGoldilocks a, NaiveGoldilocks b) => Mul(a, b);
    public static NaiveGoldilocks operator -(NaiveGoldilocks a) => Neg(a);
    public static bool operator ==(NaiveGoldilocks a, NaiveGoldilocks b) => a._v == b._v;
    public static bool operator !=(NaiveGoldilocks a, NaiveGoldilocks b) => a._v != b._v;
    public bool Equals(NaiveGoldilocks other) => _v == other._v;
    public override bool Equals(object? obj) => obj is NaiveGoldilocks o && Equals(o);
    public override int GetHashCode() => _v.GetHashCode();
    public override string ToString() => _v.ToString();
}
