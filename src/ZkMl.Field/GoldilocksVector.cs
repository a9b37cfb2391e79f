using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>
/// Goldilocks butterflies on eight lanes of 64 bits (AVX-512). A lane product is assembled from four 32x32-bit
/// multiplies and reduced with 2^64 = 2^32 - 1 and 2^96 = -1 (mod p), as in <see cref="Goldilocks.Reduce128"/>;
/// every result is canonical, so lanes hold exactly what the scalar code would.
/// </summary>
internal static class GoldilocksVector
{
    public const int Lanes = 8;
    private const ulong P = Goldilocks.P;
    private const ulong Epsilon = 0xFFFF_FFFFUL;

    public static bool IsSupported => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Add(Vector512<ulong> a, Vector512<ulong> b)
    {
        var s = a + b;
        // Wrapped past 2^64 or reached p: subtract p (modulo 2^64 the wrapped case is the same subtraction). A select
        // on a comparison compiles to one masked subtract (no mask-to-vector move and AND).
        var fix = Vector512.LessThan(s, a) | Vector512.GreaterThanOrEqual(s, Vector512.Create(P));
        return Vector512.ConditionalSelect(fix, s - Vector512.Create(P), s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Sub(Vector512<ulong> a, Vector512<ulong> b)
    {
        var d = a - b;
        return Vector512.ConditionalSelect(Vector512.LessThan(a, b), d + Vector512.Create(P), d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Mul(Vector512<ulong> a, Vector512<ulong> b)
    {
        var aHi = Vector512.ShiftRightLogical(a, 32);
        var bHi = Vector512.ShiftRightLogical(b, 32);
        var ll = Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());
        var lh = Avx512F.Multiply(a.AsUInt32(), bHi.AsUInt32());
        var hl = Avx512F.Multiply(aHi.AsUInt32(), b.AsUInt32());
        var hh = Avx512F.Multiply(aHi.AsUInt32(), bHi.AsUInt32());
        var low32 = Vector512.Create(Epsilon);
        var t = hl + Vector512.ShiftRightLogical(ll, 32);           // < 2^64
        var t2 = lh + (t & low32);                                   // < 2^64
        var lo = Vector512.ShiftLeft(t2, 32) | (ll & low32);
        var hi = hh + Vector512.ShiftRightLogical(t, 32) + Vector512.ShiftRightLogical(t2, 32);
        return Reduce128(hi, lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Reduce128(Vector512<ulong> hi, Vector512<ulong> lo)
    {
        var eps = Vector512.Create(Epsilon);
        var hiHi = Vector512.ShiftRightLogical(hi, 32);
        var hiLo = hi & eps;
        var t0 = lo - hiHi;                                          // lo - hiHi*2^96 (2^96 = -1)
        t0 = Vector512.ConditionalSelect(Vector512.LessThan(lo, hiHi), t0 - eps, t0); // borrow: -2^64 = -(2^32 - 1)
        var t1 = Vector512.ShiftLeft(hiLo, 32) - hiLo;               // hiLo*(2^32 - 1)
        var t2 = t0 + t1;
        t2 = Vector512.ConditionalSelect(Vector512.LessThan(t2, t1), t2 + eps, t2); // carry: 2^64 = 2^32 - 1
        // t2 - p wraps to t2 + 2^32 - 1 > t2 exactly when t2 < p (no overflow then): the smaller one is t2 mod p.
        return Vector512.Min(t2, t2 - Vector512.Create(P));
    }

    /// <summary>(x, y) becomes (x + w y, x - w y) for count (a multiple of 8) consecutive lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void DitRun(ref ulong x, ref ulong y, ref ulong w, int count)
    {
        for (int k = 0; k < count; k += Lanes)
        {
            var xv = Vector512.LoadUnsafe(ref x, (nuint)k);
            var v = Mul(Vector512.LoadUnsafe(ref y, (nuint)k), Vector512.LoadUnsafe(ref w, (nuint)k));
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
            var xv = Vector512.LoadUnsafe(ref x, (nuint)k);
            var yv = Vector512.LoadUnsafe(ref y, (nuint)k);
            Add(xv, yv).StoreUnsafe(ref x, (nuint)k);
            Mul(Sub(xv, yv), Vector512.LoadUnsafe(ref w, (nuint)k)).StoreUnsafe(ref y, (nuint)k);
        }
    }

    /// <summary>(x, y) becomes (x + y, x - y).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void AddSubRun(ref ulong x, ref ulong y, int count)
    {
        for (int k = 0; k < count; k += Lanes)
        {
            var xv = Vector512.LoadUnsafe(ref x, (nuint)k);
            var yv = Vector512.LoadUnsafe(ref y, (nuint)k);
            Add(xv, yv).StoreUnsafe(ref x, (nuint)k);
            Sub(xv, yv).StoreUnsafe(ref y, (nuint)k);
        }
    }

    /// <summary>values[i] *= factor * ratio^i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void ScaleByPowers(Span<ulong> values, Goldilocks factor, Goldilocks ratio)
    {
        Span<ulong> start = stackalloc ulong[Lanes];
        var f = factor;
        for (int i = 0; i < Lanes; i++) { start[i] = f.Value; f *= ratio; }
        var powers = Vector512.Create((ReadOnlySpan<ulong>)start);
        var step = Vector512.Create(FieldMath.Pow(ratio, Lanes).Value);
        ref ulong a = ref MemoryMarshal.GetReference(values);
        int n = values.Length, k = 0;
        for (; k + Lanes <= n; k += Lanes)
        {
            Mul(Vector512.LoadUnsafe(ref a, (nuint)k), powers).StoreUnsafe(ref a, (nuint)k);
            powers = Mul(powers, step);
        }
        Span<ulong> tail = stackalloc ulong[Lanes];
        powers.CopyTo(tail);
        for (int i = 0; k < n; k++, i++) Unsafe.Add(ref a, k) = (Goldilocks.FromCanonical(Unsafe.Add(ref a, k)) * Goldilocks.FromCanonical(tail[i])).Value;
    }
}
