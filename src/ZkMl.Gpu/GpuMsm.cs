using System.Buffers;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ZkMl.Field;
using ZkMl.Gpu.Kernels;
using ZkMl.Gpu.Msm;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Gpu;

/// <summary>
/// Multi-scalar multiplication with the G1 bucket method on the accelerator of a <see cref="GpuContext"/>
/// (window decomposition, radix sort of (bucket, point) pairs, per-bucket accumulation, segmented bucket reduction;
/// windows are combined on the host). Inputs larger than the device memory budget are processed in chunks.
/// G2 MSMs run on the CPU (<see cref="PippengerMsm"/>). Obtain one from <see cref="GpuContext.CreateMsm"/>.
/// For a proving key used many times, <see cref="LoadBases"/> keeps the bases resident on the device.
/// </summary>
public sealed class GpuMsm : IMsm<G1Affine, G1Projective>, IMsm<G2Affine, G2Projective>
{
    private readonly GpuContext gpu;
    private readonly G1MsmEngine engine;

    internal GpuMsm(GpuContext gpu, G1MsmEngine engine)
    {
        this.gpu = gpu;
        this.engine = engine;
    }

    /// <inheritdoc />
    public G1Projective Compute(ReadOnlySpan<G1Affine> bases, ReadOnlySpan<Bn254Fr> scalars)
    {
        CheckLengths(bases.Length, scalars.Length);
        if (bases.Length == 0) return G1Projective.Infinity;
        lock (engine)
        {
            int chunk = Math.Min(bases.Length, engine.MaxChunk(gpu.MemoryBudgetBytes, includeBases: true));
            DeviceAffine[] host = ArrayPool<DeviceAffine>.Shared.Rent(chunk);
            try
            {
                using var deviceBases = gpu.Accelerator.Allocate1D<DeviceAffine>(chunk);
                G1Projective sum = G1Projective.Infinity;
                for (int start = 0; start < bases.Length; start += chunk)
                {
                    int count = Math.Min(chunk, bases.Length - start);
                    G1MsmEngine.ToDevice(bases.Slice(start, count), host.AsSpan(0, count));
                    ArrayView<DeviceAffine> view = deviceBases.View.SubView(0, count);
                    view.CopyFromCPU(host.AsSpan(0, count));
                    sum = G1Projective.Add(sum, engine.Compute(view, scalars.Slice(start, count)));
                }
                return sum;
            }
            finally
            {
                ArrayPool<DeviceAffine>.Shared.Return(host);
            }
        }
    }

    /// <summary>G2 stays on the CPU: delegates to <see cref="PippengerMsm.Default"/>.</summary>
    public G2Projective Compute(ReadOnlySpan<G2Affine> bases, ReadOnlySpan<Bn254Fr> scalars) => PippengerMsm.Default.Compute(bases, scalars);

    /// <summary>
    /// Uploads <paramref name="bases"/> once and returns an MSM bound to them, so repeated MSMs over the same
    /// bases (a proving key) move only scalars. If they exceed the memory budget they are kept on the host and
    /// streamed in chunks per call.
    /// </summary>
    public GpuResidentBases LoadBases(ReadOnlySpan<G1Affine> bases) => new(gpu, engine, bases);

    internal static void CheckLengths(int bases, int scalars)
    {
        if (bases != scalars) throw new ArgumentException($"MSM needs as many scalars ({scalars}) as bases ({bases}).");
    }
}
