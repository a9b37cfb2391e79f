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

/// <summary>A prime field F_p.</summary>
public interface IPrimeField<T> : IField<T> where T : struct, IPrimeField<T>
{
    /// <summary>The characteristic p.</summary>
    static abstract BigInteger Modulus { get; }
    /// <summary>Bit length of p.</summary>
    static abstract int ModulusBits { get; }
    /// <summary>The element congruent to <paramref name="value"/> mod p (negative values allowed).</summary>
    static abstract T FromBigInteger(BigInteger value);
    /// <summary>The canonical representative in [0, p).</summary>
    BigInteger ToBigInteger();
}

/// <summary>A prime field whose multiplicative group has a large power-of-two subgroup, so radix-2 NTTs exist.</summary>
public interface ITwoAdicField<T> : IPrimeField<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The largest s with 2^s | p - 1.</summary>
    static abstract int TwoAdicity { get; }
    /// <summary>A generator of the whole multiplicative group (used as the default coset shift).</summary>
    static abstract T MultiplicativeGenerator { get; }
    /// <summary>A primitive 2^<paramref name="logN"/>-th root of unity, consistent across sizes: RootOfUnity(k)^2 = RootOfUnity(k-1).</summary>
    static abstract T RootOfUnity(int logN);
}
