using ZkMl.Models;
using ZkMl.Snark.Curves;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Tests.Groth16;

namespace ZkMl.Training.Tests;

/// <summary>Groth16 with development keys (setup is the slow part, so one fixture serves all tests).</summary>
public sealed class Groth16Fixture() : BackendFixture(Backend.Groth16, Tiny, ProofPlan.All)
{
    public static readonly QuantizedMlpConfig Tiny = new()
    {
        InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2, FractionBits = 6, ValueBits = 16,
        LearningRateNumerator = 13, LearningRateShift = 4,
    };
}

/// <summary>
/// Groth16 at the backend seam. The end-to-end <see cref="BackendTests{TFixture}"/> need a verifier that passes each
/// step's statement (digest, step index, scheduled rows), which the transcript of this revision does not carry.
/// </summary>
public class Groth16Tests(Groth16Fixture fx) : IClassFixture<Groth16Fixture>
{
    [Fact]
    public void UntrustedVerifyingKeyIsRefused()
    {
        var fingerprint = (byte[])fx.Keys.VerifyingKeyFingerprint!.Clone();
        fingerprint[0] ^= 1;
        Assert.Throws<TranscriptFormatException>(() => TrainingVerifier.ForTranscript(fx.Honest, fingerprint));
    }

    [Fact]
    public void ProvesOnTheInjectedEngines()
    {
        var g1 = new CountingMsm<G1Affine, G1Projective>(ProvingEngines.Cpu.MsmG1);
        var g2 = new CountingMsm<G2Affine, G2Projective>(ProvingEngines.Cpu.MsmG2);
        var ntt = new CountingNtt(ProvingEngines.Cpu.Ntt);
        var prover = new Groth16StepProver(fx.Keys, new ProvingEngines { Ntt = ntt, MsmG1 = g1, MsmG2 = g2 });
        var (statement, proof) = SeamChain.Prove(prover, fx.Dataset, fx.Initial, new byte[32], fx.Batches.Take(1).ToList())[0];
        Assert.True(g1.Calls > 0 && g2.Calls > 0 && ntt.Calls > 0, $"G1 {g1.Calls}, G2 {g2.Calls}, NTT {ntt.Calls} calls");
        Assert.True(new Groth16StepVerifier(fx.Network, fx.Keys.Groth16VerifyingKeys!).VerifyStep(statement, proof));
    }

    [Fact]
    public void TheProverAttachesStepsThatTheSeamVerifierAccepts()
    {
        // TrainingProver's statements (interim zero digest) with the rows it was given.
        var verifier = new Groth16StepVerifier(fx.Network, fx.Keys.Groth16VerifyingKeys!);
        foreach (var p in fx.Honest.Proofs)
        {
            var statement = new StepStatement([.. new byte[32]], p.Step, [.. fx.Honest.Commitments[p.Step]], [.. fx.Honest.Commitments[p.Step + 1]],
                [.. fx.Dataset.Root.Span], fx.Dataset.RowCount, [.. fx.Batches[p.Step]]);
            Assert.True(verifier.VerifyStep(statement, p.Proof), $"step {p.Step}");
        }
    }

    [Fact]
    public void FinalWeightsMatchTheReferenceTrainer()
    {
        var model = fx.Initial.Clone();
        model.Train(fx.Data, fx.Batches);
        Assert.True(model.WeightsEqual(fx.Honest.FinalWeights.ToModel(fx.Network)));
    }

    [Fact]
    public void CorruptProofBytesAreRejectedNotThrown()
    {
        var verifier = new Groth16StepVerifier(fx.Network, fx.Keys.Groth16VerifyingKeys!);
        var p = fx.Honest.Proofs[0];
        var statement = new StepStatement([.. new byte[32]], p.Step, [.. fx.Honest.Commitments[0]], [.. fx.Honest.Commitments[1]],
            [.. fx.Dataset.Root.Span], fx.Dataset.RowCount, [.. fx.Batches[0]]);
        for (int i = 0; i < p.Proof.Length; i += 37)
        {
            var bad = (byte[])p.Proof.Clone();
            bad[i] ^= 0x40;
            Assert.False(verifier.VerifyStep(statement, bad));
        }
        Assert.False(verifier.VerifyStep(statement, p.Proof.AsSpan(1)));
    }
}
