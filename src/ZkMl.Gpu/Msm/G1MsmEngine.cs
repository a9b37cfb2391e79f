using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ZkMl.Field;
using ZkMl.Gpu.Kernels;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Gpu.Msm;

/// <summary>
/// Runs the bucket-method G1 MSM (<see cref="MsmKernels{TFq}"/>) on one chunk of points whose bases are already on the device. Scratch buffers
/// grow on demand and are reused; calls are serialised (one accelerator stream).
/// </summary>
internal sealed class G1MsmEngine : IDisposable
{
    private const int ScalarBits = 254;

    private readonly GpuContext gpu;
    private readonly Accelerator accelerator;
    private readonly Action<Index1D, ArrayView<U256>, int, int> scalarsFromMontgomery;
    private readonly Action<Index1D, ArrayView<U256>, ArrayView<DeviceAffine>, ArrayView<int>, ArrayView<int>, int, int, int, int> countBuckets;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, int, int, int> blockSums;
    private readonly Action<Index1D, ArrayView<int>, int> scanBlockSums;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> blockPrefixes;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> scatterPoints;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<DeviceAffine>, ArrayView<DeviceJacobian>, int, int> accumulateBuckets;
    private readonly Action<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int, int> reduceSegments;
    private readonly Action<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int> sumWindows;
    private readonly Dictionary<string, MemoryBuffer> scratch = new();

    public G1MsmEngine(GpuContext gpu)
    {
        this.gpu = gpu;
        accelerator = gpu.Accelerator;
        if (gpu.Kind == AcceleratorKind.Cuda)
            Load<FqKernelOps>(out scalarsFromMontgomery, out countBuckets, out blockSums, out scanBlockSums, out blockPrefixes, out scatterPoints, out accumulateBuckets, out reduceSegments, out sumWindows);
        else
            Load<FqKernelOpsOutlined>(out scalarsFromMontgomery, out countBuckets, out blockSums, out scanBlockSums, out blockPrefixes, out scatterPoints, out accumulateBuckets, out reduceSegments, out sumWindows);
    }

    private void Load<TFq>(
        out Action<Index1D, ArrayView<U256>, int, int> scalarsFromMontgomery,
        out Action<Index1D, ArrayView<U256>, ArrayView<DeviceAffine>, ArrayView<int>, ArrayView<int>, int, int, int, int> countBuckets,
        out Action<Index1D, ArrayView<int>, ArrayView<int>, int, int, int> blockSums,
        out Action<Index1D, ArrayView<int>, int> scanBlockSums,
        out Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> blockPrefixes,
        out Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int> scatterPoints,
        out Action<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<DeviceAffine>, ArrayView<DeviceJacobian>, int, int> accumulateBuckets,
        out Action<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int, int> reduceSegments,
        out Action<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int> sumWindows)
        where TFq : struct, IKernelField<U256>
    {
        scalarsFromMontgomery = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<U256>, int, int>(MsmKernels<TFq>.ScalarsFromMontgomery);
        countBuckets = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<U256>, ArrayView<DeviceAffine>, ArrayView<int>, ArrayView<int>, int, int, int, int>(MsmKernels<TFq>.CountBuckets);
        blockSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, int, int, int>(MsmKernels<TFq>.BlockSums);
        scanBlockSums = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, int>(MsmKernels<TFq>.ScanBlockSums);
        blockPrefixes = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int>(MsmKernels<TFq>.BlockPrefixes);
        scatterPoints = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, int, int, int>(MsmKernels<TFq>.ScatterPoints);
        accumulateBuckets = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<DeviceAffine>, ArrayView<DeviceJacobian>, int, int>(MsmKernels<TFq>.AccumulateBuckets);
        reduceSegments = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int, int>(MsmKernels<TFq>.ReduceSegments);
        sumWindows = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<DeviceJacobian>, ArrayView<DeviceJacobian>, int, int, int>(MsmKernels<TFq>.SumWindows);
    }

    /// <summary>Window width in bits for n points (wider windows amortise better on large inputs).</summary>
    public static int WindowBits(int n) => Math.Clamp(BitMath.CeilingLog2(n) - 4, 4, 16);

    private static int Windows(int c) => (ScalarBits + c - 1) / c;

    /// <summary>Device bytes one chunk of n points needs besides its bases (upper estimate).</summary>
    public long ScratchBytes(int n)
    {
        int c = WindowBits(n);
        long pairs = (long)Windows(c) * n;
        long bucketCount = (long)Windows(c) << c;
        long buckets = bucketCount * (Marshal.SizeOf<DeviceJacobian>() + 12);
        return 32L * n + 8 * pairs + buckets + (1L << 20);
    }

    /// <summary>Largest chunk (points) whose scratch plus, if <paramref name="includeBases"/>, bases fit the budget.</summary>
    public int MaxChunk(long budget, bool includeBases)
    {
        int n = 1 << 26;
        while (n > 1 && ScratchBytes(n) + (includeBases ? (long)n * Marshal.SizeOf<DeviceAffine>() : 0) > budget) n >>= 1;
        return n;
    }

