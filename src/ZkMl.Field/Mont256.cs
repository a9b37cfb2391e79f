using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZkMl.Field;

/// <summary>
/// Montgomery arithmetic on 4x64-bit little-endian limbs for moduli below 2^254 (BN254's Fr and Fq).
/// The modulus is passed as constants by each field struct, so after inlining the JIT folds them.
/// The top limb of each modulus is below 2^62, which allows the carry-free CIOS variant (gnark-crypto's
/// "no-carry" optimisation) and lazy sums. The full product (<see cref="Mul"/>) works internally in five
/// unsaturated 52-bit digits, which need no carry handling; inputs and outputs stay 4x64 limbs.
/// </summary>
internal static class Mont256
{
    /// <summary>
    /// High half of a*b. With BMI2 this is one mulx and the low half is a separate imul: Math.BigMul's out
    /// parameter makes the JIT keep the low half in a stack slot, which put a store/load on every partial product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulHigh(ulong a, ulong b) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b)
            : Math.BigMul(a, b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong c, out ulong lo)
    {
        ulong hi = MulHigh(a, b);
        lo = a * b + c;
        return hi + (lo < c ? 1UL : 0UL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd2(ulong a, ulong b, ulong c, ulong d, out ulong lo)
    {
        ulong hi = MulHigh(a, b);
        lo = a * b + c;
        hi += lo < c ? 1UL : 0UL;
        lo += d;
        return hi + (lo < d ? 1UL : 0UL);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddC(ulong a, ulong b, ref ulong carry)
    {
        ulong s = a + b;
        ulong c1 = s < a ? 1UL : 0UL;
        ulong r = s + carry;
        carry = c1 | (r < s ? 1UL : 0UL);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubB(ulong a, ulong b, ref ulong borrow)
    {
        ulong d = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong r = d - borrow;
        borrow = b1 | (d < borrow ? 1UL : 0UL);
        return r;
    }

    /// <summary>
    /// One CIOS row: t += a * bi, then one Montgomery reduction step. The four products by bi come first, then the four
    /// by m: mulx takes one factor in rdx, and alternating bi and m reloaded it on every product (~5 % slower, measured).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3,
        ulong a0, ulong a1, ulong a2, ulong a3, ulong bi,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv)
    {
        ulong c = MulAdd(a0, bi, t0, out ulong u0);
        c = MulAdd2(a1, bi, t1, c, out ulong u1);
        c = MulAdd2(a2, bi, t2, c, out ulong u2);
        c = MulAdd2(a3, bi, t3, c, out ulong u3);
        ulong m = u0 * inv;
        ulong d = MulAdd(m, p0, u0, out _);
        d = MulAdd2(m, p1, u1, d, out t0);
        d = MulAdd2(m, p2, u2, d, out t1);
        d = MulAdd2(m, p3, u3, d, out t2);
        t3 = c + d;
    }

    /// <summary>
    /// Montgomery product a*b*R^-1 mod p, fully reduced, for a &lt; 2^256 and b &lt; p. Computed in five unsaturated
    /// 52-bit digits (<see cref="MulCios"/> is the 4x64 form): each 52x52 partial product is split by one mulx (high
    /// part) and one imul + shift (low part) and added into 64-bit column words with no carry handling at all, where
    /// the 4x64 CIOS pays cmp/setb/movzx/add for every carry (.NET has no add-with-carry). a enters as 16a so that five
    /// rounds of 2^52 reduce by R' = 2^260 and 16ab/2^260 = ab/2^256: the stored form (R = 2^256) is unchanged. Row
    /// multipliers (a's digits and m) are held shifted left by 12, so mulx's high word is the product's bits 52..103
    /// and imul's low word shifted right by 12 its bits 0..51, and m = u0 * (inv &lt;&lt; 12) needs no mask. Columns
    /// stay below 2^58 (at most ~20 terms below 2^52 each), the result below (16ab + 2^260 p) / 2^260 &lt; 2p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mul(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        const ulong M = (1UL << 52) - 1, K = ~0xFFFUL;
        // p's digits and inv << 12: constants once inlined with a field's modulus.
        ulong q0 = p0 & M, q1 = ((p0 >> 52) | (p1 << 12)) & M, q2 = ((p1 >> 40) | (p2 << 24)) & M,
            q3 = ((p2 >> 28) | (p3 << 36)) & M, q4 = p3 >> 16, invS = inv << 12;
        ulong d0 = b0 & M, d1 = ((b0 >> 52) | (b1 << 12)) & M, d2 = ((b1 >> 40) | (b2 << 24)) & M,
            d3 = ((b2 >> 28) | (b3 << 36)) & M, d4 = b3 >> 16;
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        // Digit k of 16a is a's bits [52k - 4, 52k + 48); shifted left by 12 it is a's bits [52k - 16, 52k + 48) masked by K.
        Row52(ref t0, ref t1, ref t2, ref t3, ref t4, (a0 << 16) & K, d0, d1, d2, d3, d4, q0, q1, q2, q3, q4, invS);
        Row52(ref t0, ref t1, ref t2, ref t3, ref t4, ((a0 >> 36) | (a1 << 28)) & K, d0, d1, d2, d3, d4, q0, q1, q2, q3, q4, invS);
        Row52(ref t0, ref t1, ref t2, ref t3, ref t4, ((a1 >> 24) | (a2 << 40)) & K, d0, d1, d2, d3, d4, q0, q1, q2, q3, q4, invS);
        Row52(ref t0, ref t1, ref t2, ref t3, ref t4, ((a2 >> 12) | (a3 << 52)) & K, d0, d1, d2, d3, d4, q0, q1, q2, q3, q4, invS);
        Row52(ref t0, ref t1, ref t2, ref t3, ref t4, a3 & K, d0, d1, d2, d3, d4, q0, q1, q2, q3, q4, invS);
        // t < 2p in unnormalised digits: normalise (n) and subtract p with arithmetic-shift borrows (z) side by side,
        // two independent chains; keep n when t - p went negative. Branch-free (data-dependent in butterflies).
        ulong n0 = t0 & M; ulong x = t1 + (t0 >> 52);
        ulong n1 = x & M; x = t2 + (x >> 52);
        ulong n2 = x & M; x = t3 + (x >> 52);
        ulong n3 = x & M; ulong n4 = t4 + (x >> 52);
        long z = (long)t0 - (long)q0; ulong s0 = (ulong)z & M;
        z = (long)t1 - (long)q1 + (z >> 52); ulong s1 = (ulong)z & M;
        z = (long)t2 - (long)q2 + (z >> 52); ulong s2 = (ulong)z & M;
        z = (long)t3 - (long)q3 + (z >> 52); ulong s3 = (ulong)z & M;
        z = (long)t4 - (long)q4 + (z >> 52);
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

    /// <summary>
    /// One row of <see cref="Mul"/>: t += a_i * b (five digit products), then one reduction step by 2^52: m makes the
    /// low digit divisible by 2^52, and the digits shift down by one. t0 + lo(m p0) is a multiple of 2^52, so its carry
    /// is ceil(t0 / 2^52) = (t0 + 2^52 - 1) >> 52 and lo(m p0) is never computed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row52(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ulong ai,
        ulong b0, ulong b1, ulong b2, ulong b3, ulong b4,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong p4, ulong invS)
    {
        const ulong M = (1UL << 52) - 1;
        ulong u0 = t0 + Low52(ai, b0);
        ulong u1 = t1 + Low52(ai, b1) + MulHigh(ai, b0);
        ulong u2 = t2 + Low52(ai, b2) + MulHigh(ai, b1);
        ulong u3 = t3 + Low52(ai, b3) + MulHigh(ai, b2);
        ulong u4 = t4 + Low52(ai, b4) + MulHigh(ai, b3);
        ulong u5 = MulHigh(ai, b4);
        ulong m = u0 * invS; // (u0 * inv mod 2^52) << 12
        t0 = u1 + ((u0 + M) >> 52) + MulHigh(m, p0) + Low52(m, p1);
        t1 = u2 + MulHigh(m, p1) + Low52(m, p2);
        t2 = u3 + MulHigh(m, p2) + Low52(m, p3);
        t3 = u4 + MulHigh(m, p3) + Low52(m, p4);
        t4 = u5 + MulHigh(m, p4);
    }

    /// <summary>Bits 0..51 of x*y for x = x' &lt;&lt; 12 (x' &lt; 2^52) and y &lt; 2^52.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Low52(ulong xShifted, ulong y) => (xShifted * y) >> 12;

    /// <summary>
    /// Montgomery product a*b*R^-1 mod p, fully reduced: the 4x64 CIOS form (each carry a compare). Kept as the
    /// reference for <see cref="Mul"/> in tests and benchmarks; <see cref="MulLazy"/> shares its rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulCios(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b0, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b1, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b2, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b3, p0, p1, p2, p3, inv);
        ReduceOnce(t0, t1, t2, t3, p0, p1, p2, p3, out r0, out r1, out r2, out r3);
    }

    /// <summary>
    /// Montgomery product without the final subtraction, for the NTT's lazy butterflies: for a &lt; 4p and b &lt; p the
    /// result is below (4p*p + R*p)/R &lt; 2p (4p &lt; R since p &lt; 2^254), and every intermediate stays below 5p &lt; 2^256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MulLazy(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b0, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b1, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b2, p0, p1, p2, p3, inv);
        Row(ref t0, ref t1, ref t2, ref t3, a0, a1, a2, a3, b3, p0, p1, p2, p3, inv);
        (r0, r1, r2, r3) = (t0, t1, t2, t3);
    }

