using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Training.Backends.Stark;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>STARK (transparent: no key; the AIR needs f + s > 12 and B > 24, so another tiny shape than Groth16's).</summary>
public sealed class StarkFixture() : BackendFixture(Backend.Stark, Tiny, AuditPolicy.SampleSteps, 2)
{
    public static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
}

public class StarkTests(StarkFixture fx) : BackendTests<StarkFixture>(fx), IClassFixture<StarkFixture>
{
    [Fact]
    public void TranscriptCarriesNoKeyAndHashCommitments()
    {
        Assert.Null(Fx.Keys.Groth16VerifyingKeys);
        Assert.Empty(Fx.Contract.StepVerifyingKeySha256);
        Assert.Equal(32, Fx.Contract.DatasetRoot.Length);
        Assert.All(Fx.Honest.Commitments, c => Assert.Equal(32, c.Length));
        Assert.Equal(2, Fx.Honest.Proofs.Count);
    }

    [Fact]
    public void ShapesTheAirCannotProveAreRefusedAtSetup()
    {
        Assert.Throws<NotSupportedException>(() => TrainingSetup.Create(Backend.Stark, Groth16Fixture.Tiny, 8));
        Assert.Throws<NotSupportedException>(() => TrainingSetup.Create(Backend.Stark, StarkFixture.Tiny with { BatchSize = 64 }, 64));
        Assert.Throws<NotSupportedException>(() => Fx.Verifier(Fx.Contract with { StarkPreset = StarkPreset.InsecureTestOnly, StarkSecurityBits = 0 }));
    }

    [Fact]
    public void ProvesOnTheInjectedNttEngine()
    {
        var ntt = new CountingNtt<Goldilocks>(ProvingEngines.Cpu.GoldilocksNtt);
        var prover = Fx.Prover(new ProvingEngines { GoldilocksNtt = ntt });
        var s0 = prover.Start(SeededInitialWeights.Create(Fx.Contract, Fx.Seed));
        var s1 = prover.Advance(s0, Fx.Batches[0]);
        var proof = prover.ProveStep(s0, s1, Fx.Batches[0]);
        Assert.True(ntt.Calls > 0, $"NTT {ntt.Calls} calls");
        Assert.True(Fx.Verifier().VerifyStep(proof, Fx.Seed));
    }

    [Fact]
    public void StepProofIsBoundToItsStatement()
    {
        var verifier = new StarkBackend.Verifier(QuantizedNetworkConfig.FromMlp(Fx.Network));
        var proof = Fx.Honest.Proofs[^1];
        int t = proof.Step;
        var commitments = Fx.Honest.Commitments;
        var statement = new StepStatement([.. Fx.Contract.Digest()], t, [.. commitments[t]], [.. commitments[t + 1]],
            Fx.Contract.DatasetRoot, Fx.Contract.DatasetRows, [.. Fx.Batches[t]]);
        Assert.True(verifier.VerifyStep(statement, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t + 1 }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t - 1 }, proof.Proof));
        var digest = Fx.Contract.Digest();
        digest[0] ^= 1;
        Assert.False(verifier.VerifyStep(statement with { ContractDigest = [.. digest] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[t].Reverse()] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[(t + 1) % Fx.Batches.Count]] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { CommitmentAfter = [.. commitments[t]] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement, Fx.Honest.Proofs[0].Proof));
        var bytes = proof.Proof;
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 24))
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x01;
            Assert.False(verifier.VerifyStep(statement, flipped));
        }
        Assert.False(verifier.VerifyStep(statement, bytes[..^1]));
        Assert.False(verifier.VerifyStep(statement, bytes[..1]));
        Assert.False(verifier.VerifyStep(statement, []));
    }
}
