using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Benchmarks.Variants;

/// <summary>
/// One Bn254Fr Montgomery product (a*b/2^256 mod p, canonical, a &lt; 2^256, b &lt; p, 4x64 limbs in and out as
/// <c>Mont256.Mul</c>) with its 52x52-bit digit products taken WITHIN the one product from <c>Vector512&lt;double&gt;</c>
/// fused multiply-adds (issue #18; benchmark-only, FieldMulVariantBenchmarks checks them against Bn254Fr.Mul).
/// Each digit product x*y (x, y &lt; 2^52) is split exactly as s = fma(x, y, 2^104) (its bit pattern is 2^104's plus
/// hi = round(x*y / 2^52)) and lo = fms(x, y, s - 2^104) (|lo| &lt;= 2^51, read as an integer by adding 1.5*2^52),
/// as <c>Fp256Vector512</c> does across lanes. a enters as 16a so five reduction rounds of 2^52 divide by 2^260
/// (as in <c>Mont256.Mul</c>). Columns are signed (lo can be negative), so every carry is an arithmetic shift.
/// <list type="bullet">
/// <item><see cref="Hybrid"/>: the 25 digit products of a*b in five broadcast rows (a's digit against b's digits in
/// lanes, b pre-shifted by the row so each lane is one column); the 8 lane columns move to scalar registers and the
/// five Montgomery rounds run in scalar code as in <c>Mont256.Mul</c> (m = t_i (inv &lt;&lt; 12), mulx + imul).</item>
/// <item><see cref="VectorRounds"/>: everything in one vector of 8 columns, each round's m from lane 0 (vmovq, imul,
/// broadcast back), m*p by the same three fused multiply-adds, then the window shifts down one lane.</item>
/// </list>
/// </summary>
internal static class Fma52
{
    private const ulong M = (1UL << 52) - 1;
    private const ulong P0 = 0x43e1f593f0000001, P1 = 0x2833e84879b97091, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029, Inv = 0xc2e1f593efffffff;
    private const ulong Q0 = P0 & M, Q1 = ((P0 >> 52) | (P1 << 12)) & M, Q2 = ((P1 >> 40) | (P2 << 24)) & M,
        Q3 = ((P2 >> 28) | (P3 << 36)) & M, Q4 = P3 >> 16, InvS = Inv << 12;
    private const ulong Bits2To104 = 0x4670000000000000; // 2^104 as a double
    private const ulong BitsMagic = 0x4338000000000000;  // 1.5 * 2^52
    private const ulong Bits2To52 = 0x4330000000000000;
    private const ulong Offset = BitsMagic + Bits2To104;  // what one lo plus one hi bit pattern add to a lane

    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static ulong Hi(ulong xs, ulong y) => Bmi2.X64.MultiplyNoFlags(xs, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static ulong Lo(ulong xs, ulong y) => (xs * y) >> 12;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] private static ulong Sar52(ulong x) => (ulong)((long)x >> 52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ToDouble(Vector512<ulong> x) =>
        (x | Vector512.Create(Bits2To52)).AsDouble() - Vector512.Create(Bits2To52).AsDouble();

    /// <summary>Lanes k of b's digit vector moved to lanes k + shift (zeros below), keeping digits j &lt;= last only (lane 7 of b is zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Shifted(Vector512<double> b, int shift, int last) =>
        Avx512F.PermuteVar8x64(b, (shift, last) switch
        {
            (1, 4) => Vector512.Create(7L, 0, 1, 2, 3, 4, 7, 7),
            (2, 4) => Vector512.Create(7L, 7, 0, 1, 2, 3, 4, 7),
            (3, 4) => Vector512.Create(7L, 7, 7, 0, 1, 2, 3, 4),
            (3, 3) => Vector512.Create(7L, 7, 7, 0, 1, 2, 3, 7),
            (4, 3) => Vector512.Create(7L, 7, 7, 7, 0, 1, 2, 3),
            (4, 2) => Vector512.Create(7L, 7, 7, 7, 0, 1, 2, 7),
            _ => Vector512.Create(7L, 7, 7, 7, 7, 0, 1, 2), // (5, 2)
        });

    /// <summary>acc += lo(x*bl) + hi(x*bh) lane for lane, bh being bl moved up one lane; offsets left in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Row(Vector512<double> x, Vector512<double> bl, Vector512<double> bh)
    {
        var c104 = Vector512.Create(Bits2To104).AsDouble();
        var s = Avx512F.FusedMultiplyAdd(x, bl, c104);
        var l = Avx512F.FusedMultiplySubtract(x, bl, s - c104) + Vector512.Create(BitsMagic).AsDouble();
        var h = Avx512F.FusedMultiplyAdd(x, bh, c104);
        return l.AsUInt64() + h.AsUInt64();
    }

    /// <summary>a*b in vector rows, the five reduction rounds in scalar code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Hybrid(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        // Digits of 16a: digit k is a's bits [52k - 4, 52k + 48).
        ulong x0 = (a0 << 4) & M, x1 = ((a0 >> 48) | (a1 << 16)) & M, x2 = ((a1 >> 36) | (a2 << 28)) & M,
            x3 = ((a2 >> 24) | (a3 << 40)) & M, x4 = a3 >> 12;
        ulong d0 = b0 & M, d1 = ((b0 >> 52) | (b1 << 12)) & M, d2 = ((b1 >> 40) | (b2 << 24)) & M,
            d3 = ((b2 >> 28) | (b3 << 36)) & M, d4 = b3 >> 16;
        var b = ToDouble(Vector512.Create(d0, d1, d2, d3, d4, 0, 0, 0));
        // Row i: lo of x_i b_j in lane i + j, hi in lane i + j + 1; products reaching lane 8 ((3,4), (4,3), (4,4))
        // are left to scalar code, the whole product each, so lo and hi come from one split.
        var acc = Vector512.Create(unchecked(0UL - 5 * Offset));
        acc += Row(ToDouble(Vector512.Create(x0)), b, Shifted(b, 1, 4));
        acc += Row(ToDouble(Vector512.Create(x1)), Shifted(b, 1, 4), Shifted(b, 2, 4));
        acc += Row(ToDouble(Vector512.Create(x2)), Shifted(b, 2, 4), Shifted(b, 3, 4));
        acc += Row(ToDouble(Vector512.Create(x3)), Shifted(b, 3, 3), Shifted(b, 4, 3));
        acc += Row(ToDouble(Vector512.Create(x4)), Shifted(b, 4, 2), Shifted(b, 5, 2));
        ulong x3s = x3 << 12, x4s = x4 << 12;
        ulong t0 = acc.GetElement(0), t1 = acc.GetElement(1), t2 = acc.GetElement(2), t3 = acc.GetElement(3),
            t4 = acc.GetElement(4), t5 = acc.GetElement(5), t6 = acc.GetElement(6),
            t7 = acc.GetElement(7) + Lo(x3s, d4) + Lo(x4s, d3),
            t8 = Hi(x3s, d4) + Hi(x4s, d3) + Lo(x4s, d4), t9 = Hi(x4s, d4);
        Round(t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        Round(t1, ref t2, ref t3, ref t4, ref t5, ref t6);
        Round(t2, ref t3, ref t4, ref t5, ref t6, ref t7);
        Round(t3, ref t4, ref t5, ref t6, ref t7, ref t8);
        Round(t4, ref t5, ref t6, ref t7, ref t8, ref t9);
        Finish(t5, t6, t7, t8, t9, out r0, out r1, out r2, out r3);
    }

    /// <summary>
    /// a*b in vector rows as in <see cref="Hybrid"/>; the scalar rounds compute only what the m's need (the products
    /// m_i p_j with i + j &lt;= 4, whose lo parts land in columns 0..4 and hi parts in columns 1..5: 15 mulx and 10 imul
    /// instead of 25 and 20), and the other ten m_i p_j (i + j &gt;= 5) go to vector rows over a window of columns 5..12,
    /// with p's digits as constant vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Split(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong x0 = (a0 << 4) & M, x1 = ((a0 >> 48) | (a1 << 16)) & M, x2 = ((a1 >> 36) | (a2 << 28)) & M,
            x3 = ((a2 >> 24) | (a3 << 40)) & M, x4 = a3 >> 12;
        ulong d0 = b0 & M, d1 = ((b0 >> 52) | (b1 << 12)) & M, d2 = ((b1 >> 40) | (b2 << 24)) & M,
            d3 = ((b2 >> 28) | (b3 << 36)) & M, d4 = b3 >> 16;
        var b = ToDouble(Vector512.Create(d0, d1, d2, d3, d4, 0, 0, 0));
        var acc = Vector512.Create(unchecked(0UL - 5 * Offset));
        acc += Row(ToDouble(Vector512.Create(x0)), b, Shifted(b, 1, 4));
        acc += Row(ToDouble(Vector512.Create(x1)), Shifted(b, 1, 4), Shifted(b, 2, 4));
        acc += Row(ToDouble(Vector512.Create(x2)), Shifted(b, 2, 4), Shifted(b, 3, 4));
        acc += Row(ToDouble(Vector512.Create(x3)), Shifted(b, 3, 3), Shifted(b, 4, 3));
        acc += Row(ToDouble(Vector512.Create(x4)), Shifted(b, 4, 2), Shifted(b, 5, 2));
        // Columns 5..7 of a*b to lanes 0..2 of the upper window (columns 5..12).
        var up = Avx512F.PermuteVar8x64x2(acc, Vector512.Create(5UL, 6, 7, 8, 8, 8, 8, 8), Vector512<ulong>.Zero)
            + Vector512.Create(unchecked(0UL - 4 * Offset));
        ulong t0 = acc.GetElement(0), t1 = acc.GetElement(1), t2 = acc.GetElement(2), t3 = acc.GetElement(3), t4 = acc.GetElement(4);
        // m_0: all five products are below column 5.
        ulong m = t0 * InvS;
        t1 += Sar52(t0 + M) + Hi(m, Q0) + Lo(m, Q1);
        t2 += Hi(m, Q1) + Lo(m, Q2);
        t3 += Hi(m, Q2) + Lo(m, Q3);
        t4 += Hi(m, Q3) + Lo(m, Q4);
        ulong t5 = Hi(m, Q4);
        // m_1: p_0..p_3 here, p_4 in the window (lane 0 lo, lane 1 hi).
        m = t1 * InvS;
        t2 += Sar52(t1 + M) + Hi(m, Q0) + Lo(m, Q1);
        t3 += Hi(m, Q1) + Lo(m, Q2);
        t4 += Hi(m, Q2) + Lo(m, Q3);
        t5 += Hi(m, Q3);
        up += Row(ToDouble(Vector512.Create(m >> 12)), Vector512.Create((double)Q4, 0, 0, 0, 0, 0, 0, 0), Vector512.Create(0, (double)Q4, 0, 0, 0, 0, 0, 0));
        m = t2 * InvS;
        t3 += Sar52(t2 + M) + Hi(m, Q0) + Lo(m, Q1);
        t4 += Hi(m, Q1) + Lo(m, Q2);
        t5 += Hi(m, Q2);
        up += Row(ToDouble(Vector512.Create(m >> 12)), Vector512.Create((double)Q3, (double)Q4, 0, 0, 0, 0, 0, 0), Vector512.Create(0, (double)Q3, Q4, 0, 0, 0, 0, 0));
        m = t3 * InvS;
        t4 += Sar52(t3 + M) + Hi(m, Q0) + Lo(m, Q1);
        t5 += Hi(m, Q1);
        up += Row(ToDouble(Vector512.Create(m >> 12)), Vector512.Create((double)Q2, (double)Q3, Q4, 0, 0, 0, 0, 0), Vector512.Create(0, (double)Q2, Q3, Q4, 0, 0, 0, 0));
        m = t4 * InvS;
        t5 += Sar52(t4 + M) + Hi(m, Q0);
        up += Row(ToDouble(Vector512.Create(m >> 12)), Vector512.Create((double)Q1, (double)Q2, Q3, Q4, 0, 0, 0, 0), Vector512.Create(0, (double)Q1, Q2, Q3, Q4, 0, 0, 0));
        ulong x3s = x3 << 12, x4s = x4 << 12;
        Finish(up.GetElement(0) + t5, up.GetElement(1),
            up.GetElement(2) + Lo(x3s, d4) + Lo(x4s, d3),
            up.GetElement(3) + Hi(x3s, d4) + Hi(x4s, d3) + Lo(x4s, d4),
            up.GetElement(4) + Hi(x4s, d4), out r0, out r1, out r2, out r3);
    }

