using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Tests.Shared;

namespace ZkMl.Gpu.Tests;

[Collection(CpuAcceleratorCollection.Name)]
public class ProverIntegrationTests(CpuAcceleratorFixture fixture)
{
    [Fact]
    public void StarkProofWithGpuNttVerifiesAndEqualsCpuProof()
    {
        const int n = 64;
        var trace = FibonacciAir.Trace(n);
        var air = new FibonacciAir(n, trace[1][n - 1], "gpu-fib");
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
        Assert.False(StarkVerifier.Verify(new FibonacciAir(n, trace[1][n - 1] + Goldilocks.One, "gpu-fib"), zk, StarkParameters.InsecureTestOnly));
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