    private ArrayView<T> Scratch<T>(string name, long length) where T : unmanaged
    {
        if (scratch.TryGetValue(name, out MemoryBuffer? buffer) && buffer is MemoryBuffer1D<T, Stride1D.Dense> typed && typed.Length >= length)
            return typed.View.SubView(0, length);
        buffer?.Dispose();
        var fresh = accelerator.Allocate1D<T>(Math.Max(length, 1));
        scratch[name] = fresh;
        return fresh.View.SubView(0, length);
    }

    /// <summary>sum scalars[i] * bases[i] over one chunk; <paramref name="bases"/> already on the device.</summary>
    public G1Projective Compute(ArrayView<DeviceAffine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        int n = scalars.Length;
        if (n == 0) return G1Projective.Infinity;
        int c = WindowBits(n);
        int windows = Windows(c);
        int pairs = checked(windows * n);
        int bucketCount = windows << c;
        int logSegment = (c + 1) / 2;
        int segmentsPerWindow = 1 << (c - logSegment);

        ArrayView<U256> deviceScalars = Scratch<U256>("scalars", n);
        deviceScalars.CopyFromCPU(MemoryMarshal.Cast<Bn254Fr, U256>(scalars));
        scalarsFromMontgomery(gpu.LaunchWidth(n), deviceScalars, n, gpu.LaunchWidth(n));

        ArrayView<int> keys = Scratch<int>("keys", pairs);
        ArrayView<int> counts = Scratch<int>("counts", bucketCount);
        counts.MemSetToZero();
        countBuckets(gpu.LaunchWidth(pairs), deviceScalars, bases, keys, counts, n, c, pairs, gpu.LaunchWidth(pairs));

        ArrayView<int> offsets = Scratch<int>("offsets", bucketCount);
        ArrayView<int> cursors = Scratch<int>("cursors", bucketCount);
        int blocks = (bucketCount + MsmKernels<FqKernelOps>.ScanBlock - 1) / MsmKernels<FqKernelOps>.ScanBlock;
        ArrayView<int> sums = Scratch<int>("blockSums", blocks);
        blockSums(gpu.LaunchWidth(blocks), counts, sums, bucketCount, gpu.LaunchWidth(blocks), blocks);
        scanBlockSums(1, sums, blocks);
        blockPrefixes(gpu.LaunchWidth(blocks), counts, sums, offsets, cursors, bucketCount, gpu.LaunchWidth(blocks), blocks);
        ArrayView<int> points = Scratch<int>("points", pairs);
        scatterPoints(gpu.LaunchWidth(pairs), keys, cursors, points, n, pairs, gpu.LaunchWidth(pairs));

        ArrayView<DeviceJacobian> buckets = Scratch<DeviceJacobian>("buckets", bucketCount);
        accumulateBuckets(gpu.LaunchWidth(bucketCount), points, offsets, counts, bases, buckets, bucketCount, gpu.LaunchWidth(bucketCount));

        int segmentCount = windows * segmentsPerWindow;
        ArrayView<DeviceJacobian> segmentSums = Scratch<DeviceJacobian>("segments", segmentCount);
        reduceSegments(gpu.LaunchWidth(segmentCount), buckets, segmentSums, c, logSegment, segmentCount, gpu.LaunchWidth(segmentCount));
        ArrayView<DeviceJacobian> windowSums = Scratch<DeviceJacobian>("windows", windows);
        sumWindows(windows, segmentSums, windowSums, segmentsPerWindow, windows, windows);
        accelerator.Synchronize();

        var host = new DeviceJacobian[windows];
        windowSums.CopyToCPU(host);
        // Window combination on the host: Horner over 2^c (a few hundred group operations).
        G1Projective result = G1Projective.Infinity;
        for (int w = windows - 1; w >= 0; w--)
        {
            for (int k = 0; k < c; k++) result = G1Projective.Double(result);
            result = G1Projective.Add(result, ToProjective(host[w]));
        }
        return result;
    }

    internal static G1Projective ToProjective(DeviceJacobian p) => p.IsInfinity
        ? G1Projective.Infinity
        : new G1Projective(ToFq(p.X), ToFq(p.Y), ToFq(p.Z));

    private static Bn254Fq ToFq(U256 v) => Bn254Fq.FromMontgomeryLimbs(v.L0, v.L1, v.L2, v.L3);

    /// <summary>Host G1Affine to the device layout ((0, 0) for infinity).</summary>
    internal static void ToDevice(ReadOnlySpan<G1Affine> points, Span<DeviceAffine> destination)
    {
        for (int i = 0; i < points.Length; i++)
        {
            G1Affine p = points[i];
            if (p.IsInfinity) { destination[i] = default; continue; }
            p.X.GetMontgomeryLimbs(out ulong x0, out ulong x1, out ulong x2, out ulong x3);
            p.Y.GetMontgomeryLimbs(out ulong y0, out ulong y1, out ulong y2, out ulong y3);
            destination[i] = new DeviceAffine(new U256(x0, x1, x2, x3), new U256(y0, y1, y2, y3));
        }
    }

    public void Dispose()
    {
        foreach (MemoryBuffer buffer in scratch.Values) buffer.Dispose();
        scratch.Clear();
    }
}
