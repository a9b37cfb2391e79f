using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Benchmarks.Variants;

/// <summary>
/// Bn254Fr Montgomery products in five unsaturated 52-bit digits that were measured against the shipped
/// <c>Mont256.Mul</c> and not kept (benchmark-only; FieldMulVariantBenchmarks checks them against Bn254Fr.Mul):
/// <see cref="Fips"/> is product scanning (one column at a time, the reduction digits m_i interleaved), and
/// <see cref="RowsMasked"/> is the row form with the b digits shifted and m masked, which the shipped form improves on
/// by shifting the row multipliers instead (m = u0 * (inv &lt;&lt; 12), no mask) and normalising and subtracting p in
/// two independent chains.
/// </summary>
internal static class Unsaturated52
{
    private const ulong M = (1UL << 52) - 1;
    private const ulong P0 = 0x43e1f593f0000001, P1 = 0x2833e84879b97091, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029, Inv = 0xc2e1f593efffffff;
    private const ulong K = ~0xFFFUL;
    private const ulong Q0 = (P0 & M) << 12, Q1 = ((P0 >> 40) | (P1 << 24)) & K, Q2 = ((P1 >> 28) | (P2 << 36)) & K,
        Q3 = ((P2 >> 16) | (P3 << 48)) & K, Q4 = (P3 >> 4) & K;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static ulong Lo(ulong x, ulong ys) => (x * ys) >> 12;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static ulong Hi(ulong x, ulong ys) => Bmi2.X64.MultiplyNoFlags(x, ys);

    /// <summary>Product scanning: column k sums every a_i b_j and m_i p_j of weight 2^52k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fips(ulong A0, ulong A1, ulong A2, ulong A3, ulong B0, ulong B1, ulong B2, ulong B3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        const ulong q0 = Q0, q1 = Q1, q2 = Q2, q3 = Q3, q4 = Q4;
        const ulong inv = Inv & M;
        ulong a0 = (A0 << 4) & M, a1 = ((A0 >> 48) | (A1 << 16)) & M, a2 = ((A1 >> 36) | (A2 << 28)) & M,
            a3 = ((A2 >> 24) | (A3 << 40)) & M, a4 = A3 >> 12;
        ulong b0 = B0 << 12, b1 = ((B0 >> 40) | (B1 << 24)) & K, b2 = ((B1 >> 28) | (B2 << 36)) & K,
            b3 = ((B2 >> 16) | (B3 << 48)) & K, b4 = (B3 >> 4) & K;
        // column 0
        ulong acc = Lo(a0, b0);
        ulong m0 = (acc * inv) & M;
        ulong c = ((acc + M) >> 52) + Hi(m0, q0) + Hi(a0, b0);
        // column 1
        acc = c + Lo(a0, b1) + Lo(a1, b0) + Lo(m0, q1);
        ulong m1 = (acc * inv) & M;
        c = ((acc + M) >> 52) + Hi(m1, q0) + Hi(a0, b1) + Hi(a1, b0) + Hi(m0, q1);
        // column 2
        acc = c + Lo(a0, b2) + Lo(a1, b1) + Lo(a2, b0) + Lo(m0, q2) + Lo(m1, q1);
        ulong m2 = (acc * inv) & M;
        c = ((acc + M) >> 52) + Hi(m2, q0) + Hi(a0, b2) + Hi(a1, b1) + Hi(a2, b0) + Hi(m0, q2) + Hi(m1, q1);
        // column 3
        acc = c + Lo(a0, b3) + Lo(a1, b2) + Lo(a2, b1) + Lo(a3, b0) + Lo(m0, q3) + Lo(m1, q2) + Lo(m2, q1);
        ulong m3 = (acc * inv) & M;
        c = ((acc + M) >> 52) + Hi(m3, q0) + Hi(a0, b3) + Hi(a1, b2) + Hi(a2, b1) + Hi(a3, b0) + Hi(m0, q3) + Hi(m1, q2) + Hi(m2, q1);
        // column 4
        acc = c + Lo(a0, b4) + Lo(a1, b3) + Lo(a2, b2) + Lo(a3, b1) + Lo(a4, b0) + Lo(m0, q4) + Lo(m1, q3) + Lo(m2, q2) + Lo(m3, q1);
        ulong m4 = (acc * inv) & M;
        c = ((acc + M) >> 52) + Hi(m4, q0) + Hi(a0, b4) + Hi(a1, b3) + Hi(a2, b2) + Hi(a3, b1) + Hi(a4, b0)
            + Hi(m0, q4) + Hi(m1, q3) + Hi(m2, q2) + Hi(m3, q1);
        // column 5
        acc = c + Lo(a1, b4) + Lo(a2, b3) + Lo(a3, b2) + Lo(a4, b1) + Lo(m1, q4) + Lo(m2, q3) + Lo(m3, q2) + Lo(m4, q1);
        ulong d5 = acc & M;
        c = (acc >> 52) + Hi(a1, b4) + Hi(a2, b3) + Hi(a3, b2) + Hi(a4, b1) + Hi(m1, q4) + Hi(m2, q3) + Hi(m3, q2) + Hi(m4, q1);
        // column 6
        acc = c + Lo(a2, b4) + Lo(a3, b3) + Lo(a4, b2) + Lo(m2, q4) + Lo(m3, q3) + Lo(m4, q2);
        ulong d6 = acc & M;
        c = (acc >> 52) + Hi(a2, b4) + Hi(a3, b3) + Hi(a4, b2) + Hi(m2, q4) + Hi(m3, q3) + Hi(m4, q2);
        // column 7
        acc = c + Lo(a3, b4) + Lo(a4, b3) + Lo(m3, q4) + Lo(m4, q3);
        ulong d7 = acc & M;
        c = (acc >> 52) + Hi(a3, b4) + Hi(a4, b3) + Hi(m3, q4) + Hi(m4, q3);
        // column 8
        acc = c + Lo(a4, b4) + Lo(m4, q4);
        ulong d8 = acc & M;
        ulong d9 = (acc >> 52) + Hi(a4, b4) + Hi(m4, q4);
        // d < 2p: subtract p digit-wise with arithmetic-shift borrows, keep d when it went negative.
        const ulong p0 = q0 >> 12, p1 = q1 >> 12, p2 = q2 >> 12, p3 = q3 >> 12, p4 = q4 >> 12;
        long s = (long)d5 - (long)p0; ulong s5 = (ulong)s & M;
        s = (long)d6 - (long)p1 + (s >> 52); ulong s6 = (ulong)s & M;
        s = (long)d7 - (long)p2 + (s >> 52); ulong s7 = (ulong)s & M;
        s = (long)d8 - (long)p3 + (s >> 52); ulong s8 = (ulong)s & M;
        s = (long)d9 - (long)p4 + (s >> 52); ulong s9 = (ulong)s;
        ulong keep = (ulong)(s >> 63);
        d5 = (d5 & keep) | (s5 & ~keep);
        d6 = (d6 & keep) | (s6 & ~keep);
        d7 = (d7 & keep) | (s7 & ~keep);
        d8 = (d8 & keep) | (s8 & ~keep);
        d9 = (d9 & keep) | (s9 & ~keep);
        r0 = d5 | (d6 << 52);
        r1 = (d6 >> 12) | (d7 << 40);
        r2 = (d7 >> 24) | (d8 << 28);
        r3 = (d8 >> 36) | (d9 << 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ulong ai,
        ulong b0, ulong b1, ulong b2, ulong b3, ulong b4)
    {
        ulong u0 = t0 + Lo(ai, b0);
        ulong u1 = t1 + Lo(ai, b1) + Hi(ai, b0);
        ulong u2 = t2 + Lo(ai, b2) + Hi(ai, b1);
        ulong u3 = t3 + Lo(ai, b3) + Hi(ai, b2);
        ulong u4 = t4 + Lo(ai, b4) + Hi(ai, b3);
        ulong u5 = Hi(ai, b4);
        ulong m = (u0 * (Inv & M)) & M;
        t0 = u1 + ((u0 + M) >> 52) + Hi(m, Q0) + Lo(m, Q1);
        t1 = u2 + Hi(m, Q1) + Lo(m, Q2);
        t2 = u3 + Hi(m, Q2) + Lo(m, Q3);
        t3 = u4 + Hi(m, Q3) + Lo(m, Q4);
        t4 = u5 + Hi(m, Q4);
    }

