using System.Numerics;
using System.Runtime.CompilerServices;

using ZkMl.Field;

namespace ZkMl.Benchmarks.Baseline;

/// <summary>
/// A field that forwards every operation to <typeparamref name="T"/> but is not <typeparamref name="T"/>, so
/// <c>Ntt&lt;PlainField&lt;T&gt;&gt;</c> runs the generic radix-2 butterflies with today's scalar arithmetic: the "before"
/// of the specialised NTT paths (lazy Bn254Fr butterflies, AVX2 Goldilocks lanes), kept only as a benchmark baseline.
/// </summary>
public readonly struct PlainField<T> : ITwoAdicField<PlainField<T>> where T : struct, ITwoAdicField<T>
{
    private readonly T _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PlainField(T v) { _v = v; }

    /// <summary>Wraps a value.</summary>
    public static PlainField<T> From(T value) => new(value);

    /// <inheritdoc />
    public static BigInteger Modulus => T.Modulus;
    /// <inheritdoc />
    public static int ModulusBits => T.ModulusBits;
    /// <inheritdoc />
    public static int ByteLength => T.ByteLength;
    /// <inheritdoc />
    public static PlainField<T> Zero => new(T.Zero);
    /// <inheritdoc />
    public static PlainField<T> One => new(T.One);
    /// <inheritdoc />
    public static int TwoAdicity => T.TwoAdicity;
    /// <inheritdoc />
    public static PlainField<T> MultiplicativeGenerator => new(T.MultiplicativeGenerator);
    /// <inheritdoc />
    public static PlainField<T> RootOfUnity(int logN) => new(T.RootOfUnity(logN));
    /// <inheritdoc />
    public bool IsZero => _v.IsZero;
    /// <inheritdoc />
    public bool IsOne => _v.IsOne;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainField<T> Add(in PlainField<T> a, in PlainField<T> b) => new(T.Add(a._v, b._v));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainField<T> Sub(in PlainField<T> a, in PlainField<T> b) => new(T.Sub(a._v, b._v));
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static PlainField<T> Mul(in PlainField<T> a, in PlainField<T> b) => new(T.Mul(a._v, b._v));
    /// <inheritdoc />
    public static PlainField<T> Neg(in PlainField<T> a) => new(T.Neg(a._v));
    /// <inheritdoc />
    public static PlainField<T> Square(in PlainField<T> a) => new(T.Square(a._v));
    /// <inheritdoc />
    public static PlainField<T> Double(in PlainField<T> a) => new(T.Double(a._v));
    /// <inheritdoc />
    public static PlainField<T> Inverse(in PlainField<T> a) => new(T.Inverse(a._v));
    /// <inheritdoc />
    public static PlainField<T> FromUInt64(ulong value) => new(T.FromUInt64(value));
    /// <inheritdoc />
    public static PlainField<T> FromBigInteger(BigInteger value) => new(T.FromBigInteger(value));
    /// <inheritdoc />
    public BigInteger ToBigInteger() => _v.ToBigInteger();
    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination) => _v.WriteBytes(destination);
    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out PlainField<T> value)
    {
        bool ok = T.TryReadBytes(source, out T v);
        value = new(v);
        return ok;
    }
    /// <inheritdoc />
    public static PlainField<T> Random(Random rng) => new(T.Random(rng));

    /// <inheritdoc />
    public static PlainField<T> operator +(PlainField<T> a, PlainField<T> b) => Add(a, b);
    /// <inheritdoc />
    public static PlainField<T> operator -(PlainField<T> a, PlainField<T> b) => Sub(a, b);
    /// <inheritdoc />
    public static PlainField<T> operator *(PlainField<T> a, PlainField<T> b) => Mul(a, b);
    /// <inheritdoc />
    public static PlainField<T> operator -(PlainField<T> a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(PlainField<T> a, PlainField<T> b) => a._v.Equals(b._v);
    /// <inheritdoc />
    public static bool operator !=(PlainField<T> a, PlainField<T> b) => !a._v.Equals(b._v);
    /// <inheritdoc />
    public bool Equals(PlainField<T> other) => _v.Equals(other._v);
    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PlainField<T> other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => _v.GetHashCode();
}
