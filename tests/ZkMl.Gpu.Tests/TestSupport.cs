using ZkMl.Gpu;

namespace ZkMl.Gpu.Tests;

/// <summary>One ILGPU CPU accelerator shared by the tests (creating one compiles kernels anew).</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    public GpuContext Gpu { get; } = GpuContext.Create(AcceleratorKind.Cpu, _ => { });
    public void Dispose() => Gpu.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CpuAcceleratorCollection : ICollectionFixture<CpuAcceleratorFixture>
{
    public const string Name = "ILGPU CPU accelerator";
}

/// <summary>A fact that runs only where a CUDA device exists; elsewhere it is skipped with the reason.</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(GpuContext.IsCudaAvailable);

    public CudaFactAttribute()
    {
        if (!Available.Value) Skip = "No CUDA device on this machine; the test needs a real GPU.";
    }
}