    /// <summary>Rows (operand scanning) with b shifted left by 12 and m masked to 52 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RowsMasked(ulong A0, ulong A1, ulong A2, ulong A3, ulong B0, ulong B1, ulong B2, ulong B3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong b0 = B0 << 12, b1 = ((B0 >> 40) | (B1 << 24)) & K, b2 = ((B1 >> 28) | (B2 << 36)) & K,
            b3 = ((B2 >> 16) | (B3 << 48)) & K, b4 = (B3 >> 4) & K;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        Row(ref t0, ref t1, ref t2, ref t3, ref t4, (A0 << 4) & M, b0, b1, b2, b3, b4);
        Row(ref t0, ref t1, ref t2, ref t3, ref t4, ((A0 >> 48) | (A1 << 16)) & M, b0, b1, b2, b3, b4);
        Row(ref t0, ref t1, ref t2, ref t3, ref t4, ((A1 >> 36) | (A2 << 28)) & M, b0, b1, b2, b3, b4);
        Row(ref t0, ref t1, ref t2, ref t3, ref t4, ((A2 >> 24) | (A3 << 40)) & M, b0, b1, b2, b3, b4);
        Row(ref t0, ref t1, ref t2, ref t3, ref t4, A3 >> 12, b0, b1, b2, b3, b4);
        // Normalise the digits (t < 2p overall), then subtract p with arithmetic-shift borrows; keep t if negative.
        t1 += t0 >> 52; t0 &= M;
        t2 += t1 >> 52; t1 &= M;
        t3 += t2 >> 52; t2 &= M;
        t4 += t3 >> 52; t3 &= M;
        const ulong p0 = Q0 >> 12, p1 = Q1 >> 12, p2 = Q2 >> 12, p3 = Q3 >> 12, p4 = Q4 >> 12;
        long s = (long)t0 - (long)p0; ulong s0 = (ulong)s & M;
        s = (long)t1 - (long)p1 + (s >> 52); ulong s1 = (ulong)s & M;
        s = (long)t2 - (long)p2 + (s >> 52); ulong s2 = (ulong)s & M;
        s = (long)t3 - (long)p3 + (s >> 52); ulong s3 = (ulong)s & M;
        s = (long)t4 - (long)p4 + (s >> 52); ulong s4 = (ulong)s;
        ulong keep = (ulong)(s >> 63);
        t0 = (t0 & keep) | (s0 & ~keep);
        t1 = (t1 & keep) | (s1 & ~keep);
        t2 = (t2 & keep) | (s2 & ~keep);
        t3 = (t3 & keep) | (s3 & ~keep);
        t4 = (t4 & keep) | (s4 & ~keep);
        r0 = t0 | (t1 << 52);
        r1 = (t1 >> 12) | (t2 << 40);
        r2 = (t2 >> 24) | (t3 << 28);
        r3 = (t3 >> 36) | (t4 << 16);
    }
}
