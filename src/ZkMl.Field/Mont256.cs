using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZkMl.Field;

/// <summary>
/// Montgomery arithmetic on 4x64-bit little-endian limbs for moduli below 2^254 (BN254's Fr and Fq).
/// The modulus is passed as constants by each field struct, so after inlining the JIT folds them.
/// The top limb of each modulus is below 2^62, which allows the carry-free CIOS variant (gnark-crypto's
/// "no-carry" optimisation) and lazy sums.
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

    /// <summary>Montgomery product a*b*R^-1 mod p, fully reduced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mul(
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
    /// Montgomery square a*a*R^-1 mod p, fully reduced: the six cross products are computed once and doubled (10 limb
    /// products instead of 16), then the 512-bit square is reduced in four rounds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square(
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
