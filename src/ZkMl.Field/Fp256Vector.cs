using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// Four lazy Montgomery products at once on AVX2 + FMA, for the NTT's twiddle multiplications. .NET has no 64-bit
/// add-with-carry, so the scalar product spends most of its ~500 instructions on carries; here the operands are split
/// into five 52-bit limbs held in doubles, and each 52x52-bit limb product is computed exactly by two fused
/// multiply-adds: s = fma(x, y, 2^104) carries the high 52 bits in its mantissa, fma(x, y, -(s - 2^104)) the signed low
/// part (|lo| &lt;= 2^51), both read back as integers through their bit patterns. Columns accumulate as 64-bit integers
/// (the constant bit-pattern offsets are subtracted up front), so there are no per-product carries at all.
/// </summary>
/// <remarks>
/// Montgomery reduction runs in radix 2^52 for four rounds and 2^48 for the fifth, so R stays 2^256 and inputs and
/// outputs are the ordinary <see cref="Fp256{TConfig}"/> limbs. For y &lt; 4p and w &lt; p the result is below 2p, as
/// with <see cref="Mont256.MulLazy"/>, and congruent to the same value mod p (not always the same representative).
/// </remarks>
internal static class Fp256Vector<TConfig> where TConfig : struct, IMont256Config
{
    private const ulong Mask52 = (1UL << 52) - 1;
    private const ulong Mask48 = (1UL << 48) - 1;
    private const ulong Bits2To104 = 0x4670000000000000;   // 2^104 as a double
    private const ulong BitsMagic = 0x4338000000000000;    // 1.5 * 2^52: x + magic has the integer x in its low bits
    private const ulong Bits2To52 = 0x4330000000000000;

    /// <summary>True where AVX2 and FMA are available.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    private static readonly Vector256<double> P0 = Limb(0), P1 = Limb(1), P2 = Limb(2), P3 = Limb(3), P4 = Limb(4);
    private static readonly Vector256<double> Inverse = Vector256.Create((double)(TConfig.Inv & Mask52)); // -p^-1 mod 2^52

    /// <summary>
    /// Column k of the 10-column product receives 2 * #(i + j = k) low parts and 2 * #(i + j + 1 = k) high parts;
    /// starting each column at minus their bit-pattern offsets makes the sums exact integers.
    /// </summary>
    private static readonly ulong[] ColumnStart = BuildColumnStarts();

    private static Vector256<double> Limb(int index)
    {
        UInt128 low = new(TConfig.P1, TConfig.P0);
        UInt128 high = new(TConfig.P3, TConfig.P2);
        int shift = 52 * index;
        ulong limb = shift < 128
            ? (ulong)((low >> shift) | (shift == 0 ? 0 : high << (128 - shift)))
            : (ulong)(high >> (shift - 128));
        return Vector256.Create((double)(limb & Mask52));
    }

