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

    // Constants are properties of TConfig's constants, not static readonly fields: the kernels are compiled with
    // AggressiveOptimization, before a class constructor could have run, and read such fields through a helper call.
    private static Vector256<double> P0
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)Limb(0, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<double> P1
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)Limb(1, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<double> P2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)Limb(2, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<double> P3
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)Limb(3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<double> P4
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)Limb(4, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<double> Inverse
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((double)(TConfig.Inv & Mask52)); // -p^-1 mod 2^52
    }

    /// <summary>p in 52-bit limbs, for the final reduction.</summary>
    private static Vector256<ulong> PL0
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(0, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<ulong> PL1
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(1, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<ulong> PL2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(2, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<ulong> PL3
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }
    private static Vector256<ulong> PL4
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(4, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));
    }

    /// <summary>2p in 52-bit limbs, for the lazy butterflies' additions (2p &lt; 2^256).</summary>
    private static Vector256<ulong> Q0
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(0, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));
    }
    private static Vector256<ulong> Q1
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(1, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));
    }
    private static Vector256<ulong> Q2
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(2, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));
    }
    private static Vector256<ulong> Q3
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(3, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));
    }
    private static Vector256<ulong> Q4
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create(Limb(4, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));
    }

    /// <summary>52-bit limb k of the 256-bit value v3:v2:v1:v0 (constant-folded for constant arguments).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Limb(int k, ulong v0, ulong v1, ulong v2, ulong v3) => k switch
    {
        0 => v0 & Mask52,
        1 => ((v0 >> 52) | (v1 << 12)) & Mask52,
        2 => ((v1 >> 40) | (v2 << 24)) & Mask52,
        3 => ((v2 >> 28) | (v3 << 36)) & Mask52,
        _ => v3 >> 16,
    };

    /// <summary>
    /// Column k of the 10-column product receives 2 * Pairs(k) low parts and 2 * Pairs(k - 1) high parts; starting each
    /// column at minus their bit-pattern offsets makes the sums exact integers. A constant per k: the JIT folds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> ColumnStart(int k) => Vector256.Create(0UL - 2 * BitsMagic * Pairs(k) - 2 * Bits2To104 * Pairs(k - 1));

    /// <summary>The number of limb pairs (i, j), both below 5, with i + j = k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pairs(int k) => k < 0 || k > 8 ? 0UL : (ulong)(k < 5 ? k + 1 : 9 - k);

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

    /// <summary>Four values in [0, 4p) to their canonical representatives in [0, p), in place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Normalize4(ref ulong a)
    {
        Split(ref a, out var l0, out var l1, out var l2, out var l3, out var l4);
        ReduceBelow(ref l0, ref l1, ref l2, ref l3, ref l4, Q0, Q1, Q2, Q3, Q4);
        ReduceBelow(ref l0, ref l1, ref l2, ref l3, ref l4, PL0, PL1, PL2, PL3, PL4);
        Store(ref a, l0, l1, l2, l3, l4);
    }

    /// <summary>
    /// Sixteen consecutive elements as four groups of four (one group per lane): each group's DIT stages with m = 1
    /// (twiddle one) and m = 2 (twiddles one and w4, the fourth root of unity, four copies at fourthRoots) in one pass.
    /// Inputs in [0, 2p), outputs in [0, 4p), as the two stages' lazy butterflies would give.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void FirstTwoDitStages16(ref ulong a, ref ulong fourthRoots)
    {
        Split(ref a, 16, out var a0, out var a1, out var a2, out var a3, out var a4);
        Split(ref Unsafe.Add(ref a, 4), 16, out var b0, out var b1, out var b2, out var b3, out var b4);
        Split(ref Unsafe.Add(ref a, 8), 16, out var c0, out var c1, out var c2, out var c3, out var c4);
        Split(ref Unsafe.Add(ref a, 12), 16, out var d0, out var d1, out var d2, out var d3, out var d4);
        // m = 1: (a, b) and (c, d) become (a + b, a - b + 2p) and (c + d, c - d + 2p), all below 4p.
        var e0 = c0 + Q0 - d0;
        var e1 = c1 + Q1 - d1;
        var e2 = c2 + Q2 - d2;
        var e3 = c3 + Q3 - d3;
        var e4 = c4 + Q4 - d4;
        Carry(ref e0, ref e1, ref e2, ref e3, ref e4);
        Product(e0, e1, e2, e3, e4, ref fourthRoots, out var v0, out var v1, out var v2, out var v3, out var v4);
        (c0, c1, c2, c3, c4) = (c0 + d0, c1 + d1, c2 + d2, c3 + d3, c4 + d4);
        (d0, d1, d2, d3, d4) = (a0 + Q0 - b0, a1 + Q1 - b1, a2 + Q2 - b2, a3 + Q3 - b3, a4 + Q4 - b4);
        (a0, a1, a2, a3, a4) = (a0 + b0, a1 + b1, a2 + b2, a3 + b3, a4 + b4);
        // m = 2: (a, c) with twiddle one and (a - b + 2p, w4 (c - d + 2p)), each first operand reduced below 2p.
        ReduceBelow(ref a0, ref a1, ref a2, ref a3, ref a4, Q0, Q1, Q2, Q3, Q4);
        ReduceBelow(ref c0, ref c1, ref c2, ref c3, ref c4, Q0, Q1, Q2, Q3, Q4);
        ReduceBelow(ref d0, ref d1, ref d2, ref d3, ref d4, Q0, Q1, Q2, Q3, Q4);
        Store(ref a, 16, a0 + c0, a1 + c1, a2 + c2, a3 + c3, a4 + c4);
        Store(ref Unsafe.Add(ref a, 8), 16, a0 + Q0 - c0, a1 + Q1 - c1, a2 + Q2 - c2, a3 + Q3 - c3, a4 + Q4 - c4);
        Store(ref Unsafe.Add(ref a, 4), 16, d0 + v0, d1 + v1, d2 + v2, d3 + v3, d4 + v4);
        Store(ref Unsafe.Add(ref a, 12), 16, d0 + Q0 - v0, d1 + Q1 - v1, d2 + Q2 - v2, d3 + Q3 - v3, d4 + Q4 - v4);
    }

    /// <summary>
    /// The mirror of <see cref="FirstTwoDitStages16"/> for DIF: each group's stages m = 2 then m = 1, inputs in [0, 2p),
    /// outputs reduced below 2p as the unit-twiddle last stage gives them.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LastTwoDifStages16(ref ulong a, ref ulong fourthRoots)
    {
        Split(ref a, 16, out var a0, out var a1, out var a2, out var a3, out var a4);
        Split(ref Unsafe.Add(ref a, 4), 16, out var b0, out var b1, out var b2, out var b3, out var b4);
        Split(ref Unsafe.Add(ref a, 8), 16, out var c0, out var c1, out var c2, out var c3, out var c4);
        Split(ref Unsafe.Add(ref a, 12), 16, out var d0, out var d1, out var d2, out var d3, out var d4);
        // m = 2: (a, c) become (a + c, a - c + 2p) and (b, d) become (b + d, (b - d + 2p) w4), all reduced below 2p.
        var e0 = b0 + Q0 - d0;
        var e1 = b1 + Q1 - d1;
        var e2 = b2 + Q2 - d2;
        var e3 = b3 + Q3 - d3;
        var e4 = b4 + Q4 - d4;
        Carry(ref e0, ref e1, ref e2, ref e3, ref e4);
        (b0, b1, b2, b3, b4) = (b0 + d0, b1 + d1, b2 + d2, b3 + d3, b4 + d4);
        Product(e0, e1, e2, e3, e4, ref fourthRoots, out d0, out d1, out d2, out d3, out d4);
        var t0 = a0 + Q0 - c0;
        var t1 = a1 + Q1 - c1;
        var t2 = a2 + Q2 - c2;
        var t3 = a3 + Q3 - c3;
        var t4 = a4 + Q4 - c4;
        (a0, a1, a2, a3, a4) = (a0 + c0, a1 + c1, a2 + c2, a3 + c3, a4 + c4);
        (c0, c1, c2, c3, c4) = (t0, t1, t2, t3, t4);
        ReduceBelow(ref a0, ref a1, ref a2, ref a3, ref a4, Q0, Q1, Q2, Q3, Q4);
        ReduceBelow(ref b0, ref b1, ref b2, ref b3, ref b4, Q0, Q1, Q2, Q3, Q4);
        ReduceBelow(ref c0, ref c1, ref c2, ref c3, ref c4, Q0, Q1, Q2, Q3, Q4);
        // m = 1: (a + c, b + d) and (a - c, (b - d) w4), twiddle one, each output reduced below 2p.
        e0 = a0 + b0; e1 = a1 + b1; e2 = a2 + b2; e3 = a3 + b3; e4 = a4 + b4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, Q0, Q1, Q2, Q3, Q4);
        Store(ref a, 16, e0, e1, e2, e3, e4);
        e0 = a0 + Q0 - b0; e1 = a1 + Q1 - b1; e2 = a2 + Q2 - b2; e3 = a3 + Q3 - b3; e4 = a4 + Q4 - b4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, Q0, Q1, Q2, Q3, Q4);
        Store(ref Unsafe.Add(ref a, 4), 16, e0, e1, e2, e3, e4);
        e0 = c0 + d0; e1 = c1 + d1; e2 = c2 + d2; e3 = c3 + d3; e4 = c4 + d4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, Q0, Q1, Q2, Q3, Q4);
        Store(ref Unsafe.Add(ref a, 8), 16, e0, e1, e2, e3, e4);
        e0 = c0 + Q0 - d0; e1 = c1 + Q1 - d1; e2 = c2 + Q2 - d2; e3 = c3 + Q3 - d3; e4 = c4 + Q4 - d4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, Q0, Q1, Q2, Q3, Q4);
        Store(ref Unsafe.Add(ref a, 12), 16, e0, e1, e2, e3, e4);
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
        var c0 = ColumnStart(0);
        var c1 = ColumnStart(1);
        var c2 = ColumnStart(2);
        var c3 = ColumnStart(3);
        var c4 = ColumnStart(4);
        var c5 = ColumnStart(5);
        var c6 = ColumnStart(6);
        var c7 = ColumnStart(7);
        var c8 = ColumnStart(8);
        var c9 = ColumnStart(9);

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
    private static void Store(ref ulong r, Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3, Vector256<ulong> l4) =>
        Store(ref r, 4, l0, l1, l2, l3, l4);

    /// <summary>As <see cref="Store(ref ulong, Vector256{ulong}, Vector256{ulong}, Vector256{ulong}, Vector256{ulong}, Vector256{ulong})"/>, the four elements <paramref name="stride"/> limbs apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ulong r, nuint stride, Vector256<ulong> l0, Vector256<ulong> l1, Vector256<ulong> l2, Vector256<ulong> l3, Vector256<ulong> l4)
    {
        Carry(ref l0, ref l1, ref l2, ref l3, ref l4);
        var r0 = l0 | Vector256.ShiftLeft(l1, 52);
        var r1 = Vector256.ShiftRightLogical(l1, 12) | Vector256.ShiftLeft(l2, 40);
        var r2 = Vector256.ShiftRightLogical(l2, 24) | Vector256.ShiftLeft(l3, 28);
        var r3 = Vector256.ShiftRightLogical(l3, 36) | Vector256.ShiftLeft(l4, 16);
        Avx2Transpose.Transpose(r0, r1, r2, r3, out var o0, out var o1, out var o2, out var o3);
        o0.StoreUnsafe(ref r);
        o1.StoreUnsafe(ref r, stride);
        o2.StoreUnsafe(ref r, 2 * stride);
        o3.StoreUnsafe(ref r, 3 * stride);
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
    private static void Split(ref ulong source, out Vector256<ulong> l0, out Vector256<ulong> l1, out Vector256<ulong> l2, out Vector256<ulong> l3, out Vector256<ulong> l4) =>
        Split(ref source, 4, out l0, out l1, out l2, out l3, out l4);

    /// <summary>Four elements <paramref name="stride"/> limbs apart (4: adjacent) to five 52-bit limb vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(ref ulong source, nuint stride, out Vector256<ulong> l0, out Vector256<ulong> l1, out Vector256<ulong> l2, out Vector256<ulong> l3, out Vector256<ulong> l4)
    {
        Avx2Transpose.Transpose(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, stride), Vector256.LoadUnsafe(ref source, 2 * stride),
            Vector256.LoadUnsafe(ref source, 3 * stride), out var y0, out var y1, out var y2, out var y3);
        var mask = Vector256.Create(Mask52);
        l0 = y0 & mask;
        l1 = (Vector256.ShiftRightLogical(y0, 52) | Vector256.ShiftLeft(y1, 12)) & mask;
        l2 = (Vector256.ShiftRightLogical(y1, 40) | Vector256.ShiftLeft(y2, 24)) & mask;
        l3 = (Vector256.ShiftRightLogical(y2, 28) | Vector256.ShiftLeft(y3, 36)) & mask;
        l4 = Vector256.ShiftRightLogical(y3, 16);
    }
}
