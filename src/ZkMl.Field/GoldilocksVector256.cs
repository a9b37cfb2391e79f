using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// Goldilocks butterflies on four lanes of 64 bits (AVX2), the same arithmetic as <see cref="GoldilocksVector"/> for
/// machines without AVX-512. A lane product is assembled from four 32x32-bit
/// multiplies and reduced with 2^64 = 2^32 - 1 and 2^96 = -1 (mod p), as in <see cref="Goldilocks.Reduce128"/>;
/// every result is canonical, so lanes hold exactly what the scalar code would.
/// </summary>
internal static class GoldilocksVector256
{
    public const int Lanes = 4;
    private const ulong P = Goldilocks.P;
    private const ulong Epsilon = 0xFFFF_FFFFUL;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>AVX-512VL: comparisons are mask registers, selects masked instructions, and unsigned 64-bit min exists.</summary>
    private static bool Masked => Avx512F.VL.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Add(Vector256<ulong> a, Vector256<ulong> b)
    {
        var s = a + b;
        // Wrapped past 2^64 or reached p: subtract p (modulo 2^64 the wrapped case is the same subtraction).
        var fix = Vector256.LessThan(s, a) | Vector256.GreaterThanOrEqual(s, Vector256.Create(P));
        // With AVX-512VL a select on a comparison is one masked subtract (as GoldilocksVector); AVX2 keeps the AND.
        if (Masked) return Vector256.ConditionalSelect(fix, s - Vector256.Create(P), s);
        return s - (fix & Vector256.Create(P));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Sub(Vector256<ulong> a, Vector256<ulong> b)
    {
        var d = a - b;
        if (Masked) return Vector256.ConditionalSelect(Vector256.LessThan(a, b), d + Vector256.Create(P), d);
        return d + (Vector256.LessThan(a, b) & Vector256.Create(P));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Mul(Vector256<ulong> a, Vector256<ulong> b)
    {
        var aHi = Vector256.ShiftRightLogical(a, 32);
        var bHi = Vector256.ShiftRightLogical(b, 32);
        var ll = Avx2.Multiply(a.AsUInt32(), b.AsUInt32());
        var lh = Avx2.Multiply(a.AsUInt32(), bHi.AsUInt32());
        var hl = Avx2.Multiply(aHi.AsUInt32(), b.AsUInt32());
        var hh = Avx2.Multiply(aHi.AsUInt32(), bHi.AsUInt32());
        var low32 = Vector256.Create(Epsilon);
        var t = hl + Vector256.ShiftRightLogical(ll, 32);           // < 2^64
        var t2 = lh + (t & low32);                                   // < 2^64
        var lo = Vector256.ShiftLeft(t2, 32) | (ll & low32);
        var hi = hh + Vector256.ShiftRightLogical(t, 32) + Vector256.ShiftRightLogical(t2, 32);
        return Reduce128(hi, lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Reduce128(Vector256<ulong> hi, Vector256<ulong> lo)
    {
        var eps = Vector256.Create(Epsilon);
        var hiHi = Vector256.ShiftRightLogical(hi, 32);
        var hiLo = hi & eps;
        var t0 = lo - hiHi;                                          // lo - hiHi*2^96 (2^96 = -1)
        var t1 = Vector256.ShiftLeft(hiLo, 32) - hiLo;               // hiLo*(2^32 - 1)
        if (Masked)
        {
            t0 = Vector256.ConditionalSelect(Vector256.LessThan(lo, hiHi), t0 - eps, t0);
            var sum = t0 + t1;
            sum = Vector256.ConditionalSelect(Vector256.LessThan(sum, t1), sum + eps, sum);
            // sum - p wraps to sum + 2^32 - 1 > sum exactly when sum < p: the smaller one is sum mod p.
            return Vector256.Min(sum, sum - Vector256.Create(P));
        }
        t0 -= Vector256.LessThan(lo, hiHi) & eps;                    // borrow: -2^64 = -(2^32 - 1)
        var t2 = t0 + t1;
        t2 += Vector256.LessThan(t2, t1) & eps;                      // carry: 2^64 = 2^32 - 1
        return t2 - (Vector256.GreaterThanOrEqual(t2, Vector256.Create(P)) & Vector256.Create(P));
    }

    /// <summary>(x, y) becomes (x + w y, x - w y) for count (a multiple of 4) consecutive lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void DitRun(ref ulong x, ref ulong y, ref ulong w, int count)
    {
        for (int k = 0; k < count; k += Lanes)
        {
            var xv = Vector256.LoadUnsafe(ref x, (nuint)k);
            var v = Mul(Vector256.LoadUnsafe(ref y, (nuint)k), Vector256.LoadUnsafe(ref w, (nuint)k));
            Add(xv, v).StoreUnsafe(ref x, (nuint)k);
            Sub(xv, v).StoreUnsafe(ref y, (nuint)k);
        }
    }

    /// <summary>(x, y) becomes (x + y, (x - y) w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void DifRun(ref ulong x, ref ulong y, ref ulong w, int count)
    {
        for (int k = 0; k < count; k += Lanes)
        {
            var xv = Vector256.LoadUnsafe(ref x, (nuint)k);
            var yv = Vector256.LoadUnsafe(ref y, (nuint)k);
            Add(xv, yv).StoreUnsafe(ref x, (nuint)k);
            Mul(Sub(xv, yv), Vector256.LoadUnsafe(ref w, (nuint)k)).StoreUnsafe(ref y, (nuint)k);
        }
    }

    /// <summary>(x, y) becomes (x + y, x - y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void AddSubRun(ref ulong x, ref ulong y, int count)
    {
        for (int k = 0; k < count; k += Lanes)
        {
            var xv = Vector256.LoadUnsafe(ref x, (nuint)k);
            var yv = Vector256.LoadUnsafe(ref y, (nuint)k);
            Add(xv, yv).StoreUnsafe(ref x, (nuint)k);
            Sub(xv, yv).StoreUnsafe(ref y, (nuint)k);
        }
    }

    /// <summary>
    /// The two DIT stages with m = 1 and m = 2 on every 4-element block of <paramref name="values"/> (length a multiple
    /// of 16), four blocks at a time: a 4x4 transpose puts element j of four blocks in one vector, so these stages, whose
    /// butterflies are too short for lanes, run as whole-vector operations. <paramref name="w"/> is RootOfUnity(2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void FirstTwoDitStages(ref ulong values, int length, ulong w)
    {
        var wv = Vector256.Create(w);
        for (int k = 0; k < length; k += 4 * Lanes)
        {
            Load4x4(ref Unsafe.Add(ref values, k), out var x0, out var x1, out var x2, out var x3);
            var b0 = Add(x0, x1);
            var b1 = Sub(x0, x1);
            var b2 = Add(x2, x3);
            var t = Mul(Sub(x2, x3), wv);
            Store4x4(ref Unsafe.Add(ref values, k), Add(b0, b2), Add(b1, t), Sub(b0, b2), Sub(b1, t));
        }
    }

    /// <summary>The two DIF stages with m = 2 and m = 1, the inverse order of <see cref="FirstTwoDitStages"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void LastTwoDifStages(ref ulong values, int length, ulong w)
    {
        var wv = Vector256.Create(w);
        for (int k = 0; k < length; k += 4 * Lanes)
        {
            Load4x4(ref Unsafe.Add(ref values, k), out var x0, out var x1, out var x2, out var x3);
            var b0 = Add(x0, x2);
            var b2 = Sub(x0, x2);
            var b1 = Add(x1, x3);
            var b3 = Mul(Sub(x1, x3), wv);
            Store4x4(ref Unsafe.Add(ref values, k), Add(b0, b1), Sub(b0, b1), Add(b2, b3), Sub(b2, b3));
        }
    }

    /// <summary>Loads 16 consecutive values and transposes them: xj holds element j of each of the four 4-element blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load4x4(ref ulong source, out Vector256<ulong> x0, out Vector256<ulong> x1, out Vector256<ulong> x2, out Vector256<ulong> x3) =>
        Avx2Transpose.Transpose(Vector256.LoadUnsafe(ref source), Vector256.LoadUnsafe(ref source, 4), Vector256.LoadUnsafe(ref source, 8),
            Vector256.LoadUnsafe(ref source, 12), out x0, out x1, out x2, out x3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4x4(ref ulong destination, Vector256<ulong> x0, Vector256<ulong> x1, Vector256<ulong> x2, Vector256<ulong> x3)
    {
        Avx2Transpose.Transpose(x0, x1, x2, x3, out var v0, out var v1, out var v2, out var v3);
        v0.StoreUnsafe(ref destination);
        v1.StoreUnsafe(ref destination, 4);
        v2.StoreUnsafe(ref destination, 8);
        v3.StoreUnsafe(ref destination, 12);
    }

    /// <summary>values[i] *= factor * ratio^i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void ScaleByPowers(Span<ulong> values, Goldilocks factor, Goldilocks ratio)
    {
        Span<ulong> start = stackalloc ulong[Lanes];
        var f = factor;
        for (int i = 0; i < Lanes; i++) { start[i] = f.Value; f *= ratio; }
        var powers = Vector256.Create((ReadOnlySpan<ulong>)start);
        var step = Vector256.Create(FieldMath.Pow(ratio, Lanes).Value);
        ref ulong a = ref MemoryMarshal.GetReference(values);
        int n = values.Length, k = 0;
        for (; k + Lanes <= n; k += Lanes)
        {
            Mul(Vector256.LoadUnsafe(ref a, (nuint)k), powers).StoreUnsafe(ref a, (nuint)k);
            powers = Mul(powers, step);
        }
        Span<ulong> tail = stackalloc ulong[Lanes];
        powers.CopyTo(tail);
        for (int i = 0; k < n; k++, i++) Unsafe.Add(ref a, k) = (Goldilocks.FromCanonical(Unsafe.Add(ref a, k)) * Goldilocks.FromCanonical(tail[i])).Value;
    }
}
