using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// Eight Montgomery products and whole NTT butterflies at once on AVX-512F: the same arithmetic as
/// <see cref="Fp256Vector{TConfig}"/> (five 52-bit limbs in doubles, exact limb products by two fused multiply-adds,
/// reduction rounds in radix 2^52, 2^52, 2^52, 2^52, 2^48), lane for lane, in 512-bit registers. Each lane gives
/// exactly the bits the four-lane kernel gives; AVX-512 also has the 64-bit arithmetic shift the carries need.
/// </summary>
/// <remarks>
/// The MSM's eight-lane Bn254Fq product (29-bit limbs, R = 2^261, one field) does not fit here: it would need a change of
/// Montgomery form on the way in and out of every butterfly, and it spends 171 integer multiplies a product against the
/// 110 fused multiply-adds of the 52-bit limbs.
/// </remarks>
internal static class Fp256Vector512<TConfig> where TConfig : struct, IMont256Config
{
    private const ulong Mask52 = (1UL << 52) - 1;
    private const ulong Mask48 = (1UL << 48) - 1;
    private const ulong Bits2To104 = 0x4670000000000000;   // 2^104 as a double
    private const ulong BitsMagic = 0x4338000000000000;    // 1.5 * 2^52: x + magic has the integer x in its low bits
    private const ulong Bits2To52 = 0x4330000000000000;

    /// <summary>True where AVX-512F is available (it includes the 512-bit fused multiply-add).</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    // Constants are properties of TConfig's constants (folded by the JIT), as in Fp256Vector.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> P(int k) => Vector512.Create((double)Limb(k, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> PL(int k) => Vector512.Create(Limb(k, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3));

    /// <summary>2p in 52-bit limbs, for the lazy butterflies' additions (2p &lt; 2^256).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Q(int k) =>
        Vector512.Create(Limb(k, TConfig.P0 << 1, (TConfig.P1 << 1) | (TConfig.P0 >> 63), (TConfig.P2 << 1) | (TConfig.P1 >> 63), (TConfig.P3 << 1) | (TConfig.P2 >> 63)));

    private static Vector512<double> Inverse
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.Create((double)(TConfig.Inv & Mask52)); // -p^-1 mod 2^52
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

    /// <summary>Column k's start: minus the bit-pattern offsets of the 2 Pairs(k) low and 2 Pairs(k - 1) high parts it receives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> ColumnStart(int k) => Vector512.Create(0UL - 2 * BitsMagic * Pairs(k) - 2 * Bits2To104 * Pairs(k - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Pairs(int k) => k < 0 || k > 8 ? 0UL : (ulong)(k < 5 ? k + 1 : 9 - k);

