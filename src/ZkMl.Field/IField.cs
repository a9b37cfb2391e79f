using System.Numerics;

namespace ZkMl.Field;

/// <summary>
/// A finite field element type with value semantics. Implementations are structs so that
/// generic code over <typeparamref name="T"/> is specialised by the JIT and allocates nothing per operation.
/// </summary>
/// <typeparam name="T">The implementing struct itself (curiously recurring pattern).</typeparam>
public interface IField<T> : IEquatable<T>,
    IAdditionOperators<T, T, T>, ISubtractionOperators<T, T, T>, IMultiplyOperators<T, T, T>,
    IUnaryNegationOperators<T, T>, IEqualityOperators<T, T, bool>
    where T : struct, IField<T>
{
    /// <summary>The additive identity.</summary>
    static abstract T Zero { get; }
    /// <summary>The multiplicative identity.</summary>
    static abstract T One { get; }
    /// <summary>a + b.</summary>
    static abstract T Add(in T a, in T b);
    /// <summary>a - b.</summary>
    static abstract T Sub(in T a, in T b);
    /// <summary>-a.</summary>
    static abstract T Neg(in T a);
    /// <summary>a * b.</summary>
    static abstract T Mul(in T a, in T b);
    /// <summary>a * a.</summary>
    static abstract T Square(in T a);
    /// <summary>2a.</summary>
    static abstract T Double(in T a);
    /// <summary>The multiplicative inverse. Throws <see cref="DivideByZeroException"/> for zero.</summary>
    static abstract T Inverse(in T a);
    /// <summary>The element corresponding to the integer <paramref name="value"/> (reduced modulo the characteristic).</summary>
    static abstract T FromUInt64(ulong value);
    /// <summary>Number of bytes of the canonical encoding.</summary>
    static abstract int ByteLength { get; }
    /// <summary>Writes the canonical little-endian encoding into <paramref name="destination"/> (at least <see cref="ByteLength"/> bytes).</summary>
    void WriteBytes(Span<byte> destination);
    /// <summary>Strictly decodes a canonical little-endian encoding; non-canonical input returns false.</summary>
    static abstract bool TryReadBytes(ReadOnlySpan<byte> source, out T value);
    /// <summary>A uniformly random element drawn from <paramref name="rng"/>.</summary>
    static abstract T Random(Random rng);
    /// <summary>True for the additive identity.</summary>
    bool IsZero { get; }
    /// <summary>True for the multiplicative identity.</summary>
    bool IsOne { get; }
}
