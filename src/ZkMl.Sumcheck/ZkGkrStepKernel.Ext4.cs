using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

internal sealed partial class ZkGkrStepKernel
{
    /// <summary>
    /// Four extension elements per AVX-512 vector, laid out as in memory (C0, C1 of one element, then the next): the
    /// GKR's hot loops four entries at a time. The base lanes' add, subtract and product are
    /// <see cref="GoldilocksVector"/>'s (the NTT's); every result is canonical, so each
    /// element equals the scalar code's and any order of the exact sums gives the scalar sums (the same proof).
    /// An extension product a b: x = a (b0, 7 b1) = (a0 b0, 7 a1 b1), y = a (b1, b0) = (a0 b1, a1 b0) lane by lane, then
    /// (a0 b0 + 7 a1 b1, a1 b0 + a0 b1) = (x0, y1) + (y0, x1) swapped.
    /// </summary>
    internal static class Ext4
    {
        private const ulong Epsilon = 0xFFFF_FFFFUL;

        /// <summary>Whether the vector loops run (AVX-512); tests may turn them off to hold them to the scalar loops.</summary>
        internal static bool Enabled = Avx512F.IsSupported;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Load(ReadOnlySpan<GoldilocksExt2> s, int i) =>
            Vector512.LoadUnsafe(ref Unsafe.As<GoldilocksExt2, ulong>(ref MemoryMarshal.GetReference(s)), (nuint)(2 * i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Span<GoldilocksExt2> s, int i, Vector512<ulong> v) =>
            v.StoreUnsafe(ref Unsafe.As<GoldilocksExt2, ulong>(ref MemoryMarshal.GetReference(s)), (nuint)(2 * i));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Broadcast(in GoldilocksExt2 a) => Vector512.Create(Vector256.Create(Vector128.Create(a.C0.Value, a.C1.Value)));

        /// <summary>The four elements' sum.</summary>
        public static GoldilocksExt2 Sum(Vector512<ulong> v)
        {
            Span<GoldilocksExt2> four = stackalloc GoldilocksExt2[4];
            Store(four, 0, v);
            return four[0] + four[1] + four[2] + four[3];
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Add(Vector512<ulong> a, Vector512<ulong> b) => GoldilocksVector.Add(a, b);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Sub(Vector512<ulong> a, Vector512<ulong> b) => GoldilocksVector.Sub(a, b);

        /// <summary>b + (b - a): the line through a (at 0) and b (at 1), at 2.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> AtTwo(Vector512<ulong> a, Vector512<ulong> b) => Add(b, Sub(b, a));

        /// <summary>b's two forms for the three-argument Mul: (b0, 7 b1) (7 b1 congruent, below 2^64) and (b1, b0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static (Vector512<ulong> Seven, Vector512<ulong> Swapped) Prepare(Vector512<ulong> b) =>
            (Vector512.ConditionalSelect(Odd(), Times7(b), b), Swap(b));

        /// <summary>a b for b prepared by <see cref="Prepare"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Mul(Vector512<ulong> a, Vector512<ulong> seven, Vector512<ulong> swapped)
        {
            var x = MulBase(a, seven);   // (a0 b0, 7 a1 b1)
            var y = MulBase(a, swapped); // (a0 b1, a1 b0)
            var odd = Odd();
            return Add(Vector512.ConditionalSelect(odd, y, x), Swap(Vector512.ConditionalSelect(odd, x, y)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Mul(Vector512<ulong> a, Vector512<ulong> b)
        {
            var (seven, swapped) = Prepare(b);
            return Mul(a, seven, swapped);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> Odd() => Vector512.Create(0UL, ulong.MaxValue, 0UL, ulong.MaxValue, 0UL, ulong.MaxValue, 0UL, ulong.MaxValue);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> Swap(Vector512<ulong> v) => Avx512F.Shuffle(v.AsUInt32(), 0x4E).AsUInt64();

        /// <summary>A value below 2^64 congruent to 7 b: 8b - b = hi 2^64 + lo, hi &lt;= 6, and 2^64 = 2^32 - 1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> Times7(Vector512<ulong> b)
        {
            var eight = Vector512.ShiftLeft(b, 3);
            var lo = eight - b;
            // The borrow mask is all ones, i.e. -1.
            var hi = Vector512.ShiftRightLogical(b, 61) + Vector512.LessThan(eight, b);
            var wide = Vector512.ShiftLeft(hi, 32) - hi;
            var s = lo + wide;
            return s + (Vector512.LessThan(s, wide) & Vector512.Create(Epsilon));
        }

        /// <summary>Lane products reduced to canonical values (any 64-bit inputs): the NTT's lane product.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> MulBase(Vector512<ulong> a, Vector512<ulong> b) => GoldilocksVector.Mul(a, b);
    }

    // The vector loops: four entries per iteration from begin while four remain (the caller finishes the rest); each
    // adds its sums into the refs and returns where it stopped. eqLow is read four at a time: a loop's range lies in one
    // block of the low table (i & lowMask runs contiguously).

    /// <summary><see cref="SourcesAtZeroTwo"/>, four pairs at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SourcesAtZeroTwo4(ReadOnlySpan<GoldilocksExt2> o0, ReadOnlySpan<GoldilocksExt2> o1, ReadOnlySpan<GoldilocksExt2> o2, ReadOnlySpan<GoldilocksExt2> o3,
        int begin, int end, int half, GoldilocksExt2 lambda, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g0, ref GoldilocksExt2 g2)
    {
        var (l7, ls) = Ext4.Prepare(Ext4.Broadcast(lambda));
        Vector512<ulong> s0 = Vector512<ulong>.Zero, s2 = s0;
        int i = begin;
        for (; i + 4 <= end; i += 4)
        {
            Vector512<ulong> q1a = Ext4.Load(o3, i), q1b = Ext4.Load(o3, i + half);
            Vector512<ulong> pa = Ext4.Add(Ext4.Load(o1, i), Ext4.Mul(q1a, l7, ls)), pb = Ext4.Add(Ext4.Load(o1, i + half), Ext4.Mul(q1b, l7, ls));
            Vector512<ulong> p0a = Ext4.Load(o0, i), q0a = Ext4.Load(o2, i);
            var (w7, ws) = Ext4.Prepare(Ext4.Load(eqLow, i & lowMask));
            s0 = Ext4.Add(s0, Ext4.Mul(Ext4.Add(Ext4.Mul(p0a, q1a), Ext4.Mul(q0a, pa)), w7, ws));
            var two = Ext4.Add(Ext4.Mul(Ext4.AtTwo(p0a, Ext4.Load(o0, i + half)), Ext4.AtTwo(q1a, q1b)), Ext4.Mul(Ext4.AtTwo(q0a, Ext4.Load(o2, i + half)), Ext4.AtTwo(pa, pb)));
            s2 = Ext4.Add(s2, Ext4.Mul(two, w7, ws));
        }
        (g0, g2) = (g0 + Ext4.Sum(s0), g2 + Ext4.Sum(s2));
        return i;
    }

    /// <summary><see cref="ProductsAtZeroTwo"/>, four pairs at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ProductsAtZeroTwo4(ReadOnlySpan<GoldilocksExt2> p0, ReadOnlySpan<GoldilocksExt2> p1, ReadOnlySpan<GoldilocksExt2> q0, ReadOnlySpan<GoldilocksExt2> q1,
        int begin, int end, int half, ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 g0, ref GoldilocksExt2 g2)
    {
        Vector512<ulong> s0 = Vector512<ulong>.Zero, s2 = s0;
        int i = begin;
        for (; i + 4 <= end; i += 4)
        {
            Vector512<ulong> a0 = Ext4.Load(p0, i), a1 = Ext4.Load(p1, i), b0 = Ext4.Load(q0, i), b1 = Ext4.Load(q1, i);
            var (w7, ws) = Ext4.Prepare(Ext4.Load(eqLow, i & lowMask));
            s0 = Ext4.Add(s0, Ext4.Mul(Ext4.Add(Ext4.Mul(a0, b1), Ext4.Mul(b0, a1)), w7, ws));
            var two = Ext4.Add(Ext4.Mul(Ext4.AtTwo(a0, Ext4.Load(p0, i + half)), Ext4.AtTwo(b1, Ext4.Load(q1, i + half))),
                Ext4.Mul(Ext4.AtTwo(b0, Ext4.Load(q0, i + half)), Ext4.AtTwo(a1, Ext4.Load(p1, i + half))));
            s2 = Ext4.Add(s2, Ext4.Mul(two, w7, ws));
        }
        (g0, g2) = (g0 + Ext4.Sum(s0), g2 + Ext4.Sum(s2));
        return i;
    }

    /// <summary><see cref="QuotientOnly"/>, four pairs at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int QuotientOnly4(ReadOnlySpan<GoldilocksExt2> o2, Span<GoldilocksExt2> d2, bool fold, int begin, int end, int half, GoldilocksExt2 r,
        ReadOnlySpan<GoldilocksExt2> eqLow, int lowMask, ref GoldilocksExt2 sq, ref GoldilocksExt2 e0, ref GoldilocksExt2 e1)
    {
        var (r7, rs) = Ext4.Prepare(Ext4.Broadcast(r));
        Vector512<ulong> s = Vector512<ulong>.Zero, t0 = s, t1 = s;
        int i = begin;
        for (; i + 4 <= end; i += 4)
        {
            Vector512<ulong> a = Ext4.Load(o2, i), b = Ext4.Load(o2, i + half);
            if (fold)
            {
                // All four reads before the two writes (in place: d2 may be o2).
                Vector512<ulong> c = Ext4.Load(o2, i + 2 * half), e = Ext4.Load(o2, i + 3 * half);
                (a, b) = (Ext4.Add(a, Ext4.Mul(Ext4.Sub(c, a), r7, rs)), Ext4.Add(b, Ext4.Mul(Ext4.Sub(e, b), r7, rs)));
                Ext4.Store(d2, i, a);
                Ext4.Store(d2, i + half, b);
            }
            var w = Ext4.Load(eqLow, i & lowMask);
            var (w7, ws) = Ext4.Prepare(w);
            (s, t0, t1) = (Ext4.Add(s, w), Ext4.Add(t0, Ext4.Mul(a, w7, ws)), Ext4.Add(t1, Ext4.Mul(b, w7, ws)));
        }
        (sq, e0, e1) = (sq + Ext4.Sum(s), e0 + Ext4.Sum(t0), e1 + Ext4.Sum(t1));
        return i;
    }
}
