using System.Runtime.CompilerServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>Goldilocks (p = 2^64 - 2^32 + 1) arithmetic on canonical ulongs, usable in kernels.</summary>
internal readonly struct GoldilocksKernelOps : IKernelField<ulong>
{
    public const ulong P = 0xFFFFFFFF00000001UL;
    // 2^64 mod p
    private const ulong Epsilon = 0xFFFFFFFFUL;

    public ulong One => 1UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Add(ulong a, ulong b)
    {
        ulong s = a + b;
        // s overflowed 2^64 or s >= p: subtract p (adding epsilon mod 2^64 on overflow).
        if (s < a) s += Epsilon;
        if (s >= P) s -= P;
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Sub(ulong a, ulong b)
    {
        ulong d = a - b;
        if (a < b) d += P;
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mul(ulong a, ulong b) => Reduce128(WideMul.MulHigh(a, b), a * b);

    /// <summary>Reduces hi*2^64 + lo using 2^64 = 2^32 - 1 and 2^96 = -1 (mod p); canonical output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Reduce128(ulong hi, ulong lo)
    {
        ulong hiHi = hi >> 32;
        ulong hiLo = hi & Epsilon;
        ulong t0 = lo - hiHi;
        if (lo < hiHi) t0 -= Epsilon; // borrow: add p = subtract epsilon mod 2^64
        ulong t1 = hiLo * Epsilon;
        ulong t2 = t0 + t1;
        if (t2 < t0) t2 += Epsilon;
        if (t2 >= P) t2 -= P;
        return t2;
    }
}
