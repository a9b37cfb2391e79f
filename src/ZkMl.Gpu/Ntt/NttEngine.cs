using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ZkMl.Field;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Gpu.Ntt;

/// <summary>
/// Runs batched NTTs for the field <typeparamref name="T"/> whose in-memory layout equals the device element
/// <typeparamref name="TElement"/> (the same limbs, the same Montgomery form), so host spans are copied to the device
/// without conversion. Twiddle tables stay in device memory per size; a work buffer is reused across calls.
/// </summary>
internal sealed class NttEngine<T, TElement, TField> : IDisposable
    where T : struct, ITwoAdicField<T>
    where TElement : unmanaged
    where TField : struct, IKernelField<TElement>
{
    private readonly GpuContext gpu;
    private readonly Accelerator accelerator;
    private readonly Action<Index1D, ArrayView<TElement>, int> bitReverse;
    private readonly Action<Index1D, ArrayView<TElement>, ArrayView<TElement>, int, int> butterfly;
    private readonly Action<Index1D, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, int, int> scaleByPowers;
    private readonly Action<Index1D, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, int> powerTable;
    private readonly Dictionary<(int LogN, bool Inverse), MemoryBuffer1D<TElement, Stride1D.Dense>> twiddles = new();
    private readonly object sync = new();
    private MemoryBuffer1D<TElement, Stride1D.Dense>? work;

    public NttEngine(GpuContext gpu)
    {
        if (Unsafe.SizeOf<T>() != Unsafe.SizeOf<TElement>())
            throw new InvalidOperationException($"{typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes) does not match the device layout {typeof(TElement).Name} ({Unsafe.SizeOf<TElement>()} bytes).");
        this.gpu = gpu;
        accelerator = gpu.Accelerator;
        bitReverse = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TElement>, int>(NttKernels.BitReverse);
        butterfly = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TElement>, ArrayView<TElement>, int, int>(NttKernels.Butterfly<TElement, TField>);
        scaleByPowers = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, int, int>(NttKernels.ScaleByPowers<TElement, TField>);
        powerTable = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<TElement>, ArrayView<TElement>, ArrayView<TElement>, int>(NttKernels.PowerTable<TElement, TField>);
    }

    /// <summary>Largest transform the device supports (one column must fit the memory budget and Index1D).</summary>
    private int MaxColumnsPerChunk(int logN)
    {
        long columnBytes = (1L << logN) * Unsafe.SizeOf<TElement>();
        long budget = gpu.MemoryBudgetBytes - TwiddleBytes(logN);
        long byBudget = budget / columnBytes;
        long byIndex = int.MaxValue / (1L << logN);
        return (int)Math.Min(byBudget, byIndex);
    }

    private static long TwiddleBytes(int logN) => logN == 0 ? 0 : 2 * (1L << (logN - 1)) * Unsafe.SizeOf<TElement>();

    /// <summary>True when a column of length 2^logN fits on the device.</summary>
    public bool Fits(int logN) => logN <= T.TwoAdicity && MaxColumnsPerChunk(logN) >= 1;

    /// <summary>
    /// Transforms <paramref name="values"/> (columns of length 2^logN, back to back) in place.
    /// Forward: optional coset scaling by shift^j, then the NTT. Inverse: the inverse NTT, then scaling by
    /// n^-1 * shift^-j. Columns are processed in chunks that fit the memory budget.
    /// </summary>
    public void Transform(Span<T> values, int logN, bool inverse, T? shift)
    {
        long n = 1L << logN;
        int columns = (int)(values.Length / n);
        int perChunk = MaxColumnsPerChunk(logN);
        if (perChunk < 1)
            throw new InvalidOperationException($"An NTT of length 2^{logN} does not fit the device memory budget ({gpu.MemoryBudgetBytes} bytes).");
        lock (sync)
        {
            for (int start = 0; start < columns; start += perChunk)
            {
                int count = Math.Min(perChunk, columns - start);
                TransformChunk(values.Slice((int)(start * n), (int)(count * n)), logN, count, inverse, shift);
            }
        }
    }

    private void TransformChunk(Span<T> values, int logN, int columns, bool inverse, T? shift)
    {
        long total = values.Length;
        if (work is null || work.Length < total)
        {
            work?.Dispose();
            work = accelerator.Allocate1D<TElement>(total);
        }
        ArrayView<TElement> data = work.View.SubView(0, total);
        Span<TElement> raw = MemoryMarshal.Cast<T, TElement>(values);
        data.CopyFromCPU(raw);
        if (logN > 0)
        {
            if (!inverse && shift is T s)
                Scale(data, logN, T.One, s);
            bitReverse((int)total, data, logN);
            ArrayView<TElement> tw = Twiddles(logN, inverse);
            for (int stage = 0; stage < logN; stage++)
                butterfly((int)(total / 2), data, tw, logN, stage);
            if (inverse)
            {
                T nInv = T.Inverse(T.FromUInt64(1UL << logN));
                Scale(data, logN, nInv, shift is T s2 ? T.Inverse(s2) : T.One);
            }
        }
        accelerator.Synchronize();
        data.CopyToCPU(raw);
    }

    /// <summary>data[column][j] *= c * s^j via two tables of about sqrt(n) powers each.</summary>
    private void Scale(ArrayView<TElement> data, int logN, T c, T s)
    {
        int logLow = (logN + 1) / 2;
        var (low, high) = PowerTables(c, s, logLow, logN - logLow);
        using (low)
        using (high)
        {
            scaleByPowers((int)data.Length, data, low.View, high.View, logLow, logN);
            accelerator.Synchronize();
        }
    }

    /// <summary>low[k] = c*s^k (k &lt; 2^logLow), high[m] = s^(m*2^logLow) (m &lt; 2^logHigh), on the device.</summary>
    private (MemoryBuffer1D<TElement, Stride1D.Dense> Low, MemoryBuffer1D<TElement, Stride1D.Dense> High) PowerTables(T c, T s, int logLow, int logHigh)
    {
        var low = new T[1 << logLow];
        T acc = c;
        for (int k = 0; k < low.Length; k++) { low[k] = acc; acc *= s; }
        T step = T.One;
        T sPow = s;
        for (int b = 0; b < logLow; b++) sPow = T.Square(sPow);
        var high = new T[1 << logHigh];
        for (int m = 0; m < high.Length; m++) { high[m] = step; step *= sPow; }
        var lowBuffer = accelerator.Allocate1D<TElement>(low.Length);
        var highBuffer = accelerator.Allocate1D<TElement>(high.Length);
        ((ArrayView<TElement>)lowBuffer.View).CopyFromCPU(MemoryMarshal.Cast<T, TElement>(low.AsSpan()));
        ((ArrayView<TElement>)highBuffer.View).CopyFromCPU(MemoryMarshal.Cast<T, TElement>(high.AsSpan()));
        return (lowBuffer, highBuffer);
    }

    private ArrayView<TElement> Twiddles(int logN, bool inverse)
    {
        if (!twiddles.TryGetValue((logN, inverse), out var buffer))
        {
            T w = T.RootOfUnity(logN);
            if (inverse) w = T.Inverse(w);
            int halfLog = logN - 1;
            int logLow = (halfLog + 1) / 2;
            var (low, high) = PowerTables(T.One, w, logLow, halfLog - logLow);
            buffer = accelerator.Allocate1D<TElement>(1L << halfLog);
            using (low)
            using (high)
            {
                powerTable((int)buffer.Length, buffer.View, low.View, high.View, logLow);
                accelerator.Synchronize();
            }
            twiddles[(logN, inverse)] = buffer;
        }
        return buffer.View;
    }

    public void Dispose()
    {
        lock (sync)
        {
            foreach (var buffer in twiddles.Values) buffer.Dispose();
            twiddles.Clear();
            work?.Dispose();
            work = null;
        }
    }
}
