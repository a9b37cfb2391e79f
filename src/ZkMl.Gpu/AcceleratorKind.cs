using System.Diagnostics;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ZkMl.Field;
using ZkMl.Gpu.Msm;
using ZkMl.Gpu.Ntt;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Gpu;

/// <summary>Which compute backend a <see cref="GpuContext"/> runs on.</summary>
public enum AcceleratorKind
{
    /// <summary>No accelerator: the factories return the CPU implementations of ZkMl.Field / ZkMl.Snark.</summary>
    None,
    /// <summary>ILGPU's CPU accelerator (simulated GPU threads; for tests and debugging, slower than the native CPU code).</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through ILGPU's CUDA backend.</summary>
    Cuda,
}
