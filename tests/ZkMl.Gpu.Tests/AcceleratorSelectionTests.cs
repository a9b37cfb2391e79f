using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Gpu.Tests;

[Collection(CpuAcceleratorCollection.Name)]
public class AcceleratorSelectionTests
{
    private static GpuContext CreateBestWith(string? value, List<string> log)
    {
        string? saved = Environment.GetEnvironmentVariable(GpuContext.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(GpuContext.EnvironmentVariable, value);
            return GpuContext.CreateBest(log.Add);
        }
        finally
        {
            Environment.SetEnvironmentVariable(GpuContext.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void EnvironmentVariableForcesNone()
    {
        var log = new List<string>();
        using var gpu = CreateBestWith("none", log);
        Assert.Equal(AcceleratorKind.None, gpu.Kind);
        Assert.Same(Ntt<Bn254Fr>.Instance, gpu.CreateNtt<Bn254Fr>());
        Assert.Contains(log, line => line.Contains("none", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void EnvironmentVariableForcesCpuAccelerator()
    {
        var log = new List<string>();
        using var gpu = CreateBestWith("CPU", log);
        Assert.Equal(AcceleratorKind.Cpu, gpu.Kind);
        Assert.True(gpu.IsAccelerated);
        Assert.Contains(log, line => line.Contains("CPU accelerator"));
    }

    [Fact]
    public void ForcedCudaWithoutDeviceFallsBackToCpuImplementations()
    {
        if (GpuContext.IsCudaAvailable()) return; // covered by the CUDA tests on a GPU machine
        var log = new List<string>();
        using var gpu = CreateBestWith("cuda", log);
        Assert.Equal(AcceleratorKind.None, gpu.Kind);
        Assert.Contains(log, line => line.Contains("no CUDA device"));
    }

    [Fact]
    public void UnknownValueIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => CreateBestWith("tpu", []));
        Assert.Contains("tpu", ex.Message);
    }

    [Fact]
    public void BestChoiceIsCudaWhenPresentElseCpuAccelerator()
    {
        using var gpu = CreateBestWith(null, []);
        Assert.Equal(GpuContext.IsCudaAvailable() ? AcceleratorKind.Cuda : AcceleratorKind.Cpu, gpu.Kind);
    }
}

/// <summary>Run only on a machine with a CUDA device (skipped elsewhere with the reason).</summary>
public class CudaTests
{
    private static GpuContext Cuda() => GpuContext.Create(AcceleratorKind.Cuda, _ => { });

    [CudaFact]
    public void CudaNttBitIdenticalToCpu()
    {
        using var gpu = Cuda();
        Assert.Equal(AcceleratorKind.Cuda, gpu.Kind);
        var rng = new Random(1);
        foreach (int logN in new[] { 4, 12, 16, 20 })
        {
            var g = new Goldilocks[1 << logN];
            var f = new Bn254Fr[1 << logN];
            for (int i = 0; i < g.Length; i++) { g[i] = Goldilocks.Random(rng); f[i] = Bn254Fr.Random(rng); }
            var g2 = (Goldilocks[])g.Clone();
            var f2 = (Bn254Fr[])f.Clone();
            gpu.CreateNtt<Goldilocks>().CosetForward(g, Goldilocks.MultiplicativeGenerator);
            Ntt<Goldilocks>.Instance.CosetForward(g2, Goldilocks.MultiplicativeGenerator);
            Assert.Equal(g2, g);
            gpu.CreateNtt<Bn254Fr>().Inverse(f);
            Ntt<Bn254Fr>.Instance.Inverse(f2);
            Assert.Equal(f2, f);
        }
    }

    [CudaFact]
    public void CudaMsmMatchesDiscreteLogReference()
    {
        using var gpu = Cuda();
        var rng = new Random(2);
        foreach (int n in new[] { 1, 100, 1 << 12, 1 << 16 })
        {
            var projective = new G1Projective[n];
            var scalars = new Bn254Fr[n];
            Bn254Fr expected = Bn254Fr.Zero;
            G1Projective step = G1Projective.Generator.Multiply(Bn254Fr.Random(rng));
            Bn254Fr log = Bn254Fr.Zero;
            Bn254Fr stepLog = Bn254Fr.FromUInt64(1);
            // bases i*Q for a random Q: cheap to make, known discrete logs relative to Q
            G1Projective current = G1Projective.Infinity;
            for (int i = 0; i < n; i++)
            {
                current += step; log += stepLog;
                projective[i] = current;
                scalars[i] = Bn254Fr.Random(rng);
                expected += scalars[i] * log;
            }
            var bases = new G1Affine[n];
            G1Projective.BatchToAffine(projective, bases);
            Assert.Equal(step.Multiply(expected), gpu.CreateMsm().Compute(bases, scalars));
        }
    }
}
