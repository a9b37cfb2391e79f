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
/// G1 bases kept in device memory across MSMs (see <see cref="GpuMsm.LoadBases"/>): each MSM then uploads only
/// its scalars. Dispose to free the device memory.
/// </summary>
public sealed class GpuResidentBases : IDisposable
{
    private readonly GpuContext gpu;
    private readonly G1MsmEngine engine;
    private readonly MemoryBuffer1D<DeviceAffine, Stride1D.Dense>? device;
    private readonly DeviceAffine[]? hostOnly;
    private bool disposed;

    internal GpuResidentBases(GpuContext gpu, G1MsmEngine engine, ReadOnlySpan<G1Affine> bases)
    {
        this.gpu = gpu;
        this.engine = engine;
        Count = bases.Length;
        var converted = new DeviceAffine[bases.Length];
        G1MsmEngine.ToDevice(bases, converted);
        long bytes = (long)bases.Length * Marshal.SizeOf<DeviceAffine>();
        if (bytes + engine.ScratchBytes(Math.Max(1, bases.Length)) <= gpu.MemoryBudgetBytes)
        {
            device = gpu.Accelerator.Allocate1D(converted);
            gpu.Log($"ZkMl.Gpu: {bases.Length} G1 bases resident on the device ({bytes >> 20} MiB).");
        }
        else
        {
            hostOnly = converted;
            gpu.Log($"ZkMl.Gpu: {bases.Length} G1 bases exceed the device budget; they will be streamed in chunks.");
        }
    }

    /// <summary>Number of bases loaded.</summary>
    public int Count { get; }

    /// <summary>True when the bases live in device memory (false: streamed from the host per call).</summary>
    public bool IsResident => device is not null;

    /// <summary>sum scalars[i] * bases[i] over the first <c>scalars.Length</c> loaded bases.</summary>
    public G1Projective Compute(ReadOnlySpan<Bn254Fr> scalars) => Compute(0, scalars);

    /// <summary>sum scalars[i] * bases[offset + i].</summary>
    public G1Projective Compute(int offset, ReadOnlySpan<Bn254Fr> scalars)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (offset < 0 || scalars.Length > Count - offset)
            throw new ArgumentException($"{scalars.Length} scalars at offset {offset} exceed the {Count} loaded bases.", nameof(scalars));
        if (scalars.Length == 0) return G1Projective.Infinity;
        lock (engine)
        {
            if (device is not null)
            {
                int chunk = Math.Min(scalars.Length, engine.MaxChunk(gpu.MemoryBudgetBytes - device.LengthInBytes, includeBases: false));
                G1Projective sum = G1Projective.Infinity;
                for (int start = 0; start < scalars.Length; start += chunk)
                {
                    int count = Math.Min(chunk, scalars.Length - start);
                    sum = G1Projective.Add(sum, engine.Compute(device.View.SubView(offset + start, count), scalars.Slice(start, count)));
                }
                return sum;
            }
            int streamChunk = Math.Min(scalars.Length, engine.MaxChunk(gpu.MemoryBudgetBytes, includeBases: true));
            using var buffer = gpu.Accelerator.Allocate1D<DeviceAffine>(streamChunk);
            G1Projective total = G1Projective.Infinity;
            for (int start = 0; start < scalars.Length; start += streamChunk)
            {
                int count = Math.Min(streamChunk, scalars.Length - start);
                ArrayView<DeviceAffine> view = buffer.View.SubView(0, count);
                view.CopyFromCPU(hostOnly.AsSpan(offset + start, count));
                total = G1Projective.Add(total, engine.Compute(view, scalars.Slice(start, count)));
            }
            return total;
        }
    }

    /// <summary>Frees the device memory holding the bases.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        device?.Dispose();
    }
}
