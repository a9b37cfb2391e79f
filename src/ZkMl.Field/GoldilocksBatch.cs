using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZkMl.Field;

/// <summary>
/// Element-wise Goldilocks arithmetic over spans, four lanes at a time where AVX2 is available (a scalar loop
/// elsewhere and for the tail). Results are bit-identical to the scalar <see cref="Goldilocks"/> operations; a
/// single multiply is latency-bound, so batches are where vector lanes pay.
/// </summary>
public static class GoldilocksBatch
{
    /// <summary>destination[i] = a[i] * b[i]. The destination may be one of the inputs.</summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public static void Multiply(ReadOnlySpan<Goldilocks> a, ReadOnlySpan<Goldilocks> b, Span<Goldilocks> destination)
    {
        if (a.Length != b.Length || a.Length != destination.Length)
            throw new ArgumentException($"Lengths differ: {a.Length}, {b.Length} and destination {destination.Length}.");
        ref ulong x = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(a));
        ref ulong y = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(b));
        ref ulong d = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(destination));
        int k = 0;
        if (GoldilocksVector256.IsSupported)
            for (; k + GoldilocksVector256.Lanes <= a.Length; k += GoldilocksVector256.Lanes)
                GoldilocksVector256.Mul(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref y, (nuint)k)).StoreUnsafe(ref d, (nuint)k);
        for (; k < a.Length; k++) destination[k] = a[k] * b[k];
    }

    /// <summary>destination[i] = a[i] * factor. The destination may be the input.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Scale(ReadOnlySpan<Goldilocks> a, Goldilocks factor, Span<Goldilocks> destination)
    {
        if (a.Length != destination.Length)
            throw new ArgumentException($"Lengths differ: {a.Length} and destination {destination.Length}.");
        ref ulong x = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(a));
        ref ulong d = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(destination));
        int k = 0;
        if (GoldilocksVector256.IsSupported)
        {
            var f = Vector256.Create(factor.Value);
            for (; k + GoldilocksVector256.Lanes <= a.Length; k += GoldilocksVector256.Lanes)
                GoldilocksVector256.Mul(Vector256.LoadUnsafe(ref x, (nuint)k), f).StoreUnsafe(ref d, (nuint)k);
        }
        for (; k < a.Length; k++) destination[k] = a[k] * factor;
    }

    /// <summary>accumulator[i] += a[i] * b[i].</summary>
    /// <exception cref="ArgumentException">The three spans differ in length.</exception>
    public static void MultiplyAdd(ReadOnlySpan<Goldilocks> a, ReadOnlySpan<Goldilocks> b, Span<Goldilocks> accumulator)
    {
        if (a.Length != b.Length || a.Length != accumulator.Length)
            throw new ArgumentException($"Lengths differ: {a.Length}, {b.Length} and accumulator {accumulator.Length}.");
        ref ulong x = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(a));
        ref ulong y = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(b));
        ref ulong acc = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(accumulator));
        int k = 0;
        if (GoldilocksVector256.IsSupported)
            for (; k + GoldilocksVector256.Lanes <= a.Length; k += GoldilocksVector256.Lanes)
            {
                var product = GoldilocksVector256.Mul(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref y, (nuint)k));
                GoldilocksVector256.Add(Vector256.LoadUnsafe(ref acc, (nuint)k), product).StoreUnsafe(ref acc, (nuint)k);
            }
        for (; k < a.Length; k++) accumulator[k] += a[k] * b[k];
    }

    /// <summary>The sum of a[i] * b[i].</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static Goldilocks InnerProduct(ReadOnlySpan<Goldilocks> a, ReadOnlySpan<Goldilocks> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        ref ulong x = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(a));
        ref ulong y = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetReference(b));
        Goldilocks sum = Goldilocks.Zero;
        int k = 0;
        if (GoldilocksVector256.IsSupported && a.Length >= GoldilocksVector256.Lanes)
        {
            var lanes = Vector256<ulong>.Zero;
            for (; k + GoldilocksVector256.Lanes <= a.Length; k += GoldilocksVector256.Lanes)
                lanes = GoldilocksVector256.Add(lanes, GoldilocksVector256.Mul(Vector256.LoadUnsafe(ref x, (nuint)k), Vector256.LoadUnsafe(ref y, (nuint)k)));
            for (int l = 0; l < GoldilocksVector256.Lanes; l++) sum += Goldilocks.FromCanonical(lanes[l]);
        }
        for (; k < a.Length; k++) sum += a[k] * b[k];
        return sum;
    }
}
