using ZkMl.Circuits;
using ZkMl.Field;

namespace ZkMl.Training.Circuits;

/// <summary>A signed fixed-point value in a circuit with the bits that bound it: Value = Pack(Bits) - 2^(Bits.Length-1).</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Value">The value (negative numbers as p - |x|).</param>
/// <param name="Bits">Little-endian bits of Value + 2^(width-1); the top bit is 1 exactly when Value &gt;= 0.</param>
public sealed record SignedWire<T>(LinearCombination<T> Value, LinearCombination<T>[] Bits) where T : struct, IPrimeField<T>
{
    /// <summary>1 when Value &gt;= 0, else 0 (free: it is a bit already).</summary>
    public LinearCombination<T> IsNonNegative => Bits[^1];
}
