using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZkMl.Field;

/// <summary>
/// Linear combinations of base-field rows under extension-field weights (a Ligero opening's u = w^T M), kept as the two
/// coordinate rows: an extension weight times a base element is the weight's two coordinates times it, so each row
/// adds w.C0 * row to one accumulator and w.C1 * row to the other. Eight lanes with AVX-512, four with AVX2, scalar
/// elsewhere; field arithmetic is exact, so the sums equal the scalar <see cref="GoldilocksExt2"/> loop's bit for bit.
/// </summary>
public static class GoldilocksRowCombination
{
    /// <summary>accumulator0[i] += weight0 * row[i] and accumulator1[i] += weight1 * row[i].</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void AccumulateScaled(ReadOnlySpan<Goldilocks> row, Goldilocks weight0, Goldilocks weight1, Span<Goldilocks> accumulator0, Span<Goldilocks> accumulator1)
    {
        if (row.Length != accumulator0.Length || row.Length != accumulator1.Length)
            throw new ArgumentException($"Lengths differ: {row.Length}, accumulators {accumulator0.Length} and {accumulator1.Length}.");
        ref ulong x = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(row));
        ref ulong a0 = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(accumulator0));
        ref ulong a1 = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(accumulator1));
        int k = 0, n = row.Length;
        if (GoldilocksVector.IsSupported)
        {
            var w0 = Vector512.Create(weight0.Value);
            var w1 = Vector512.Create(weight1.Value);
            for (; k + GoldilocksVector.Lanes <= n; k += GoldilocksVector.Lanes)
            {
                var v = Vector512.LoadUnsafe(ref x, (nuint)k);
                GoldilocksVector.Add(Vector512.LoadUnsafe(ref a0, (nuint)k), GoldilocksVector.Mul(v, w0)).StoreUnsafe(ref a0, (nuint)k);
                GoldilocksVector.Add(Vector512.LoadUnsafe(ref a1, (nuint)k), GoldilocksVector.Mul(v, w1)).StoreUnsafe(ref a1, (nuint)k);
            }
        }
        else if (GoldilocksVector256.IsSupported)
        {
            var w0 = Vector256.Create(weight0.Value);
            var w1 = Vector256.Create(weight1.Value);
            for (; k + GoldilocksVector256.Lanes <= n; k += GoldilocksVector256.Lanes)
            {
                var v = Vector256.LoadUnsafe(ref x, (nuint)k);
                GoldilocksVector256.Add(Vector256.LoadUnsafe(ref a0, (nuint)k), GoldilocksVector256.Mul(v, w0)).StoreUnsafe(ref a0, (nuint)k);
                GoldilocksVector256.Add(Vector256.LoadUnsafe(ref a1, (nuint)k), GoldilocksVector256.Mul(v, w1)).StoreUnsafe(ref a1, (nuint)k);
            }
        }
        for (; k < n; k++)
        {
            accumulator0[k] += weight0 * row[k];
            accumulator1[k] += weight1 * row[k];
        }
    }
}
