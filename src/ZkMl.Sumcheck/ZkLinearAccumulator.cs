using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A sum of 64 x 64-bit products kept unreduced in three words (low, high, carries out of 128 bits) and reduced once at
/// the end: the linear reduction's inner products and round sums skip the reduction of every product. Exact, so any
/// order or split of the terms gives the same field element. Fewer than 2^32 products per accumulator.
/// </summary>
internal struct ZkLinearAccumulator
{
    private ulong _low, _high, _top;

    /// <summary>Adds a b (a, b &lt; 2^64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ulong a, ulong b)
    {
        ulong high = System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);
        ulong low = _low + a * b;
        // high <= 2^64 - 2, so high plus the low word's carry does not wrap.
        high += Bit(low < _low);
        ulong sum = _high + high;
        _top += Bit(sum < high);
        (_low, _high) = (low, sum);
    }

    /// <summary>The sum modulo p: 2^128 = -2^32 (mod p).</summary>
    public readonly Goldilocks Value => Goldilocks.FromCanonical(Goldilocks.Reduce128(_high, _low)) - Goldilocks.FromUInt64(_top << 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(bool condition) => Unsafe.BitCast<bool, byte>(condition);
}