    /// <summary>a + b without reduction (the caller guarantees the sum is below 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddRaw(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong carry = 0;
        r0 = AddC(a0, b0, ref carry);
        r1 = AddC(a1, b1, ref carry);
        r2 = AddC(a2, b2, ref carry);
        r3 = AddC(a3, b3, ref carry);
    }

    /// <summary>a - b without reduction (the caller guarantees a &gt;= b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SubRaw(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong borrow = 0;
        r0 = SubB(a0, b0, ref borrow);
        r1 = SubB(a1, b1, ref borrow);
        r2 = SubB(a2, b2, ref borrow);
        r3 = SubB(a3, b3, ref borrow);
    }

    /// <summary>
    /// Montgomery square a*a*R^-1 mod p, fully reduced, for a &lt; p, in five unsaturated 52-bit digits as
    /// <see cref="Mul"/>: the ten cross products d_i d_j (i &lt; j) are summed per column and the columns doubled, the
    /// five squares added (15 digit products instead of 25), then four reduction rounds of 2^52 and one of 2^48
    /// divide by exactly 2^256 (a is not scaled here, so the last round is short). The value left is a multiple of
    /// 2^48 below 2p; shifted down and reassembled into 4x64 limbs it takes one conditional subtraction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        const ulong M = (1UL << 52) - 1, M48Shifted = ((1UL << 48) - 1) << 12;
        ulong q0 = p0 & M, q1 = ((p0 >> 52) | (p1 << 12)) & M, q2 = ((p1 >> 40) | (p2 << 24)) & M,
            q3 = ((p2 >> 28) | (p3 << 36)) & M, q4 = p3 >> 16, invS = inv << 12;
        ulong d0 = a0 & M, d1 = ((a0 >> 52) | (a1 << 12)) & M, d2 = ((a1 >> 40) | (a2 << 24)) & M,
            d3 = ((a2 >> 28) | (a3 << 36)) & M, d4 = a3 >> 16;
        ulong s0 = d0 << 12, s1 = d1 << 12, s2 = d2 << 12, s3 = d3 << 12, s4 = d4 << 12;
        // Cross products d_i d_j, i < j: low part to column i + j, high part to column i + j + 1.
        ulong c1 = Low52(s0, d1);
        ulong c2 = MulHigh(s0, d1) + Low52(s0, d2);
        ulong c3 = MulHigh(s0, d2) + Low52(s0, d3) + Low52(s1, d2);
        ulong c4 = MulHigh(s0, d3) + Low52(s0, d4) + MulHigh(s1, d2) + Low52(s1, d3);
        ulong c5 = MulHigh(s0, d4) + MulHigh(s1, d3) + Low52(s1, d4) + Low52(s2, d3);
        ulong c6 = MulHigh(s1, d4) + MulHigh(s2, d3) + Low52(s2, d4);
        ulong c7 = MulHigh(s2, d4) + Low52(s3, d4);
        ulong c8 = MulHigh(s3, d4);
        // Doubled, plus the squares d_i^2 at columns 2i, 2i + 1 (every column stays below 2^57).
        ulong c0 = Low52(s0, d0);
        c1 = (c1 << 1) + MulHigh(s0, d0);
        c2 = (c2 << 1) + Low52(s1, d1);
        c3 = (c3 << 1) + MulHigh(s1, d1);
        c4 = (c4 << 1) + Low52(s2, d2);
        c5 = (c5 << 1) + MulHigh(s2, d2);
        c6 = (c6 << 1) + Low52(s3, d3);
        c7 = (c7 << 1) + MulHigh(s3, d3);
        c8 = (c8 << 1) + Low52(s4, d4);
        ulong c9 = MulHigh(s4, d4);
        // Four rounds of 2^52 (as in Row52) ...
        ReduceDigit(ref c0, ref c1, ref c2, ref c3, ref c4, ref c5, q0, q1, q2, q3, q4, invS);
        ReduceDigit(ref c1, ref c2, ref c3, ref c4, ref c5, ref c6, q0, q1, q2, q3, q4, invS);
        ReduceDigit(ref c2, ref c3, ref c4, ref c5, ref c6, ref c7, q0, q1, q2, q3, q4, invS);
        ReduceDigit(ref c3, ref c4, ref c5, ref c6, ref c7, ref c8, q0, q1, q2, q3, q4, invS);
        // ... and one of 2^48: m below 2^48 (held shifted by 12); c4 + m p is then a multiple of 2^48, not of 2^52.
        ulong m = (c4 * invS) & M48Shifted;
        c4 += Low52(m, q0);
        c5 += MulHigh(m, q0) + Low52(m, q1);
        c6 += MulHigh(m, q1) + Low52(m, q2);
        c7 += MulHigh(m, q2) + Low52(m, q3);
        c8 += MulHigh(m, q3) + Low52(m, q4);
        c9 += MulHigh(m, q4);
        // Normalise c4..c9 to 52-bit digits e4..e9, then the value / 2^48 is bits 48.. of e4 onwards.
        c5 += c4 >> 52; c6 += c5 >> 52; c5 &= M;
        c7 += c6 >> 52; c6 &= M;
        c8 += c7 >> 52; c7 &= M;
        c9 += c8 >> 52; c8 &= M;
        ReduceOnce(((c4 & M) >> 48) | (c5 << 4) | (c6 << 56), (c6 >> 8) | (c7 << 44), (c7 >> 20) | (c8 << 32), (c8 >> 32) | (c9 << 20),
            p0, p1, p2, p3, out r0, out r1, out r2, out r3);
    }

    /// <summary>One reduction round of 2^52 on the column words of <see cref="Square"/> (the m p half of Row52).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceDigit(ref ulong c0, ref ulong c1, ref ulong c2, ref ulong c3, ref ulong c4, ref ulong c5,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong p4, ulong invS)
    {
        const ulong M = (1UL << 52) - 1;
        ulong m = c0 * invS;
        c1 += ((c0 + M) >> 52) + MulHigh(m, p0) + Low52(m, p1);
        c2 += MulHigh(m, p1) + Low52(m, p2);
        c3 += MulHigh(m, p2) + Low52(m, p3);
        c4 += MulHigh(m, p3) + Low52(m, p4);
        c5 += MulHigh(m, p4);
    }

    /// <summary>
    /// Montgomery square in the 4x64 form: the six cross products are computed once and doubled (10 limb products
    /// instead of 16), then the 512-bit square is reduced in four rounds. Reference for <see cref="Square"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SquareCios(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong p0, ulong p1, ulong p2, ulong p3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        // Cross products a_i a_j (i < j) at positions 1..6.
        ulong c = MulAdd(a0, a1, 0, out ulong t1);
        c = MulAdd(a0, a2, c, out ulong t2);
        c = MulAdd(a0, a3, c, out ulong t3);
        ulong t4 = c;
        c = MulAdd(a1, a2, t3, out t3);
        c = MulAdd2(a1, a3, t4, c, out t4);
        ulong t5 = c;
        c = MulAdd(a2, a3, t5, out t5);
        ulong t6 = c;
        // Doubled (the sum of cross products is below a^2 / 2, so this fits in eight limbs).
        ulong t7 = t6 >> 63;
        t6 = (t6 << 1) | (t5 >> 63);
        t5 = (t5 << 1) | (t4 >> 63);
        t4 = (t4 << 1) | (t3 >> 63);
        t3 = (t3 << 1) | (t2 >> 63);
        t2 = (t2 << 1) | (t1 >> 63);
        t1 <<= 1;
        // Plus the squares a_i^2 at positions 2i.
        ulong t0 = a0 * a0;
        ulong carry = 0;
        t1 = AddC(t1, MulHigh(a0, a0), ref carry);
        t2 = AddC(t2, a1 * a1, ref carry);
        t3 = AddC(t3, MulHigh(a1, a1), ref carry);
        t4 = AddC(t4, a2 * a2, ref carry);
        t5 = AddC(t5, MulHigh(a2, a2), ref carry);
        t6 = AddC(t6, a3 * a3, ref carry);
        t7 = AddC(t7, MulHigh(a3, a3), ref carry);
        // Montgomery reduction: each round clears the lowest limb; its carry goes into the upper half.
        carry = 0;
        ulong m = t0 * inv;
        c = MulAdd(m, p0, t0, out _);
        c = MulAdd2(m, p1, t1, c, out t1);
        c = MulAdd2(m, p2, t2, c, out t2);
        c = MulAdd2(m, p3, t3, c, out t3);
        t4 = AddC(t4, c, ref carry);
        m = t1 * inv;
        c = MulAdd(m, p0, t1, out _);
        c = MulAdd2(m, p1, t2, c, out t2);
        c = MulAdd2(m, p2, t3, c, out t3);
        c = MulAdd2(m, p3, t4, c, out t4);
        t5 = AddC(t5, c, ref carry);
        m = t2 * inv;
        c = MulAdd(m, p0, t2, out _);
        c = MulAdd2(m, p1, t3, c, out t3);
        c = MulAdd2(m, p2, t4, c, out t4);
        c = MulAdd2(m, p3, t5, c, out t5);
        t6 = AddC(t6, c, ref carry);
        m = t3 * inv;
        c = MulAdd(m, p0, t3, out _);
        c = MulAdd2(m, p1, t4, c, out t4);
        c = MulAdd2(m, p2, t5, c, out t5);
        c = MulAdd2(m, p3, t6, c, out t6);
        t7 = AddC(t7, c, ref carry); // (a^2 + m p) / 2^256 < 2p < 2^255: no carry out
        ReduceOnce(t4, t5, t6, t7, p0, p1, p2, p3, out r0, out r1, out r2, out r3);
    }

    /// <summary>Returns t - p if t &gt;= p, else t (t &lt; 2p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReduceOnce(ulong t0, ulong t1, ulong t2, ulong t3,
        ulong p0, ulong p1, ulong p2, ulong p3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong borrow = 0;
        ulong s0 = SubB(t0, p0, ref borrow);
        ulong s1 = SubB(t1, p1, ref borrow);
        ulong s2 = SubB(t2, p2, ref borrow);
        ulong s3 = SubB(t3, p3, ref borrow);
        // Branch-free select (keep t when t - p borrowed): the outcome is data-dependent in NTT butterflies.
        ulong keep = 0UL - borrow;
        r0 = (t0 & keep) | (s0 & ~keep);
        r1 = (t1 & keep) | (s1 & ~keep);
        r2 = (t2 & keep) | (s2 & ~keep);
        r3 = (t3 & keep) | (s3 & ~keep);
    }

    /// <summary>(a + b) mod p for reduced inputs. No carry out of the top limb since p &lt; 2^254.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong p0, ulong p1, ulong p2, ulong p3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong carry = 0;
        ulong s0 = AddC(a0, b0, ref carry);
        ulong s1 = AddC(a1, b1, ref carry);
        ulong s2 = AddC(a2, b2, ref carry);
        ulong s3 = AddC(a3, b3, ref carry);
        ReduceOnce(s0, s1, s2, s3, p0, p1, p2, p3, out r0, out r1, out r2, out r3);
    }

    /// <summary>(a - b) mod p for reduced inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong p0, ulong p1, ulong p2, ulong p3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong borrow = 0;
        r0 = SubB(a0, b0, ref borrow);
        r1 = SubB(a1, b1, ref borrow);
        r2 = SubB(a2, b2, ref borrow);
        r3 = SubB(a3, b3, ref borrow);
        // Add p back when a - b borrowed, without a branch.
        ulong mask = 0UL - borrow;
        ulong carry = 0;
        r0 = AddC(r0, p0 & mask, ref carry);
        r1 = AddC(r1, p1 & mask, ref carry);
        r2 = AddC(r2, p2 & mask, ref carry);
        r3 = AddC(r3, p3 & mask, ref carry);
    }

    /// <summary>True when the 4-limb value is below p (used by strict decoding).</summary>
    public static bool LessThan(ulong a0, ulong a1, ulong a2, ulong a3, ulong p0, ulong p1, ulong p2, ulong p3)
    {
        ulong borrow = 0;
        SubB(a0, p0, ref borrow);
        SubB(a1, p1, ref borrow);
        SubB(a2, p2, ref borrow);
        SubB(a3, p3, ref borrow);
        return borrow != 0;
    }

    public static BigInteger ToBigInteger(ulong a0, ulong a1, ulong a2, ulong a3)
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteLimbs(bytes, a0, a1, a2, a3);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    public static void WriteLimbs(Span<byte> destination, ulong a0, ulong a1, ulong a2, ulong a3)
    {
        if (destination.Length < 32) throw new ArgumentException("Destination needs at least 32 bytes.", nameof(destination));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, a0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], a1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], a2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination[24..], a3);
    }

    public static void ReadLimbs(ReadOnlySpan<byte> source, out ulong a0, out ulong a1, out ulong a2, out ulong a3)
    {
        a0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source);
        a1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[8..]);
        a2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[16..]);
        a3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source[24..]);
    }

    /// <summary>Splits a non-negative integer below 2^256 into limbs.</summary>
    public static void FromBigInteger(BigInteger value, out ulong a0, out ulong a1, out ulong a2, out ulong a3)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        if (!value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false))
            throw new ArgumentOutOfRangeException(nameof(value), "Value does not fit in 256 bits.");
        ReadLimbs(bytes, out a0, out a1, out a2, out a3);
    }
}
