using System.Numerics;

namespace ZkMl.Field;

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
