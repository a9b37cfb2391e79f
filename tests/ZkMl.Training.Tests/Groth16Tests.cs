using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Snark.Curves;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>Groth16 (setup is the slow part, so one fixture serves all tests).</summary>
public sealed class Groth16Fixture() : BackendFixture(Backend.Groth16, Tiny, AuditPolicy.AllSteps)
{
    public static readonly QuantizedMlpConfig Tiny = new()
    {
        InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2, FractionBits = 6, ValueBits = 16,
        LearningRateNumerator = 13, LearningRateShift = 4,
    };
}

public class Groth16Tests(Groth16Fixture fx) : BackendTests<Groth16Fixture>(fx), IClassFixture<Groth16Fixture>
{
    [Fact]
    public void UntrustedVerifyingKeyIsRefused()
    {
        var pin = Fx.Contract.StepVerifyingKeySha256.ToArray();
        pin[0] ^= 1;
        Assert.Throws<ArgumentException>(() => Fx.Verifier(Fx.Contract with { StepVerifyingKeySha256 = [.. pin] }));
    }

    [Fact]
    public void ProvesOnTheInjectedEngines()
    {
        var g1 = new CountingMsm<G1Affine, G1Projective>(ProvingEngines.Cpu.MsmG1);
        var g2 = new CountingMsm<G2Affine, G2Projective>(ProvingEngines.Cpu.MsmG2);
        var ntt = new CountingNtt<Bn254Fr>(ProvingEngines.Cpu.Ntt);
        var prover = Fx.Prover(new ProvingEngines { Ntt = ntt, MsmG1 = g1, MsmG2 = g2 });
        var s0 = prover.Start(Fx.Initial);
        var s1 = prover.Advance(s0, Fx.Batches[0]);
        var proof = prover.ProveStep(s0, s1, Fx.Batches[0]);
        Assert.True(g1.Calls > 0 && g2.Calls > 0 && ntt.Calls > 0, $"G1 {g1.Calls}, G2 {g2.Calls}, NTT {ntt.Calls} calls");
        Assert.True(Fx.Verifier().VerifyStep(proof, Fx.Seed));
    }
}
