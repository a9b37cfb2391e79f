using System.Runtime.CompilerServices;
using ILGPU.Runtime.Cuda;

namespace ZkMl.Gpu.Kernels;

/// <summary>
/// 64x64 -> 128-bit multiply usable inside ILGPU kernels. ILGPU maps neither Math.BigMul nor UInt128,
/// so the portable path splits into 32-bit halves; on CUDA the high word is one PTX mul.hi.u64.
/// </summary>
internal static class WideMul
{
    /// <summary>High 64 bits of a*b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong a, ulong b)
    {
        if (CudaAsm.IsSupported)
        {
            CudaAsm.Emit("mul.hi.u64 %0, %1, %2;", out ulong hi, a, b);
            return hi;
        }
        return MulHighPortable(a, b);
    }

    /// <summary>High 64 bits of a*b from four 32x32 products (every backend).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHighPortable(ulong a, ulong b)
    {
        ulong a0 = a & 0xFFFFFFFFUL, a1 = a >> 32;
        ulong b0 = b & 0xFFFFFFFFUL, b1 = b >> 32;
        ulong p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
        ulong mid = (p00 >> 32) + (p01 & 0xFFFFFFFFUL) + (p10 & 0xFFFFFFFFUL);
        return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    }

    /// <summary>a*b + c + d as (hi, lo); cannot overflow 128 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd2(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        ulong hi = MulHigh(a, b);
        ulong l = a * b;
        ulong s = l + c;
        hi += s < l ? 1UL : 0UL;
        ulong s2 = s + d;
        hi += s2 < s ? 1UL : 0UL;
        lo = s2;
        return hi;
    }
}
