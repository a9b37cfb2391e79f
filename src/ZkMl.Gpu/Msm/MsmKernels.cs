using ILGPU;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Gpu.Msm;

/// <summary>
/// Bucket-method (Pippenger) MSM kernels for BN254 G1. Scalars are cut into windows of c bits; each nonzero digit
/// of each point adds the point to bucket (window, digit). Points are grouped by bucket with a counting sort
/// (histogram with atomics, exclusive scan, scatter), one thread sums each bucket, and segments of each window's
/// buckets are reduced to sum_d d*B_d. Every kernel is a grid-stride loop (thread index i handles i, i + stride, ...)
/// so the launch width can be tuned per backend. The bucket offsets come from a two-level scan (block sums, a
/// one-thread scan of the block sums, block-local prefixes): ILGPU.Algorithms' scan and radix sort were measured
/// at seconds per call on ILGPU's CPU accelerator for a few thousand elements.
/// </summary>
internal static class MsmKernels<TFq> where TFq : struct, IKernelField<U256>
{
    /// <summary>Montgomery-form scalars to canonical integers, in place.</summary>
    public static void ScalarsFromMontgomery(Index1D index, ArrayView<U256> scalars, int total, int stride)
    {
        for (int i = index.X; i < total; i += stride)
            scalars[i] = FrKernelOps.FromMontgomery(scalars[i]);
    }

    private static ulong Limb(U256 v, int i) => i switch { 0 => v.L0, 1 => v.L1, 2 => v.L2, 3 => v.L3, _ => 0UL };

    /// <summary>Bucket key (w &lt;&lt; c) | digit for pair index w*n + i, or -1 when the digit is 0 or the base is infinity.</summary>
    private static int Key(ArrayView<U256> scalars, ArrayView<DeviceAffine> bases, int pair, int n, int c)
    {
        int w = pair / n;
        int i = pair - w * n;
        U256 s = scalars[i];
        int bit = w * c;
        int limb = bit >> 6;
        int shift = bit & 63;
        ulong digit = Limb(s, limb) >> shift;
        if (shift + c > 64 && limb < 3) digit |= Limb(s, limb + 1) << (64 - shift);
        digit &= (1UL << c) - 1;
        if (digit == 0 || bases[i].IsInfinity) return -1;
        return (w << c) | (int)digit;
    }

    /// <summary>Computes every pair's bucket key and counts the pairs per bucket.</summary>
    public static void CountBuckets(Index1D index, ArrayView<U256> scalars, ArrayView<DeviceAffine> bases, ArrayView<int> keys, ArrayView<int> counts, int n, int c, int total, int stride)
    {
        for (int pair = index.X; pair < total; pair += stride)
        {
            int key = Key(scalars, bases, pair, n, c);
            keys[pair] = key;
            if (key >= 0) Atomic.Add(ref counts[key], 1);
        }
    }

    public const int ScanBlock = 1024;

    /// <summary>blockSums[b] = sum of counts over block b.</summary>
    public static void BlockSums(Index1D index, ArrayView<int> counts, ArrayView<int> blockSums, int total, int stride, int blocks)
    {
        for (int b = index.X; b < blocks; b += stride)
        {
            int end = Math.Min(total, (b + 1) * ScanBlock);
            int sum = 0;
            for (int j = b * ScanBlock; j < end; j++) sum += counts[j];
            blockSums[b] = sum;
        }
    }

    /// <summary>Exclusive scan of the block sums in place (one thread; there are at most a few thousand blocks).</summary>
    public static void ScanBlockSums(Index1D index, ArrayView<int> blockSums, int blocks)
    {
        if (index.X != 0) return;
        int running = 0;
        for (int b = 0; b < blocks; b++)
        {
            int v = blockSums[b];
            blockSums[b] = running;
            running += v;
        }
    }

    /// <summary>offsets = exclusive prefix sums of counts; cursors = a copy for the scatter.</summary>
    public static void BlockPrefixes(Index1D index, ArrayView<int> counts, ArrayView<int> blockSums, ArrayView<int> offsets, ArrayView<int> cursors, int total, int stride, int blocks)
    {
        for (int b = index.X; b < blocks; b += stride)
        {
            int end = Math.Min(total, (b + 1) * ScanBlock);
            int running = blockSums[b];
            for (int j = b * ScanBlock; j < end; j++)
            {
                offsets[j] = running;
                cursors[j] = running;
                running += counts[j];
            }
        }
    }

    /// <summary>Places each pair's point index into its bucket's run; <paramref name="cursors"/> starts as the scanned offsets.</summary>
    public static void ScatterPoints(Index1D index, ArrayView<int> keys, ArrayView<int> cursors, ArrayView<int> points, int n, int total, int stride)
    {
        for (int pair = index.X; pair < total; pair += stride)
        {
            int key = keys[pair];
            if (key < 0) continue;
            int slot = Atomic.Add(ref cursors[key], 1);
            points[slot] = pair % n;
        }
    }

    /// <summary>One thread per bucket: sums the bases of its run.</summary>
    public static void AccumulateBuckets(Index1D index, ArrayView<int> points, ArrayView<int> offsets, ArrayView<int> counts, ArrayView<DeviceAffine> bases, ArrayView<DeviceJacobian> buckets, int total, int stride)
    {
        for (int bucket = index.X; bucket < total; bucket += stride)
        {
            DeviceJacobian acc = DeviceJacobian.Infinity;
            int start = offsets[bucket];
            int end = start + counts[bucket];
            for (int j = start; j < end; j++)
                acc = G1Kernel<TFq>.AddMixed(acc, bases[points[j]]);
            buckets[bucket] = acc;
        }
    }

    /// <summary>
    /// One thread per (window, segment of 2^logSegment digits): sum over the segment of d*B_d, computed as a running
    /// sum from the top (sum (d - lo + 1) B_d) plus (lo - 1) times the plain sum.
    /// </summary>
    public static void ReduceSegments(Index1D index, ArrayView<DeviceJacobian> buckets, ArrayView<DeviceJacobian> segmentSums, int c, int logSegment, int total, int stride)
    {
        int segmentsPerWindow = 1 << (c - logSegment);
        for (int item = index.X; item < total; item += stride)
        {
            int w = item / segmentsPerWindow;
            int seg = item - w * segmentsPerWindow;
            int lo = seg << logSegment;
            int hi = lo + (1 << logSegment);
            if (lo == 0) lo = 1;
            int baseIndex = w << c;
            DeviceJacobian running = DeviceJacobian.Infinity;
            DeviceJacobian acc = DeviceJacobian.Infinity;
            for (int d = hi - 1; d >= lo; d--)
            {
                running = G1Kernel<TFq>.Add(running, buckets[baseIndex + d]);
                acc = G1Kernel<TFq>.Add(acc, running);
            }
            segmentSums[item] = G1Kernel<TFq>.Add(acc, G1Kernel<TFq>.MulSmall(running, lo - 1));
        }
    }

    /// <summary>One thread per window: adds its segment sums.</summary>
    public static void SumWindows(Index1D index, ArrayView<DeviceJacobian> segmentSums, ArrayView<DeviceJacobian> windowSums, int segmentsPerWindow, int total, int stride)
    {
        for (int w = index.X; w < total; w += stride)
        {
            DeviceJacobian acc = DeviceJacobian.Infinity;
            int start = w * segmentsPerWindow;
            for (int s = 0; s < segmentsPerWindow; s++)
                acc = G1Kernel<TFq>.Add(acc, segmentSums[start + s]);
            windowSums[w] = acc;
        }
    }
}