    /// <summary>One reduction round by 2^52: m makes t0 divisible by 2^52; t0 + lo(m q0) is, so its carry is ceil(t0 / 2^52).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5)
    {
        ulong m = t0 * InvS; // (t0 * inv mod 2^52) << 12
        t1 += Sar52(t0 + M) + Hi(m, Q0) + Lo(m, Q1);
        t2 += Hi(m, Q1) + Lo(m, Q2);
        t3 += Hi(m, Q2) + Lo(m, Q3);
        t4 += Hi(m, Q3) + Lo(m, Q4);
        t5 += Hi(m, Q4);
    }

    /// <summary>Signed columns of a value in [0, 2p) to canonical 4x64 limbs: normalise and subtract p side by side, keep the non-negative one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong n0 = t0 & M; ulong x = t1 + Sar52(t0);
        ulong n1 = x & M; x = t2 + Sar52(x);
        ulong n2 = x & M; x = t3 + Sar52(x);
        ulong n3 = x & M; ulong n4 = t4 + Sar52(x);
        long z = (long)t0 - (long)Q0; ulong s0 = (ulong)z & M;
        z = (long)t1 - (long)Q1 + (z >> 52); ulong s1 = (ulong)z & M;
        z = (long)t2 - (long)Q2 + (z >> 52); ulong s2 = (ulong)z & M;
        z = (long)t3 - (long)Q3 + (z >> 52); ulong s3 = (ulong)z & M;
        z = (long)t4 - (long)Q4 + (z >> 52);
        ulong keep = (ulong)(z >> 63);
        n0 = (n0 & keep) | (s0 & ~keep);
        n1 = (n1 & keep) | (s1 & ~keep);
        n2 = (n2 & keep) | (s2 & ~keep);
        n3 = (n3 & keep) | (s3 & ~keep);
        n4 = (n4 & keep) | ((ulong)z & ~keep);
        r0 = n0 | (n1 << 52);
        r1 = (n1 >> 12) | (n2 << 40);
        r2 = (n2 >> 24) | (n3 << 28);
        r3 = (n3 >> 36) | (n4 << 16);
    }

    /// <summary>All in one vector: a window of 8 columns; per round a's row, m from lane 0, m's row, shift down one lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VectorRounds(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong x0 = (a0 << 4) & M, x1 = ((a0 >> 48) | (a1 << 16)) & M, x2 = ((a1 >> 36) | (a2 << 28)) & M,
            x3 = ((a2 >> 24) | (a3 << 40)) & M, x4 = a3 >> 12;
        ulong d0 = b0 & M, d1 = ((b0 >> 52) | (b1 << 12)) & M, d2 = ((b1 >> 40) | (b2 << 24)) & M,
            d3 = ((b2 >> 28) | (b3 << 36)) & M, d4 = b3 >> 16;
        var b = ToDouble(Vector512.Create(d0, d1, d2, d3, d4, 0, 0, 0));
        var bh = Shifted(b, 1, 4);
        var p = Vector512.Create((double)Q0, Q1, Q2, Q3, Q4, 0, 0, 0);
        var ph = Vector512.Create(0, (double)Q0, Q1, Q2, Q3, Q4, 0, 0);
        var off = Vector512.Create(unchecked(0UL - Offset));
        // The five a rows do not depend on the rounds: only their additions are on the chain.
        var ra0 = Row(ToDouble(Vector512.Create(x0)), b, bh) + off;
        var ra1 = Row(ToDouble(Vector512.Create(x1)), b, bh) + off;
        var ra2 = Row(ToDouble(Vector512.Create(x2)), b, bh) + off;
        var ra3 = Row(ToDouble(Vector512.Create(x3)), b, bh) + off;
        var ra4 = Row(ToDouble(Vector512.Create(x4)), b, bh) + off;
        var t = ra0;
        t = VectorRound(t, p, ph, off) + ra1;
        t = VectorRound(t, p, ph, off) + ra2;
        t = VectorRound(t, p, ph, off) + ra3;
        t = VectorRound(t, p, ph, off) + ra4;
        t = VectorRound(t, p, ph, off);
        Finish(t.GetElement(0), t.GetElement(1), t.GetElement(2), t.GetElement(3), t.GetElement(4), out r0, out r1, out r2, out r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> VectorRound(Vector512<ulong> t, Vector512<double> p, Vector512<double> ph, Vector512<ulong> off)
    {
        ulong m = (t.ToScalar() * Inv) & M;
        t += Row(ToDouble(Vector512.Create(m)), p, ph) + off;
        // Lane 0 is now a multiple of 2^52: its quotient goes to lane 1, and the window moves down one lane.
        var carry = Vector512.ShiftRightArithmetic(t.AsInt64(), 52).AsUInt64() & Vector512.Create(ulong.MaxValue, 0, 0, 0, 0, 0, 0, 0);
        return Avx512F.PermuteVar8x64x2(t, Vector512.Create(1UL, 2, 3, 4, 5, 6, 7, 8), Vector512<ulong>.Zero) + carry;
    }
}
