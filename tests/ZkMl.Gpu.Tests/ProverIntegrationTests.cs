using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Gpu.Tests;

/// <summary>Fibonacci: a' = b, b' = a + b; a[0] = b[0] = 1; b[n-1] = result (public).</summary>
internal sealed class FibonacciAir(int n, Goldilocks result) : Air("gpu-fib", 2, n, [result])
{
    public override IReadOnlyList<TransitionConstraint> TransitionConstraints { get; } =
        [new("a' = b", 1), new("b' = a + b", 1)];

    public override void EvaluateTransition<TF>(ReadOnlySpan<TF> cur, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> result)
    {
        result[0] = next[0] - cur[1];
        result[1] = next[1] - (cur[0] + cur[1]);
    }

    public override IReadOnlyList<BoundaryConstraint> BoundaryConstraints =>
        [new("a0", 0, 0, Goldilocks.One), new("b0", 1, 0, Goldilocks.One), new("result", 1, TraceLength - 1, PublicInputs[0])];

    public static Goldilocks[][] Trace(int n)
    {
        var a = new Goldilocks[n];
        var b = new Goldilocks[n];
        a[0] = Goldilocks.One; b[0] = Goldilocks.One;
        for (int i = 1; i < n; i++) { a[i] = b[i - 1]; b[i] = a[i - 1] + b[i - 1]; }
        return [a, b];
    }
}

[Collection(CpuAcceleratorCollection.Name)]
public class ProverIntegrationTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void StarkProofWithGpuNttVerifiesAndEqualsCpuProof()
    {
        const int n = 64;
        var trace = FibonacciAir.Trace(n);
        var air = new FibonacciAir(n, trace[1][n - 1]);
        INtt<Goldilocks> gpuNtt = fixture.Gpu.CreateNtt<Goldilocks>();
        Assert.IsType<GpuNtt<Goldilocks>>(gpuNtt);

        // Without zero-knowledge blinding the prover is deterministic: the GPU run must give the very same bytes.
        StarkParameters deterministic = StarkParameters.InsecureTestOnly with { ZeroKnowledge = false };
        byte[] gpuProof = StarkProver.Prove(air, trace, deterministic, gpuNtt).ToBytes();
        byte[] cpuProof = StarkProver.Prove(air, trace, deterministic).ToBytes();
        Assert.Equal(cpuProof, gpuProof);
        Assert.True(StarkVerifier.Verify(air, gpuProof, deterministic));

        StarkProof zk = StarkProver.Prove(air, trace, StarkParameters.InsecureTestOnly, gpuNtt);
        Assert.True(StarkVerifier.Verify(air, zk, StarkParameters.InsecureTestOnly));
        Assert.False(StarkVerifier.Verify(new FibonacciAir(n, trace[1][n - 1] + Goldilocks.One), zk, StarkParameters.InsecureTestOnly));
    }
}

[Collection(CpuAcceleratorCollection.Name)]
public class Groth16IntegrationTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void Groth16ProofWithGpuNttAndMsmVerifies()
    {
        // x_{i+1} = x_i^2 + x_i + i over 150 steps: a few hundred constraints, so the QAP domain is 2^8-2^9.
        var b = new ZkMl.Circuits.R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(7));
        for (int i = 0; i < 150; i++) x = b.Mul(x, x) + x + b.Constant(Bn254Fr.FromUInt64((ulong)i));
        b.PublicOutput(x);
        var circuit = b.Build();
        var key = ZkMl.Snark.Groth16.Groth16Setup.Development(circuit.System);

        GpuContext gpu = fixture.Gpu;
        var ntt = gpu.CreateNtt<Bn254Fr>();
        var msm = gpu.TryCreateGpuMsm()!;
        Assert.IsType<GpuNtt<Bn254Fr>>(ntt);
        var prover = new ZkMl.Snark.Groth16.Groth16Prover(ntt, msm, msm);
        var (proof, publicSignals) = prover.Prove(key, circuit.Witness);

        Assert.True(ZkMl.Snark.Groth16.Groth16Verifier.Verify(key.VerifyingKey, publicSignals, proof));
        var wrong = (Bn254Fr[])publicSignals.Clone();
        wrong[0] += Bn254Fr.One;
        Assert.False(ZkMl.Snark.Groth16.Groth16Verifier.Verify(key.VerifyingKey, wrong, proof));
        // The public output agrees with the CPU prover's.
        var (_, cpuSignals) = new ZkMl.Snark.Groth16.Groth16Prover().Prove(key, circuit.Witness);
        Assert.Equal(cpuSignals, publicSignals);
    }
}
