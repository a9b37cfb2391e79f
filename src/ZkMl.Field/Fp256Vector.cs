using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// Four Montgomery products (and whole NTT butterflies) at once on AVX2 + FMA. .NET has no 64-bit
/// add-with-carry, so the scalar product spends most of its ~500 instructions on carries; here the operands are split
/// into five 52-bit limbs held in doubles, and each 52x52-bit limb product is computed exactly by two fused
/// multiply-adds: s = fma(x, y, 2^104) carries the high 52 bits in its mantissa, fma(x, y, -(s - 2^104)) the signed low
/// part (|lo| &lt;= 2^51), both read back as integers through their bit patterns. Columns accumulate as 64-bit integers
/// (the constant bit-pattern offsets are subtracted up front), so there are no per-product carries at all.
/// </summary>
/// <remarks>
/// Montgomery reduction runs in radix 2^52 for four rounds and 2^48 for the fifth, so R stays 2^256 and inputs and
/// outputs are the ordinary <see cref="Fp256{TConfig}"/> limbs. For y &lt; 4p and w &lt; p the product is below 2p, as
/// with <see cref="Mont256.MulLazy"/>, and congruent to the same value mod p (not always the same representative).
/// The butterflies also do their lazy additions in the 52-bit lanes (a carry is a shift and a mask there, and the
/// conditional subtraction a blend on the top limb's sign), so a butterfly never leaves the vector registers.
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

    /// <summary>p and 2p in 52-bit limbs, for the final reduction and the lazy butterflies' additions.</summary>
    private static readonly Vector256<ulong> PL0 = IntegerLimb(0, 0), PL1 = IntegerLimb(1, 0), PL2 = IntegerLimb(2, 0), PL3 = IntegerLimb(3, 0), PL4 = IntegerLimb(4, 0);
    private static readonly Vector256<ulong> Q0 = IntegerLimb(0, 1), Q1 = IntegerLimb(1, 1), Q2 = IntegerLimb(2, 1), Q3 = IntegerLimb(3, 1), Q4 = IntegerLimb(4, 1);
    private static readonly Vector256<double> Inverse = Vector256.Create((double)(TConfig.Inv & Mask52)); // -p^-1 mod 2^52

    /// <summary>
    /// Column k of the 10-column product receives 2 * #(i + j = k) low parts and 2 * #(i + j + 1 = k) high parts;
    /// starting each column at minus their bit-pattern offsets makes the sums exact integers.
    /// </summary>
    private static readonly ulong[] ColumnStart = BuildColumnStarts();

    private static Vector256<double> Limb(int index) => Vector256.Create((double)ModulusLimb(index, 0));

    private static Vector256<ulong> IntegerLimb(int index, int shift) => Vector256.Create(ModulusLimb(index, shift));

    /// <summary>52-bit limb index of p * 2^shift (shift 0 or 1; the result stays below 2^256).</summary>
    private static ulong ModulusLimb(int index, int shift)
    {
        var p = ((System.Numerics.BigInteger)TConfig.P3 << 192) | ((System.Numerics.BigInteger)TConfig.P2 << 128)
            | ((System.Numerics.BigInteger)TConfig.P1 << 64) | TConfig.P0;
        return (ulong)(((p << shift) >> (52 * index)) & Mask52);
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

    // The kernels below are separate optimised methods that inline all their helpers. The JIT's inlining budget grows
    // with the root's own IL size: a three-line root that inlined Product left its Row/Mac calls as calls (6x slower,
    // seen in the JIT's compile log), and a non-inlined Product cost ~17 % in argument copies.

    /// <summary>Four products, four limbs each: r[e] = y[e] w[e] / 2^256 mod p, canonical, for y &lt; 4p and w &lt; p. r may alias y.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Mul4(ref ulong y, ref ulong w, ref ulong r)
    {
        Split(ref y, out var a0, out var a1, out var a2, out var a3, out var a4);
        Product(a0, a1, a2, a3, a4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        ReduceBelow(ref v0, ref v1, ref v2, ref v3, ref v4, PL0, PL1, PL2, PL3, PL4);
        Store(ref r, v0, v1, v2, v3, v4);
    }

    /// <summary>
    /// Four DIT butterflies, each operand four element-major limbs: x in [0, 4p), y in [0, 4p), w canonical; (x, y)
    /// becomes (x + wy, x - wy + 2p) with x first reduced below 2p, both in [0, 4p), the products and the additions
    /// all in 52-bit lanes (no scalar carries).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DitButterfly4(ref ulong x, ref ulong y, ref ulong w)
    {
        Split(ref y, out var a0, out var a1, out var a2, out var a3, out var a4);
        Product(a0, a1, a2, a3, a4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        Split(ref x, out var x0, out var x1, out var x2, out var x3, out var x4);
        ReduceBelow(ref x0, ref x1, ref x2, ref x3, ref x4, Q0, Q1, Q2, Q3, Q4);
        Store(ref x, x0 + v0, x1 + v1, x2 + v2, x3 + v3, x4 + v4);
        Store(ref y, x0 + Q0 - v0, x1 + Q1 - v1, x2 + Q2 - v2, x3 + Q3 - v3, x4 + Q4 - v4);
    }

    /// <summary>
    /// Four DIF butterflies: x, y in [0, 2p), w canonical; (x, y) becomes (x + y reduced below 2p, (x - y + 2p) w below 2p).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DifButterfly4(ref ulong x, ref ulong y, ref ulong w)
    {
        Split(ref x, out var x0, out var x1, out var x2, out var x3, out var x4);
        Split(ref y, out var y0, out var y1, out var y2, out var y3, out var y4);
        var s0 = x0 + y0;
        var s1 = x1 + y1;
        var s2 = x2 + y2;
        var s3 = x3 + y3;
        var s4 = x4 + y4;
        Carry(ref s0, ref s1, ref s2, ref s3, ref s4);
        ReduceBelow(ref s0, ref s1, ref s2, ref s3, ref s4, Q0, Q1, Q2, Q3, Q4);
        Store(ref x, s0, s1, s2, s3, s4);
        var d0 = x0 + Q0 - y0;
        var d1 = x1 + Q1 - y1;
        var d2 = x2 + Q2 - y2;
        var d3 = x3 + Q3 - y3;
        var d4 = x4 + Q4 - y4;
        Carry(ref d0, ref d1, ref d2, ref d3, ref d4);
        Product(d0, d1, d2, d3, d4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        Store(ref y, v0, v1, v2, v3, v4);
    }

    /// <summary>
    /// v = a w / 2^256 (mod p, below 2p) for a in 52-bit limbs (value below 4p) and w four element-major canonical
    /// values; v comes back in 52-bit limbs, the top one below 2^47.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(Vector256<ulong> a0, Vector256<ulong> a1, Vector256<ulong> a2, Vector256<ulong> a3, Vector256<ulong> a4,
        ref ulong w, out Vector256<ulong> v0, out Vector256<ulong> v1, out Vector256<ulong> v2, out Vector256<ulong> v3, out Vector256<ulong> v4)
    {
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
        v0 = (Vector256.ShiftRightLogical(c4, 48) | Vector256.ShiftLeft(c5, 4)) & mask;
        v1 = (Vector256.ShiftRightLogical(c5, 48) | Vector256.ShiftLeft(c6, 4)) & mask;
        v2 = (Vector256.ShiftRightLogical(c6, 48) | Vector256.ShiftLeft(c7, 4)) & mask;
        v3 = (Vector256.ShiftRightLogical(c7, 48) | Vector256.ShiftLeft(c8, 4)) & mask;
        v4 = Vector256.ShiftRightLogical(c8, 48) | Vector256.ShiftLeft(c9, 4);
    }

    /// <summary>Limbs below 2^53 each (sums of two 52-bit limbs, or signed differences) carried into 52-bit limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Carry(ref Vector256<ulong> l0, ref Vector256<ulong> l1, ref Vector256<ulong> l2, ref Vector256<ulong> l3, ref Vector256<ulong> l4)
    {
        var mask = Vector256.Create(Mask52);
        l1 += FloorShift52(l0);
        l0 &= mask;
        l2 += FloorShift52(l1);
        l1 &= mask;
        l3 += FloorShift52(l2);
        l2 &= mask;
        l4 += FloorShift52(l3);
        l3 &= mask;
    }

    /// <summary>A value in 52-bit limbs becomes the same value minus m (m0..m4, 52-bit limbs) when that is not negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceBelow(ref Vector256<ulong> l0, ref Vector256<ulong> l1, ref Vector256<ulong> l2, ref Vector256<ulong> l3, ref Vector256<ulong> l4,
        Vector256<ulong> m0, Vector256<ulong> m1, Vector256<ulong> m2, Vector256<ulong> m3, Vector256<ulong> m4)
    {
        var t0 = l0 - m0;
        var t1 = l1 - m1;
        var t2 = l2 - m2;
        var t3 = l3 - m3;
        var t4 = l4 - m4;
        Carry(ref t0, ref t1, ref t2, ref t3, ref t4);
        // t4's sign bit says the difference is negative: keep the input there.
        var negative = t4.AsDouble();
        l0 = Avx.BlendVariable(t0.AsDouble(), l0.AsDouble(), negative).AsUInt64();
        l1 = Avx.BlendVariable(t1.AsDouble(), l1.AsDouble(), negative).AsUInt64();
        l2 = Avx.BlendVariable(t2.AsDouble(), l2.AsDouble(), negative).AsUInt64();
        l3 = Avx.BlendVariable(t3.AsDouble(), l3.AsDouble(), negative).AsUInt64();
        l4 = Avx.BlendVariable(t4.AsDouble(), l4.AsDouble(), negative).AsUInt64();
    }

    /// <summary>
    /// Four values in 52-bit limbs (each limb below 2^53 or a signed difference, the value in [0, 2^256)) carried, packed
    /// into 64-bit limbs and stored element-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ulong r, Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3, Vector256<ulong> l4)
    {
        Carry(ref l0, ref l1, ref l2, ref l3, ref l4);
        var r0 = l0 | Vector256.ShiftLeft(l1, 52);
        var r1 = Vector256.ShiftRightLogical(l1, 12) | Vector256.ShiftLeft(l2, 40);
        var r2 = Vector256.ShiftRightLogical(l2, 24) | Vector256.ShiftLeft(l3, 28);
        var r3 = Vector256.ShiftRightLogical(l3, 36) | Vector256.ShiftLeft(l4, 16);
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