    private static ulong[] BuildColumnStarts()
    {
        var starts = new ulong[10];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                starts[i + j] -= 2 * BitsMagic;
                if (i + j + 1 < 10) starts[i + j + 1] -= 2 * Bits2To104;
            }
        return starts;
    }

    /// <summary>Four lazy products, four limbs each: r[e] = y[e] w[e] / 2^256 (mod p, below 2p). r may alias y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MulLazy4(ref ulong y, ref ulong w, ref ulong r)
    {
        Split(ref y, out var a0, out var a1, out var a2, out var a3, out var a4);
        Split(ref w, out var w0, out var w1, out var w2, out var w3, out var w4);
        var b0 = ToDouble(w0);
        var b1 = ToDouble(w1);
        var b2 = ToDouble(w2);
        var b3 = ToDouble(w3);
        var b4 = ToDouble(w4);
        var c0 = Vector256.Create(ColumnStart[0]);
        var c1 = Vector256.Create(ColumnStart[1]);
        var c2 = Vector256.Create(ColumnStart[2]);
        var c3 = Vector256.Create(ColumnStart[3]);
        var c4 = Vector256.Create(ColumnStart[4]);
        var c5 = Vector256.Create(ColumnStart[5]);
        var c6 = Vector256.Create(ColumnStart[6]);
        var c7 = Vector256.Create(ColumnStart[7]);
        var c8 = Vector256.Create(ColumnStart[8]);
        var c9 = Vector256.Create(ColumnStart[9]);

        Row(ToDouble(a0), b0, b1, b2, b3, b4, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5);
        Row(ReductionFactor(c0, Mask52), P0, P1, P2, P3, P4, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5);
        c1 += FloorShift52(c0);
        Row(ToDouble(a1), b0, b1, b2, b3, b4, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6);
        Row(ReductionFactor(c1, Mask52), P0, P1, P2, P3, P4, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6);
        c2 += FloorShift52(c1);
        Row(ToDouble(a2), b0, b1, b2, b3, b4, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
        Row(ReductionFactor(c2, Mask52), P0, P1, P2, P3, P4, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
        c3 += FloorShift52(c2);
        Row(ToDouble(a3), b0, b1, b2, b3, b4, ref c3, ref c4, ref c5, ref c6, ref c7, ref c8);
        Row(ReductionFactor(c3, Mask52), P0, P1, P2, P3, P4, ref c3, ref c4, ref c5, ref c6, ref c7, ref c8);
        c4 += FloorShift52(c3);
        Row(ToDouble(a4), b0, b1, b2, b3, b4, ref c4, ref c5, ref c6, ref c7, ref c8, ref c9);
        // The fifth round divides by 2^48 only, so the total divisor is 2^(4*52 + 48) = 2^256.
        Row(ReductionFactor(c4, Mask48), P0, P1, P2, P3, P4, ref c4, ref c5, ref c6, ref c7, ref c8, ref c9);

        // Carry columns 4..9 into 52-bit limbs; the result is their value shifted right by 48 bits.
        var mask = Vector256.Create(Mask52);
        c5 += FloorShift52(c4);
        c4 &= mask;
        c6 += FloorShift52(c5);
        c5 &= mask;
        c7 += FloorShift52(c6);
        c6 &= mask;
        c8 += FloorShift52(c7);
        c7 &= mask;
        c9 += FloorShift52(c8);
        c8 &= mask;
        var r0 = Vector256.ShiftRightLogical(c4, 48) | Vector256.ShiftLeft(c5, 4) | Vector256.ShiftLeft(c6, 56);
        var r1 = Vector256.ShiftRightLogical(c6, 8) | Vector256.ShiftLeft(c7, 44);
        var r2 = Vector256.ShiftRightLogical(c7, 20) | Vector256.ShiftLeft(c8, 32);
        var r3 = Vector256.ShiftRightLogical(c8, 32) | Vector256.ShiftLeft(c9, 20);
        Avx2Transpose.Transpose(r0, r1, r2, r3, out var o0, out var o1, out var o2, out var o3);
        o0.StoreUnsafe(ref r);
        o1.StoreUnsafe(ref r, 4);
        o2.StoreUnsafe(ref r, 8);
        o3.StoreUnsafe(ref r, 12);
    }

    /// <summary>c[k..k+5] += x * (y0..y4), one exact limb product per column pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Vector256<double> x, Vector256<double> y0, Vector256<double> y1, Vector256<double> y2, Vector256<double> y3, Vector256<double> y4,
        ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3, ref Vector256<ulong> c4, ref Vector256<ulong> c5)
    {
        Mac(x, y0, ref c0, ref c1);
        Mac(x, y1, ref c1, ref c2);
        Mac(x, y2, ref c2, ref c3);
        Mac(x, y3, ref c3, ref c4);
        Mac(x, y4, ref c4, ref c5);
    }

    /// <summary>lo += low part, hi += high part of the exact product x*y (x, y integers below 2^52), offsets pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mac(Vector256<double> x, Vector256<double> y, ref Vector256<ulong> lo, ref Vector256<ulong> hi)
    {
        var c104 = Vector256.Create(Bits2To104).AsDouble();
        var s = Fma.MultiplyAdd(x, y, c104);
        var l = Fma.MultiplySubtract(x, y, s - c104) + Vector256.Create(BitsMagic).AsDouble();
        hi += s.AsUInt64();
        lo += l.AsUInt64();
    }

    /// <summary>
    /// m = -c p^-1 mod 2^bits (as a double), so that c + m p is divisible by 2^bits. The column still lacks the
    /// offset-carrying low part of m*p0, which the added magic offset anticipates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ReductionFactor(Vector256<ulong> column, ulong mask)
    {
        var c = ToDouble((column + Vector256.Create(BitsMagic)) & Vector256.Create(Mask52));
        var c104 = Vector256.Create(Bits2To104).AsDouble();
        var s = Fma.MultiplyAdd(c, Inverse, c104);
        var low = Fma.MultiplySubtract(c, Inverse, s - c104) + Vector256.Create(BitsMagic).AsDouble();
        return ToDouble((low.AsUInt64() - Vector256.Create(BitsMagic)) & Vector256.Create(mask));
    }

    /// <summary>An integer below 2^52 as a double (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ToDouble(Vector256<ulong> x) =>
        (x | Vector256.Create(Bits2To52)).AsDouble() - Vector256.Create(Bits2To52).AsDouble();

    /// <summary>floor(c / 2^52) for c read as a signed 64-bit integer (AVX2 has no 64-bit arithmetic shift).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> FloorShift52(Vector256<ulong> c) =>
        Vector256.ShiftRightLogical(c ^ Vector256.Create(1UL << 63), 52) - Vector256.Create(1UL << 11);

    /// <summary>Four elements' 64-bit limbs (element-major) to five 52-bit limb vectors (limb-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(ref ulong source, out Vector256<ulong> l0, out Vector256<ulong> l1, out Vector256<ulong> l2, out Vector256<ulong> l3, out Vector256<ulong> l4)
    {
        Avx2Transpose.Transpose(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, 4), Vector256.LoadUnsafe(ref source, 8),
            Vector256.LoadUnsafe(ref source, 12), out var y0, out var y1, out var y2, out var y3);
        var mask = Vector256.Create(Mask52);
        l0 = y0 & mask;
        l1 = (Vector256.ShiftRightLogical(y0, 52) | Vector256.ShiftLeft(y1, 12)) & mask;
        l2 = (Vector256.ShiftRightLogical(y1, 40) | Vector256.ShiftLeft(y2, 24)) & mask;
        l3 = (Vector256.ShiftRightLogical(y2, 28) | Vector256.ShiftLeft(y3, 36)) & mask;
        l4 = Vector256.ShiftRightLogical(y3, 16);
    }
}
