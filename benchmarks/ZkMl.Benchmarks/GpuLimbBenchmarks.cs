using BenchmarkDotNet.Attributes;
using ILGPU;
using ILGPU.Runtime;
using ZkMl.Gpu;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Benchmarks;

/// <summary>
/// Limb width inside kernels: a chain of BN254 Fr Montgomery products per thread with 4x64-bit limbs (64-bit high
/// product emulated from 32-bit halves, or PTX mul.hi.u64 on CUDA) vs 8x32-bit limbs (native 32x32->64 products).
/// Runs on whatever GpuContext.CreateBest picks:
///   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*GpuLimb*'
/// </summary>
public class GpuLimbBenchmarks
{
    private const int Chain = 64;
    private GpuContext gpu = null!;
    private Action<Index1D, ArrayView<U256>, int> mul64 = null!, mul32 = null!;
    private MemoryBuffer1D<U256, Stride1D.Dense> data = null!;

    [Params(1 << 14)]
    public int Threads { get; set; }

    private static void Chain64(Index1D i, ArrayView<U256> values, int chain)
    {
        U256 x = values[i], s = x;
        for (int k = 0; k < chain; k++) x = default(FrKernelOps).Mul(x, s);
        values[i] = x;
    }

    private static void Chain32(Index1D i, ArrayView<U256> values, int chain)
    {
        U256 x = values[i], s = x;
        for (int k = 0; k < chain; k++) x = FrMont32.Mul(x, s);
        values[i] = x;
    }

    [GlobalSetup]
    public void Setup()
    {
        gpu = GpuContext.CreateBest(Console.WriteLine);
        if (!gpu.IsAccelerated) throw new InvalidOperationException("GpuLimbBenchmarks needs an accelerator (ZKML_ACCELERATOR is none).");
        Console.WriteLine($"// accelerator: {gpu.Kind} '{gpu.DeviceName}'");
        Accelerator acc = gpu.Accelerator;
        mul64 = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<U256>, int>(Chain64);
        mul32 = acc.LoadAutoGroupedStreamKernel<Index1D, ArrayView<U256>, int>(Chain32);
        var rng = new Random(3);
        var host = new U256[Threads];
        for (int i = 0; i < host.Length; i++) host[i] = new U256((ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64(), (ulong)rng.NextInt64() & 0x0FFFFFFFFFFFFFFFUL);
        data = acc.Allocate1D(host);
        Mul64Limbs();
        Mul32Limbs();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        data.Dispose();
        gpu.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Mul64Limbs()
    {
        mul64(Threads, data.View, Chain);
        gpu.Accelerator.Synchronize();
    }

    [Benchmark]
    public void Mul32Limbs()
    {
        mul32(Threads, data.View, Chain);
        gpu.Accelerator.Synchronize();
    }
}
