using System.Numerics;
using ZkMl.Field;
using ZkMl.Gpu.Kernels;

namespace ZkMl.Gpu.Ntt;

/// <summary>A device NTT for one field, over batches of equal-length columns.</summary>
internal interface INttEngine<T> where T : struct, ITwoAdicField<T>
{
    bool Fits(int logN);
    void Transform(Span<T> values, int logN, bool inverse, T? shift);
}

internal sealed class GoldilocksNttEngine(GpuContext gpu) : INttEngine<Goldilocks>, IDisposable
{
    private readonly NttEngine<Goldilocks, ulong, GoldilocksKernelOps> engine = new(gpu);
    public bool Fits(int logN) => engine.Fits(logN);
    public void Transform(Span<Goldilocks> values, int logN, bool inverse, Goldilocks? shift) => engine.Transform(values, logN, inverse, shift);
    public void Dispose() => engine.Dispose();
}

internal sealed class FrNttEngine(GpuContext gpu) : INttEngine<Bn254Fr>, IDisposable
{
    private readonly NttEngine<Bn254Fr, U256, FrKernelOps> engine = new(gpu);
    public bool Fits(int logN) => engine.Fits(logN);
    public void Transform(Span<Bn254Fr> values, int logN, bool inverse, Bn254Fr? shift) => engine.Transform(values, logN, inverse, shift);
    public void Dispose() => engine.Dispose();
}
