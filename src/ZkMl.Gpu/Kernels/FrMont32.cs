using System.Runtime.CompilerServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>
/// BN254 Fr Montgomery product with 8x32-bit limbs (CIOS, R = 2^256, so results equal <see cref="FrKernelOps"/>)
/// using only native 32x32->64 products: the alternative to 4x64-bit limbs with an emulated 64-bit high product.
/// Kept for the limb-width measurement (benchmarks/RESULTS.md, "Gpu"); generated unrolled.
/// </summary>
internal static class FrMont32
{
    private const ulong P0 = 0xf0000001UL;
    private const ulong P1 = 0x43e1f593UL;
    private const ulong P2 = 0x79b97091UL;
    private const ulong P3 = 0x2833e848UL;
    private const ulong P4 = 0x8181585dUL;
    private const ulong P5 = 0xb85045b6UL;
    private const ulong P6 = 0xe131a029UL;
    private const ulong P7 = 0x30644e72UL;
    private const uint PInv = 0xefffffffU;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Mul(U256 x, U256 y)
    {
        ulong a0 = x.L0 & 0xFFFFFFFFUL, a1 = x.L0 >> 32;
        ulong a2 = x.L1 & 0xFFFFFFFFUL, a3 = x.L1 >> 32;
        ulong a4 = x.L2 & 0xFFFFFFFFUL, a5 = x.L2 >> 32;
        ulong a6 = x.L3 & 0xFFFFFFFFUL, a7 = x.L3 >> 32;
        ulong b0 = y.L0 & 0xFFFFFFFFUL, b1 = y.L0 >> 32;
        ulong b2 = y.L1 & 0xFFFFFFFFUL, b3 = y.L1 >> 32;
        ulong b4 = y.L2 & 0xFFFFFFFFUL, b5 = y.L2 >> 32;
        ulong b6 = y.L3 & 0xFFFFFFFFUL, b7 = y.L3 >> 32;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0, t8 = 0, t9 = 0;
        ulong c, s, m;
        // row 0
        c = 0;
        s = t0 + a0 * b0 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b0 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b0 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b0 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b0 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b0 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b0 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b0 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 1
        c = 0;
        s = t0 + a0 * b1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b1 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b1 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b1 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b1 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b1 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b1 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b1 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 2
        c = 0;
        s = t0 + a0 * b2 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b2 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b2 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b2 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b2 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b2 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b2 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 3
        c = 0;
        s = t0 + a0 * b3 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b3 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b3 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b3 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b3 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b3 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b3 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 4
        c = 0;
        s = t0 + a0 * b4 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b4 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b4 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b4 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b4 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b4 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b4 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 5
        c = 0;
        s = t0 + a0 * b5 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b5 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b5 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b5 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b5 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b5 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b5 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 6
        c = 0;
        s = t0 + a0 * b6 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b6 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b6 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b6 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b6 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b6 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b6 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // row 7
        c = 0;
        s = t0 + a0 * b7 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t1 + a1 * b7 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + a2 * b7 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + a3 * b7 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + a4 * b7 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + a5 * b7 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + a6 * b7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + a7 * b7 + c; t7 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t8 = s & 0xFFFFFFFFUL; t9 = s >> 32;
        m = (ulong)(uint)((uint)t0 * PInv);
        s = t0 + m * P0; c = s >> 32;
        s = t1 + m * P1 + c; t0 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t2 + m * P2 + c; t1 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t3 + m * P3 + c; t2 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t4 + m * P4 + c; t3 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t5 + m * P5 + c; t4 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t6 + m * P6 + c; t5 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t7 + m * P7 + c; t6 = s & 0xFFFFFFFFUL; c = s >> 32;
        s = t8 + c; t7 = s & 0xFFFFFFFFUL; t8 = t9 + (s >> 32);
        // subtract p once if t >= p
        ulong borrow = 0;
        s = t0 - P0 - borrow; ulong d0 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t1 - P1 - borrow; ulong d1 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t2 - P2 - borrow; ulong d2 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t3 - P3 - borrow; ulong d3 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t4 - P4 - borrow; ulong d4 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t5 - P5 - borrow; ulong d5 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t6 - P6 - borrow; ulong d6 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        s = t7 - P7 - borrow; ulong d7 = s & 0xFFFFFFFFUL; borrow = (s >> 32) & 1;
        if (t8 == 0 && borrow != 0)
            return new U256(t0 | (t1 << 32), t2 | (t3 << 32), t4 | (t5 << 32), t6 | (t7 << 32));
        return new U256(d0 | (d1 << 32), d2 | (d3 << 32), d4 | (d5 << 32), d6 | (d7 << 32));
    }
}
