using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>
/// 4x64-bit Montgomery arithmetic (R = 2^256) for a modulus below 2^255, written out limb by limb so it compiles
/// on every ILGPU backend. Modulus limbs and -p^-1 mod 2^64 are passed in so that callers' constants inline.
/// </summary>
internal static class Mont256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong s2 = s + carry;
        ulong c2 = s2 < s ? 1UL : 0UL;
        carry = c1 + c2;
        return s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong d2 = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 + b2;
        return d2;
    }

    /// <summary>r = x - p if x &gt;= p else x (x &lt; 2p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 ReduceOnce(ulong x0, ulong x1, ulong x2, ulong x3, ulong x4, ulong p0, ulong p1, ulong p2, ulong p3)
    {
        ulong borrow = 0;
        ulong d0 = SubBorrow(x0, p0, ref borrow);
        ulong d1 = SubBorrow(x1, p1, ref borrow);
        ulong d2 = SubBorrow(x2, p2, ref borrow);
        ulong d3 = SubBorrow(x3, p3, ref borrow);
        ulong top = SubBorrow(x4, 0, ref borrow);
        _ = top;
        // borrow set: x < p, keep x.
        if (borrow != 0) return new U256(x0, x1, x2, x3);
        return new U256(d0, d1, d2, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Add(U256 a, U256 b, ulong p0, ulong p1, ulong p2, ulong p3)
    {
        ulong c = 0;
        ulong s0 = AddCarry(a.L0, b.L0, ref c);
        ulong s1 = AddCarry(a.L1, b.L1, ref c);
        ulong s2 = AddCarry(a.L2, b.L2, ref c);
        ulong s3 = AddCarry(a.L3, b.L3, ref c);
        return ReduceOnce(s0, s1, s2, s3, c, p0, p1, p2, p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Sub(U256 a, U256 b, ulong p0, ulong p1, ulong p2, ulong p3)
    {
        ulong borrow = 0;
        ulong d0 = SubBorrow(a.L0, b.L0, ref borrow);
        ulong d1 = SubBorrow(a.L1, b.L1, ref borrow);
        ulong d2 = SubBorrow(a.L2, b.L2, ref borrow);
        ulong d3 = SubBorrow(a.L3, b.L3, ref borrow);
        if (borrow == 0) return new U256(d0, d1, d2, d3);
        ulong c = 0;
        d0 = AddCarry(d0, p0, ref c);
        d1 = AddCarry(d1, p1, ref c);
        d2 = AddCarry(d2, p2, ref c);
        d3 = AddCarry(d3, p3, ref c);
        return new U256(d0, d1, d2, d3);
    }

    /// <summary>Montgomery product a*b*2^-256 mod p (CIOS), canonical output for canonical inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Mul(U256 a, U256 b, ulong p0, ulong p1, ulong p2, ulong p3, ulong pInv)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        Round(a, b.L0, ref t0, ref t1, ref t2, ref t3, ref t4, p0, p1, p2, p3, pInv);
        Round(a, b.L1, ref t0, ref t1, ref t2, ref t3, ref t4, p0, p1, p2, p3, pInv);
        Round(a, b.L2, ref t0, ref t1, ref t2, ref t3, ref t4, p0, p1, p2, p3, pInv);
        Round(a, b.L3, ref t0, ref t1, ref t2, ref t3, ref t4, p0, p1, p2, p3, pInv);
        return ReduceOnce(t0, t1, t2, t3, t4, p0, p1, p2, p3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(U256 a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong pInv)
    {
        // t += a * bi
        ulong c = WideMul.MulAdd2(a.L0, bi, t0, 0, out t0);
        c = WideMul.MulAdd2(a.L1, bi, t1, c, out t1);
        c = WideMul.MulAdd2(a.L2, bi, t2, c, out t2);
        c = WideMul.MulAdd2(a.L3, bi, t3, c, out t3);
        ulong t4s = t4 + c;
        ulong t5 = t4s < t4 ? 1UL : 0UL;
        // t = (t + m*p) / 2^64
        ulong m = t0 * pInv;
        c = WideMul.MulAdd2(m, p0, t0, 0, out _);
        c = WideMul.MulAdd2(m, p1, t1, c, out t0);
        c = WideMul.MulAdd2(m, p2, t2, c, out t1);
        c = WideMul.MulAdd2(m, p3, t3, c, out t2);
        t3 = t4s + c;
        t4 = t5 + (t3 < c ? 1UL : 0UL);
    }
}
