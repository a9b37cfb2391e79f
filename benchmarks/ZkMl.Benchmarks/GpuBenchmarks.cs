using BenchmarkDotNet.Attributes;
using ZkMl.Field;
using ZkMl.Gpu;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Benchmarks;

/// <summary>Where a GPU benchmark runs: the native CPU implementation, or the accelerator GpuContext.CreateBest picks.</summary>
public enum Backend { Cpu, Gpu }

/// <summary>
/// NTT (natural order, in place) on the GPU vs the CPU <see cref="Ntt{T}"/>, Goldilocks and BN254 Fr, 2^20 and 2^24.
/// The GPU figure includes host-device copies. Meant for a CUDA machine:
///   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*GpuNtt*'
/// Without CUDA, CreateBest picks ILGPU's CPU accelerator, whose numbers say nothing about a GPU.
/// </summary>
[MemoryDiagnoser]
public class GpuNttBenchmarks
{
    private GpuContext? gpu;
    private INtt<Goldilocks> goldilocksNtt = Ntt<Goldilocks>.Instance;
    private INtt<Bn254Fr> frNtt = Ntt<Bn254Fr>.Instance;
    private Goldilocks[] goldilocks = [];
    private Bn254Fr[] fr = [];

    [Params(20, 24)]
    public int LogN { get; set; }

    [Params(Backend.Cpu, Backend.Gpu)]
    public Backend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Backend == Backend.Gpu)
        {
            gpu = GpuContext.CreateBest(Console.WriteLine);
            goldilocksNtt = gpu.CreateNtt<Goldilocks>();
            frNtt = gpu.CreateNtt<Bn254Fr>();
            Console.WriteLine($"// GPU backend: {gpu.Kind} '{gpu.DeviceName}'");
        }
        var rng = new Random(1);
        goldilocks = new Goldilocks[1 << LogN];
        fr = new Bn254Fr[1 << LogN];
        for (int i = 0; i < goldilocks.Length; i++) { goldilocks[i] = Goldilocks.Random(rng); fr[i] = Bn254Fr.Random(rng); }
        // Warm-up outside the measurement: kernel compilation and twiddle upload happen once per context.
        goldilocksNtt.Forward(goldilocks);
        frNtt.Forward(fr);
    }

    [GlobalCleanup]
    public void Cleanup() => gpu?.Dispose();

    [Benchmark]
    public void GoldilocksForward() => goldilocksNtt.Forward(goldilocks);

    [Benchmark]
    public void FrForward() => frNtt.Forward(fr);
}

/// <summary>
/// BN254 G1 MSM on the GPU (bases uploaded per call, and resident on the device) vs the CPU <see cref="PippengerMsm"/>,
/// 2^16, 2^20 and 2^22 points. Meant for a CUDA machine:
///   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*GpuMsm*'
/// </summary>
public class GpuMsmBenchmarks
{
    private GpuContext? gpu;
    private IMsm<G1Affine, G1Projective> msm = PippengerMsm.Default;
    private GpuResidentBases? resident;
    private G1Affine[] bases = [];
    private Bn254Fr[] scalars = [];

    [Params(16, 20, 22)]
    public int LogN { get; set; }

    [Params(Backend.Cpu, Backend.Gpu)]
    public Backend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int n = 1 << LogN;
        var rng = new Random(2);
        // Bases i*Q (one addition each) instead of n scalar multiplications.
        var projective = new G1Projective[n];
        G1Projective q = G1Projective.Generator.Multiply(Bn254Fr.Random(rng));
        G1Projective current = G1Projective.Infinity;
        for (int i = 0; i < n; i++) { current += q; projective[i] = current; }
        bases = new G1Affine[n];
        G1Projective.BatchToAffine(projective, bases);
        scalars = new Bn254Fr[n];
        for (int i = 0; i < n; i++) scalars[i] = Bn254Fr.Random(rng);
        if (Backend == Backend.Gpu)
        {
            gpu = GpuContext.CreateBest(Console.WriteLine);
            msm = gpu.CreateMsm();
            if (msm is GpuMsm gpuMsm) resident = gpuMsm.LoadBases(bases);
            Console.WriteLine($"// GPU backend: {gpu.Kind} '{gpu.DeviceName}'");
        }
        msm.Compute(bases, scalars);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        resident?.Dispose();
        gpu?.Dispose();
    }

    [Benchmark]
    public G1Projective Msm() => msm.Compute(bases, scalars);

    [Benchmark]
    public G1Projective MsmResidentBases() => resident is null ? msm.Compute(bases, scalars) : resident.Compute(scalars);
}

/// <summary>
/// Groth16 prove end to end (a chain of 2^LogConstraints squarings) with the GPU engines (Fr NTT and G1 MSM on the
/// device, G2 on the CPU) vs the default CPU prover. Meant for a CUDA machine:
///   dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- --filter '*GpuGroth16*'
/// </summary>
public class GpuGroth16Benchmarks
{
    private GpuContext? gpu;
    private ZkMl.Snark.Groth16.Groth16Prover prover = new();
    private ZkMl.Snark.Groth16.Groth16ProvingKey key = null!;
    private Bn254Fr[] witness = [];

    [Params(16, 20)]
    public int LogConstraints { get; set; }

    [Params(Backend.Cpu, Backend.Gpu)]
    public Backend Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var b = new ZkMl.Circuits.R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        for (int i = 0; i < (1 << LogConstraints) - 2; i++) x = b.Mul(x, x) + x;
        b.PublicOutput(x);
        var circuit = b.Build();
        key = ZkMl.Snark.Groth16.Groth16Setup.Development(circuit.System);
        witness = circuit.Witness.ToArray();
        if (Backend == Backend.Gpu)
        {
            gpu = GpuContext.CreateBest(Console.WriteLine);
            prover = new ZkMl.Snark.Groth16.Groth16Prover(gpu.CreateNtt<Bn254Fr>(), gpu.CreateMsm(), PippengerMsm.Default);
            Console.WriteLine($"// GPU backend: {gpu.Kind} '{gpu.DeviceName}'");
        }
        prover.Prove(key, witness);
    }

    [GlobalCleanup]
    public void Cleanup() => gpu?.Dispose();

    [Benchmark]
    public object Prove() => prover.Prove(key, witness).Proof;
}