    /// <summary>Eight products: r[e] = y[e] w[e] / 2^256 mod p, canonical, for y &lt; 4p and w &lt; p. r may alias y.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Mul8(ref ulong y, ref ulong w, ref ulong r)
    {
        Split(ref y, out var a0, out var a1, out var a2, out var a3, out var a4);
        Product(a0, a1, a2, a3, a4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        ReduceBelow(ref v0, ref v1, ref v2, ref v3, ref v4, PL(0), PL(1), PL(2), PL(3), PL(4));
        Store(ref r, v0, v1, v2, v3, v4);
    }

    /// <summary>
    /// Eight DIT butterflies, each operand four element-major limbs: x in [0, 4p), y in [0, 4p), w canonical; (x, y)
    /// becomes (x + wy, x - wy + 2p) with x first reduced below 2p, both in [0, 4p).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DitButterfly8(ref ulong x, ref ulong y, ref ulong w)
    {
        Split(ref y, out var a0, out var a1, out var a2, out var a3, out var a4);
        Product(a0, a1, a2, a3, a4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        Split(ref x, out var x0, out var x1, out var x2, out var x3, out var x4);
        var q0 = Q(0);
        var q1 = Q(1);
        var q2 = Q(2);
        var q3 = Q(3);
        var q4 = Q(4);
        ReduceBelow(ref x0, ref x1, ref x2, ref x3, ref x4, q0, q1, q2, q3, q4);
        Store(ref x, x0 + v0, x1 + v1, x2 + v2, x3 + v3, x4 + v4);
        Store(ref y, x0 + q0 - v0, x1 + q1 - v1, x2 + q2 - v2, x3 + q3 - v3, x4 + q4 - v4);
    }

    /// <summary>Eight DIF butterflies: x, y in [0, 2p), w canonical; (x, y) becomes (x + y reduced below 2p, (x - y + 2p) w below 2p).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void DifButterfly8(ref ulong x, ref ulong y, ref ulong w)
    {
        Split(ref x, out var x0, out var x1, out var x2, out var x3, out var x4);
        Split(ref y, out var y0, out var y1, out var y2, out var y3, out var y4);
        var q0 = Q(0);
        var q1 = Q(1);
        var q2 = Q(2);
        var q3 = Q(3);
        var q4 = Q(4);
        var s0 = x0 + y0;
        var s1 = x1 + y1;
        var s2 = x2 + y2;
        var s3 = x3 + y3;
        var s4 = x4 + y4;
        Carry(ref s0, ref s1, ref s2, ref s3, ref s4);
        ReduceBelow(ref s0, ref s1, ref s2, ref s3, ref s4, q0, q1, q2, q3, q4);
        Store(ref x, s0, s1, s2, s3, s4);
        var d0 = x0 + q0 - y0;
        var d1 = x1 + q1 - y1;
        var d2 = x2 + q2 - y2;
        var d3 = x3 + q3 - y3;
        var d4 = x4 + q4 - y4;
        Carry(ref d0, ref d1, ref d2, ref d3, ref d4);
        Product(d0, d1, d2, d3, d4, ref w, out var v0, out var v1, out var v2, out var v3, out var v4);
        Store(ref y, v0, v1, v2, v3, v4);
    }

    /// <summary>Eight values in [0, 4p) to their canonical representatives in [0, p), in place.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Normalize8(ref ulong a)
    {
        Split(ref a, out var l0, out var l1, out var l2, out var l3, out var l4);
        ReduceBelow(ref l0, ref l1, ref l2, ref l3, ref l4, Q(0), Q(1), Q(2), Q(3), Q(4));
        ReduceBelow(ref l0, ref l1, ref l2, ref l3, ref l4, PL(0), PL(1), PL(2), PL(3), PL(4));
        Store(ref a, l0, l1, l2, l3, l4);
    }

    /// <summary>
    /// Thirty-two consecutive elements as eight groups of four (one group per lane): each group's DIT stages with m = 1
    /// (twiddle one) and m = 2 (twiddles one and w4, the fourth root of unity, eight copies at fourthRoots) in one pass.
    /// Inputs in [0, 2p), outputs in [0, 4p), as the two stages' lazy butterflies would give.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void FirstTwoDitStages32(ref ulong a, ref ulong fourthRoots)
    {
        Split(ref a, 16, out var a0, out var a1, out var a2, out var a3, out var a4);
        Split(ref Unsafe.Add(ref a, 4), 16, out var b0, out var b1, out var b2, out var b3, out var b4);
        Split(ref Unsafe.Add(ref a, 8), 16, out var c0, out var c1, out var c2, out var c3, out var c4);
        Split(ref Unsafe.Add(ref a, 12), 16, out var d0, out var d1, out var d2, out var d3, out var d4);
        var q0 = Q(0);
        var q1 = Q(1);
        var q2 = Q(2);
        var q3 = Q(3);
        var q4 = Q(4);
        // m = 1: (a, b) and (c, d) become (a + b, a - b + 2p) and (c + d, c - d + 2p), all below 4p.
        var e0 = c0 + q0 - d0;
        var e1 = c1 + q1 - d1;
        var e2 = c2 + q2 - d2;
        var e3 = c3 + q3 - d3;
        var e4 = c4 + q4 - d4;
        Carry(ref e0, ref e1, ref e2, ref e3, ref e4);
        Product(e0, e1, e2, e3, e4, ref fourthRoots, out var v0, out var v1, out var v2, out var v3, out var v4);
        (c0, c1, c2, c3, c4) = (c0 + d0, c1 + d1, c2 + d2, c3 + d3, c4 + d4);
        (d0, d1, d2, d3, d4) = (a0 + q0 - b0, a1 + q1 - b1, a2 + q2 - b2, a3 + q3 - b3, a4 + q4 - b4);
        (a0, a1, a2, a3, a4) = (a0 + b0, a1 + b1, a2 + b2, a3 + b3, a4 + b4);
        // m = 2: (a, c) with twiddle one and (a - b + 2p, w4 (c - d + 2p)), each first operand reduced below 2p.
        ReduceBelow(ref a0, ref a1, ref a2, ref a3, ref a4, q0, q1, q2, q3, q4);
        ReduceBelow(ref c0, ref c1, ref c2, ref c3, ref c4, q0, q1, q2, q3, q4);
        ReduceBelow(ref d0, ref d1, ref d2, ref d3, ref d4, q0, q1, q2, q3, q4);
        Store(ref a, 16, a0 + c0, a1 + c1, a2 + c2, a3 + c3, a4 + c4);
        Store(ref Unsafe.Add(ref a, 8), 16, a0 + q0 - c0, a1 + q1 - c1, a2 + q2 - c2, a3 + q3 - c3, a4 + q4 - c4);
        Store(ref Unsafe.Add(ref a, 4), 16, d0 + v0, d1 + v1, d2 + v2, d3 + v3, d4 + v4);
        Store(ref Unsafe.Add(ref a, 12), 16, d0 + q0 - v0, d1 + q1 - v1, d2 + q2 - v2, d3 + q3 - v3, d4 + q4 - v4);
    }

    /// <summary>
    /// The mirror of <see cref="FirstTwoDitStages32"/> for DIF: each group's stages m = 2 then m = 1, inputs in [0, 2p),
    /// outputs reduced below 2p as the unit-twiddle last stage gives them.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void LastTwoDifStages32(ref ulong a, ref ulong fourthRoots)
    {
        Split(ref a, 16, out var a0, out var a1, out var a2, out var a3, out var a4);
        Split(ref Unsafe.Add(ref a, 4), 16, out var b0, out var b1, out var b2, out var b3, out var b4);
        Split(ref Unsafe.Add(ref a, 8), 16, out var c0, out var c1, out var c2, out var c3, out var c4);
        Split(ref Unsafe.Add(ref a, 12), 16, out var d0, out var d1, out var d2, out var d3, out var d4);
        var q0 = Q(0);
        var q1 = Q(1);
        var q2 = Q(2);
        var q3 = Q(3);
        var q4 = Q(4);
        // m = 2: (a, c) become (a + c, a - c + 2p) and (b, d) become (b + d, (b - d + 2p) w4), all reduced below 2p.
        var e0 = b0 + q0 - d0;
        var e1 = b1 + q1 - d1;
        var e2 = b2 + q2 - d2;
        var e3 = b3 + q3 - d3;
        var e4 = b4 + q4 - d4;
        Carry(ref e0, ref e1, ref e2, ref e3, ref e4);
        (b0, b1, b2, b3, b4) = (b0 + d0, b1 + d1, b2 + d2, b3 + d3, b4 + d4);
        Product(e0, e1, e2, e3, e4, ref fourthRoots, out d0, out d1, out d2, out d3, out d4);
        var t0 = a0 + q0 - c0;
        var t1 = a1 + q1 - c1;
        var t2 = a2 + q2 - c2;
        var t3 = a3 + q3 - c3;
        var t4 = a4 + q4 - c4;
        (a0, a1, a2, a3, a4) = (a0 + c0, a1 + c1, a2 + c2, a3 + c3, a4 + c4);
        (c0, c1, c2, c3, c4) = (t0, t1, t2, t3, t4);
        ReduceBelow(ref a0, ref a1, ref a2, ref a3, ref a4, q0, q1, q2, q3, q4);
        ReduceBelow(ref b0, ref b1, ref b2, ref b3, ref b4, q0, q1, q2, q3, q4);
        ReduceBelow(ref c0, ref c1, ref c2, ref c3, ref c4, q0, q1, q2, q3, q4);
        // m = 1: (a + c, b + d) and (a - c, (b - d) w4), twiddle one, each output reduced below 2p.
        e0 = a0 + b0; e1 = a1 + b1; e2 = a2 + b2; e3 = a3 + b3; e4 = a4 + b4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, q0, q1, q2, q3, q4);
        Store(ref a, 16, e0, e1, e2, e3, e4);
        e0 = a0 + q0 - b0; e1 = a1 + q1 - b1; e2 = a2 + q2 - b2; e3 = a3 + q3 - b3; e4 = a4 + q4 - b4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, q0, q1, q2, q3, q4);
        Store(ref Unsafe.Add(ref a, 4), 16, e0, e1, e2, e3, e4);
        e0 = c0 + d0; e1 = c1 + d1; e2 = c2 + d2; e3 = c3 + d3; e4 = c4 + d4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, q0, q1, q2, q3, q4);
        Store(ref Unsafe.Add(ref a, 8), 16, e0, e1, e2, e3, e4);
        e0 = c0 + q0 - d0; e1 = c1 + q1 - d1; e2 = c2 + q2 - d2; e3 = c3 + q3 - d3; e4 = c4 + q4 - d4;
        ReduceBelow(ref e0, ref e1, ref e2, ref e3, ref e4, q0, q1, q2, q3, q4);
        Store(ref Unsafe.Add(ref a, 12), 16, e0, e1, e2, e3, e4);
    }

    /// <summary>v = a w / 2^256 (mod p, below 2p) for a in 52-bit limbs (value below 4p) and w eight element-major canonical values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Product(Vector512<ulong> a0, Vector512<ulong> a1, Vector512<ulong> a2, Vector512<ulong> a3, Vector512<ulong> a4,
        ref ulong w, out Vector512<ulong> v0, out Vector512<ulong> v1, out Vector512<ulong> v2, out Vector512<ulong> v3, out Vector512<ulong> v4)
    {
        Split(ref w, out var w0, out var w1, out var w2, out var w3, out var w4);
        var b0 = ToDouble(w0);
        var b1 = ToDouble(w1);
        var b2 = ToDouble(w2);
        var b3 = ToDouble(w3);
        var b4 = ToDouble(w4);
        var p0 = P(0);
        var p1 = P(1);
        var p2 = P(2);
        var p3 = P(3);
        var p4 = P(4);
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
        Row(ReductionFactor(c0, Mask52), p0, p1, p2, p3, p4, ref c0, ref c1, ref c2, ref c3, ref c4, ref c5);
        c1 += FloorShift52(c0);
        Row(ToDouble(a1), b0, b1, b2, b3, b4, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6);
        Row(ReductionFactor(c1, Mask52), p0, p1, p2, p3, p4, ref c1, ref c2, ref c3, ref c4, ref c5, ref c6);
        c2 += FloorShift52(c1);
        Row(ToDouble(a2), b0, b1, b2, b3, b4, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
        Row(ReductionFactor(c2, Mask52), p0, p1, p2, p3, p4, ref c2, ref c3, ref c4, ref c5, ref c6, ref c7);
        c3 += FloorShift52(c2);
        Row(ToDouble(a3), b0, b1, b2, b3, b4, ref c3, ref c4, ref c5, ref c6, ref c7, ref c8);
        Row(ReductionFactor(c3, Mask52), p0, p1, p2, p3, p4, ref c3, ref c4, ref c5, ref c6, ref c7, ref c8);
        c4 += FloorShift52(c3);
        Row(ToDouble(a4), b0, b1, b2, b3, b4, ref c4, ref c5, ref c6, ref c7, ref c8, ref c9);
        // The fifth round divides by 2^48 only, so the total divisor is 2^(4*52 + 48) = 2^256.
        Row(ReductionFactor(c4, Mask48), p0, p1, p2, p3, p4, ref c4, ref c5, ref c6, ref c7, ref c8, ref c9);

        var mask = Vector512.Create(Mask52);
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
        v0 = (Vector512.ShiftRightLogical(c4, 48) | Vector512.ShiftLeft(c5, 4)) & mask;
        v1 = (Vector512.ShiftRightLogical(c5, 48) | Vector512.ShiftLeft(c6, 4)) & mask;
        v2 = (Vector512.ShiftRightLogical(c6, 48) | Vector512.ShiftLeft(c7, 4)) & mask;
        v3 = (Vector512.ShiftRightLogical(c7, 48) | Vector512.ShiftLeft(c8, 4)) & mask;
        v4 = Vector512.ShiftRightLogical(c8, 48) | Vector512.ShiftLeft(c9, 4);
    }

    /// <summary>Limbs below 2^53 each (sums of two 52-bit limbs, or signed differences) carried into 52-bit limbs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Carry(ref Vector512<ulong> l0, ref Vector512<ulong> l1, ref Vector512<ulong> l2, ref Vector512<ulong> l3, ref Vector512<ulong> l4)
    {
        var mask = Vector512.Create(Mask52);
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
    private static void ReduceBelow(ref Vector512<ulong> l0, ref Vector512<ulong> l1, ref Vector512<ulong> l2, ref Vector512<ulong> l3, ref Vector512<ulong> l4,
        Vector512<ulong> m0, Vector512<ulong> m1, Vector512<ulong> m2, Vector512<ulong> m3, Vector512<ulong> m4)
    {
        var t0 = l0 - m0;
        var t1 = l1 - m1;
        var t2 = l2 - m2;
        var t3 = l3 - m3;
        var t4 = l4 - m4;
        Carry(ref t0, ref t1, ref t2, ref t3, ref t4);
        // All ones where t4 is negative (the difference is): keep the input there.
        var negative = Vector512.ShiftRightArithmetic(t4.AsInt64(), 63).AsUInt64();
        l0 = Vector512.ConditionalSelect(negative, l0, t0);
        l1 = Vector512.ConditionalSelect(negative, l1, t1);
        l2 = Vector512.ConditionalSelect(negative, l2, t2);
        l3 = Vector512.ConditionalSelect(negative, l3, t3);
        l4 = Vector512.ConditionalSelect(negative, l4, t4);
    }

    /// <summary>Eight values in 52-bit limbs (each limb below 2^53 or a signed difference, the value in [0, 2^256)) carried, packed and stored element-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ulong r, Vector512<ulong> l0, Vector512<ulong> l1, Vector512<ulong> l2, Vector512<ulong> l3, Vector512<ulong> l4)
    {
        Rows(l0, l1, l2, l3, l4, out var e01, out var e23, out var e45, out var e67);
        e01.StoreUnsafe(ref r);
        e23.StoreUnsafe(ref r, 8);
        e45.StoreUnsafe(ref r, 16);
        e67.StoreUnsafe(ref r, 24);
    }

    /// <summary>As <see cref="Store(ref ulong, Vector512{ulong}, Vector512{ulong}, Vector512{ulong}, Vector512{ulong}, Vector512{ulong})"/>, the eight elements <paramref name="stride"/> limbs apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref ulong r, nuint stride, Vector512<ulong> l0, Vector512<ulong> l1, Vector512<ulong> l2, Vector512<ulong> l3, Vector512<ulong> l4)
    {
        Rows(l0, l1, l2, l3, l4, out var e01, out var e23, out var e45, out var e67);
        e01.GetLower().StoreUnsafe(ref r);
        e01.GetUpper().StoreUnsafe(ref r, stride);
        e23.GetLower().StoreUnsafe(ref r, 2 * stride);
        e23.GetUpper().StoreUnsafe(ref r, 3 * stride);
        e45.GetLower().StoreUnsafe(ref r, 4 * stride);
        e45.GetUpper().StoreUnsafe(ref r, 5 * stride);
        e67.GetLower().StoreUnsafe(ref r, 6 * stride);
        e67.GetUpper().StoreUnsafe(ref r, 7 * stride);
    }

    /// <summary>Eight values in 52-bit limbs carried and packed into rows holding elements (0, 1), (2, 3), (4, 5), (6, 7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rows(Vector512<ulong> l0, Vector512<ulong> l1, Vector512<ulong> l2, Vector512<ulong> l3, Vector512<ulong> l4,
        out Vector512<ulong> e01, out Vector512<ulong> e23, out Vector512<ulong> e45, out Vector512<ulong> e67)
    {
        Carry(ref l0, ref l1, ref l2, ref l3, ref l4);
        var r0 = l0 | Vector512.ShiftLeft(l1, 52);
        var r1 = Vector512.ShiftRightLogical(l1, 12) | Vector512.ShiftLeft(l2, 40);
        var r2 = Vector512.ShiftRightLogical(l2, 24) | Vector512.ShiftLeft(l3, 28);
        var r3 = Vector512.ShiftRightLogical(l3, 36) | Vector512.ShiftLeft(l4, 16);
        // Limb-major (r_j = limb j of elements 0..7) to element-major: first pairs of limbs of elements 0..3 and 4..7,
        // then each row holds two whole elements.
        var t01lo = Avx512F.PermuteVar8x64x2(r0, Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11), r1);  // e0..e3 limbs 0,1
        var t01hi = Avx512F.PermuteVar8x64x2(r0, Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15), r1); // e4..e7 limbs 0,1
        var t23lo = Avx512F.PermuteVar8x64x2(r2, Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11), r3);
        var t23hi = Avx512F.PermuteVar8x64x2(r2, Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15), r3);
        var lo = Vector512.Create(0UL, 1, 8, 9, 2, 3, 10, 11);
        var hi = Vector512.Create(4UL, 5, 12, 13, 6, 7, 14, 15);
        e01 = Avx512F.PermuteVar8x64x2(t01lo, lo, t23lo);
        e23 = Avx512F.PermuteVar8x64x2(t01lo, hi, t23lo);
        e45 = Avx512F.PermuteVar8x64x2(t01hi, lo, t23hi);
        e67 = Avx512F.PermuteVar8x64x2(t01hi, hi, t23hi);
    }

    /// <summary>Eight elements' 64-bit limbs (element-major) to five 52-bit limb vectors (limb-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(ref ulong source, out Vector512<ulong> l0, out Vector512<ulong> l1, out Vector512<ulong> l2, out Vector512<ulong> l3, out Vector512<ulong> l4) =>
        SplitRows(Vector512.LoadUnsafe(ref source), Vector512.LoadUnsafe(ref source, 8), Vector512.LoadUnsafe(ref source, 16),
            Vector512.LoadUnsafe(ref source, 24), out l0, out l1, out l2, out l3, out l4);

    /// <summary>Eight elements <paramref name="stride"/> limbs apart to five 52-bit limb vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Split(ref ulong source, nuint stride, out Vector512<ulong> l0, out Vector512<ulong> l1, out Vector512<ulong> l2, out Vector512<ulong> l3, out Vector512<ulong> l4) =>
        SplitRows(Vector512.Create(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, stride)),
            Vector512.Create(Vector256.LoadUnsafe(ref source, 2 * stride), Vector256.LoadUnsafe(ref source, 3 * stride)),
            Vector512.Create(Vector256.LoadUnsafe(ref source, 4 * stride), Vector256.LoadUnsafe(ref source, 5 * stride)),
            Vector512.Create(Vector256.LoadUnsafe(ref source, 6 * stride), Vector256.LoadUnsafe(ref source, 7 * stride)),
            out l0, out l1, out l2, out l3, out l4);

    /// <summary>Rows holding elements (0, 1), (2, 3), (4, 5), (6, 7) to five 52-bit limb vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SplitRows(Vector512<ulong> v0, Vector512<ulong> v1, Vector512<ulong> v2, Vector512<ulong> v3,
        out Vector512<ulong> l0, out Vector512<ulong> l1, out Vector512<ulong> l2, out Vector512<ulong> l3, out Vector512<ulong> l4)
    {
        var even = Vector512.Create(0UL, 4, 8, 12, 1, 5, 9, 13);  // limbs 0 then 1 of two rows' four elements
        var odd = Vector512.Create(2UL, 6, 10, 14, 3, 7, 11, 15); // limbs 2 then 3
        var a01 = Avx512F.PermuteVar8x64x2(v0, even, v1);
        var a23 = Avx512F.PermuteVar8x64x2(v0, odd, v1);
        var b01 = Avx512F.PermuteVar8x64x2(v2, even, v3);
        var b23 = Avx512F.PermuteVar8x64x2(v2, odd, v3);
        var first = Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11);
        var second = Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15);
        var y0 = Avx512F.PermuteVar8x64x2(a01, first, b01);
        var y1 = Avx512F.PermuteVar8x64x2(a01, second, b01);
        var y2 = Avx512F.PermuteVar8x64x2(a23, first, b23);
        var y3 = Avx512F.PermuteVar8x64x2(a23, second, b23);
        var mask = Vector512.Create(Mask52);
        l0 = y0 & mask;
        l1 = (Vector512.ShiftRightLogical(y0, 52) | Vector512.ShiftLeft(y1, 12)) & mask;
        l2 = (Vector512.ShiftRightLogical(y1, 40) | Vector512.ShiftLeft(y2, 24)) & mask;
        l3 = (Vector512.ShiftRightLogical(y2, 28) | Vector512.ShiftLeft(y3, 36)) & mask;
        l4 = Vector512.ShiftRightLogical(y3, 16);
    }

    /// <summary>c[k..k+5] += x * (y0..y4), one exact limb product per column pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(Vector512<double> x, Vector512<double> y0, Vector512<double> y1, Vector512<double> y2, Vector512<double> y3, Vector512<double> y4,
        ref Vector512<ulong> c0, ref Vector512<ulong> c1, ref Vector512<ulong> c2, ref Vector512<ulong> c3, ref Vector512<ulong> c4, ref Vector512<ulong> c5)
    {
        Mac(x, y0, ref c0, ref c1);
        Mac(x, y1, ref c1, ref c2);
        Mac(x, y2, ref c2, ref c3);
        Mac(x, y3, ref c3, ref c4);
        Mac(x, y4, ref c4, ref c5);
    }

    /// <summary>lo += low part, hi += high part of the exact product x*y (x, y integers below 2^52), offsets pending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mac(Vector512<double> x, Vector512<double> y, ref Vector512<ulong> lo, ref Vector512<ulong> hi)
    {
        var c104 = Vector512.Create(Bits2To104).AsDouble();
        var s = Avx512F.FusedMultiplyAdd(x, y, c104);
        var l = Avx512F.FusedMultiplySubtract(x, y, s - c104) + Vector512.Create(BitsMagic).AsDouble();
        hi += s.AsUInt64();
        lo += l.AsUInt64();
    }

    /// <summary>m = -c p^-1 mod 2^bits (as a double), so that c + m p is divisible by 2^bits; see Fp256Vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ReductionFactor(Vector512<ulong> column, ulong mask)
    {
        var c = ToDouble((column + Vector512.Create(BitsMagic)) & Vector512.Create(Mask52));
        var c104 = Vector512.Create(Bits2To104).AsDouble();
        var s = Avx512F.FusedMultiplyAdd(c, Inverse, c104);
        var low = Avx512F.FusedMultiplySubtract(c, Inverse, s - c104) + Vector512.Create(BitsMagic).AsDouble();
        return ToDouble((low.AsUInt64() - Vector512.Create(BitsMagic)) & Vector512.Create(mask));
    }

    /// <summary>An integer below 2^52 as a double (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> ToDouble(Vector512<ulong> x) =>
        (x | Vector512.Create(Bits2To52)).AsDouble() - Vector512.Create(Bits2To52).AsDouble();

    /// <summary>floor(c / 2^52) for c read as a signed 64-bit integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> FloorShift52(Vector512<ulong> c) => Vector512.ShiftRightArithmetic(c.AsInt64(), 52).AsUInt64();
}
