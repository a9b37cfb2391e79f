using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Small helpers for mixing base-field and quadratic-extension arithmetic in the prover's hot loops.</summary>
internal static class Ext
{
    public static readonly GoldilocksExt2 U = new(Goldilocks.Zero, Goldilocks.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Lift(Goldilocks a) => new(a, Goldilocks.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Make(Goldilocks c0, Goldilocks c1) => new(c0, c1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Re(in GoldilocksExt2 e) => e.C0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Im(in GoldilocksExt2 e) => e.C1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 MulBase(in GoldilocksExt2 e, Goldilocks b) => new(e.C0 * b, e.C1 * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 AddBase(in GoldilocksExt2 e, Goldilocks b) => new(e.C0 + b, e.C1);

    public static GoldilocksExt2 Pow(GoldilocksExt2 a, ulong e)
    {
        var r = GoldilocksExt2.One;
        while (e > 0)
        {
            if ((e & 1) != 0) r *= a;
            a = GoldilocksExt2.Square(a);
            e >>= 1;
        }
        return r;
    }

    public static Goldilocks Pow(Goldilocks a, ulong e)
    {
        var r = Goldilocks.One;
        while (e > 0)
        {
            if ((e & 1) != 0) r *= a;
            a = Goldilocks.Square(a);
            e >>= 1;
        }
        return r;
    }

    /// <summary>Montgomery's batch inversion; every input must be non-zero.</summary>
    public static void BatchInverse(Span<GoldilocksExt2> values)
    {
        if (values.Length == 0) return;
        var prefix = new GoldilocksExt2[values.Length];
        var acc = GoldilocksExt2.One;
        for (int i = 0; i < values.Length; i++) { prefix[i] = acc; acc *= values[i]; }
        var inv = GoldilocksExt2.Inverse(acc);
        for (int i = values.Length - 1; i >= 0; i--)
        {
            var v = values[i];
            values[i] = inv * prefix[i];
            inv *= v;
        }
    }

    /// <summary>Montgomery's batch inversion; every input must be non-zero.</summary>
    public static void BatchInverse(Span<Goldilocks> values)
    {
        if (values.Length == 0) return;
        var prefix = new Goldilocks[values.Length];
        var acc = Goldilocks.One;
        for (int i = 0; i < values.Length; i++) { prefix[i] = acc; acc *= values[i]; }
        var inv = Goldilocks.Inverse(acc);
        for (int i = values.Length - 1; i >= 0; i--)
        {
            var v = values[i];
            values[i] = inv * prefix[i];
            inv *= v;
        }
    }

    /// <summary>Batch inversion split over chunks that run in parallel.</summary>
    public static void BatchInverseParallel(GoldilocksExt2[] values)
    {
        int chunk = Math.Max(1 << 14, values.Length / (4 * Environment.ProcessorCount) + 1);
        int chunks = (values.Length + chunk - 1) / chunk;
        Parallel.For(0, chunks, c =>
        {
            int start = c * chunk, len = Math.Min(chunk, values.Length - start);
            BatchInverse(values.AsSpan(start, len));
        });
    }

    /// <summary>Horner evaluation of a base-field polynomial at an extension point.</summary>
    public static GoldilocksExt2 EvaluateAt(ReadOnlySpan<Goldilocks> coefficients, GoldilocksExt2 x)
    {
        var acc = GoldilocksExt2.Zero;
        for (int i = coefficients.Length - 1; i >= 0; i--) acc = AddBase(acc * x, coefficients[i]);
        return acc;
    }

    /// <summary>Horner evaluation of an extension-field polynomial at an extension point.</summary>
    public static GoldilocksExt2 EvaluateAt(ReadOnlySpan<GoldilocksExt2> coefficients, GoldilocksExt2 x)
    {
        var acc = GoldilocksExt2.Zero;
        for (int i = coefficients.Length - 1; i >= 0; i--) acc = acc * x + coefficients[i];
        return acc;
    }

    /// <summary>The canonical representative of a base-field element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ToUInt64(Goldilocks a)
    {
        Span<byte> b = stackalloc byte[8];
        a.WriteBytes(b);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    public static void Write(Span<byte> destination, in GoldilocksExt2 e)
    {
        e.C0.WriteBytes(destination);
        e.C1.WriteBytes(destination[8..]);
    }
}
