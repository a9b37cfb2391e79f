using ILGPU;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Gpu.Ntt;

/// <summary>
/// Radix-2 NTT kernels over batches of columns. A batch is <c>columns</c> contiguous columns of length 2^logN;
/// one launch index covers every column, so one kernel call serves the whole batch.
/// </summary>
internal static class NttKernels
{
    /// <summary>Swaps each pair (j, bitreverse(j)) once, per column.</summary>
    public static void BitReverse<TElement>(Index1D index, ArrayView<TElement> values, int logN)
        where TElement : unmanaged
    {
        long n = 1L << logN;
        long column = index.X >> logN;
        int j = (int)(index.X & (n - 1));
        int r = 0;
        int x = j;
        for (int b = 0; b < logN; b++)
        {
            r = (r << 1) | (x & 1);
            x >>= 1;
        }
        if (j < r)
        {
            long a = column * n + j, c = column * n + r;
            TElement t = values[a];
            values[a] = values[c];
            values[c] = t;
        }
    }

    /// <summary>
    /// One decimation-in-time stage on bit-reversed input: butterflies of half-size 2^stage.
    /// <paramref name="twiddles"/> holds w^k for k &lt; n/2 (w the n-th root used by the transform).
    /// </summary>
    public static void Butterfly<TElement, TField>(Index1D index, ArrayView<TElement> values, ArrayView<TElement> twiddles, int logN, int stage)
        where TElement : unmanaged
        where TField : struct, IKernelField<TElement>
    {
        TField f = default;
        long n = 1L << logN;
        int halfLog = logN - 1;
        long column = index.X >> halfLog;
        int k = index.X & ((1 << halfLog) - 1);
        int half = 1 << stage;
        int group = k >> stage;
        int pos = k & (half - 1);
        long i0 = column * n + ((long)group << (stage + 1)) + pos;
        long i1 = i0 + half;
        TElement w = twiddles[pos << (halfLog - stage)];
        TElement u = values[i0];
        TElement v = f.Mul(values[i1], w);
        values[i0] = f.Add(u, v);
        values[i1] = f.Sub(u, v);
    }

    /// <summary>
    /// values[column][j] *= low[j mod 2^logLow] * high[j &gt;&gt; logLow]: multiplies by c*s^j from two small tables
    /// (low[k] = c*s^k, high[m] = s^(m*2^logLow)) instead of n host-side powers.
    /// </summary>
    public static void ScaleByPowers<TElement, TField>(Index1D index, ArrayView<TElement> values, ArrayView<TElement> low, ArrayView<TElement> high, int logLow, int logN)
        where TElement : unmanaged
        where TField : struct, IKernelField<TElement>
    {
        TField f = default;
        int j = (int)(index.X & ((1L << logN) - 1));
        TElement factor = f.Mul(low[j & ((1 << logLow) - 1)], high[j >> logLow]);
        values[index] = f.Mul(values[index], factor);
    }

    /// <summary>output[j] = low[j mod 2^logLow] * high[j &gt;&gt; logLow] (twiddle tables built on the device).</summary>
    public static void PowerTable<TElement, TField>(Index1D index, ArrayView<TElement> output, ArrayView<TElement> low, ArrayView<TElement> high, int logLow)
        where TElement : unmanaged
        where TField : struct, IKernelField<TElement>
    {
        TField f = default;
        int j = index.X;
        output[index] = f.Mul(low[j & ((1 << logLow) - 1)], high[j >> logLow]);
    }
}
