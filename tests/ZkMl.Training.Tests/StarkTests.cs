using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends.Stark;

namespace ZkMl.Training.Tests;

/// <summary>STARK (transparent: no key; the AIR needs f + s > 12 and B > 24, so another tiny shape than Groth16's).</summary>
public sealed class StarkFixture() : BackendFixture(Backend.Stark, Tiny, ProofPlan.Parse("first:2"))
{
    public static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
}

public class StarkTests(StarkFixture fx) : BackendTests<StarkFixture>(fx), IClassFixture<StarkFixture>
{
    [Fact]
    public void TranscriptCarriesNoKeyAndHashCommitments()
    {
        Assert.Null(Fx.Honest.VerifyingKey);
        Assert.Null(Fx.Keys.VerifyingKeyFingerprint);
        Assert.Equal(32, Fx.Honest.DatasetRoot.Length);
        Assert.All(Fx.Honest.Commitments, c => Assert.Equal(32, c.Length));
        Assert.Equal(2, Fx.Honest.Proofs.Count);
    }

    [Fact]
    public void ShapesTheAirCannotProveAreRefusedAtSetup()
    {
        Assert.Throws<NotSupportedException>(() => TrainingSetup.Create(Backend.Stark, Groth16Fixture.Tiny, 8));
        Assert.Throws<NotSupportedException>(() => TrainingSetup.Create(Backend.Stark, StarkFixture.Tiny with { BatchSize = 64 }, 64));
        var json = System.Text.Encoding.UTF8.GetString(Fx.Honest.ToJsonBytes()).Replace("\"verifyingKey\": null", "\"verifyingKey\": \"AAEC\"");
        var withKey = TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Throws<TranscriptFormatException>(() => TrainingVerifier.ForTranscript(withKey));
    }

    /// <summary>
    /// The backend verifier checks a step proof against the statement the verifier derives (never the proof's): the step
    /// index, the contract digest, the scheduled rows and the commitments; bit flips and truncations are rejections.
    /// </summary>
    [Fact]
    public void StepProofIsBoundToItsStatement()
    {
        var verifier = new StarkBackend.Verifier(Fx.Network);
        var proof = Fx.Honest.Proofs[1];
        int t = proof.Step;
        var commitments = Fx.Honest.Commitments;
        // The prover's interim statement (contract digest zeros until the contract is wired in).
        var statement = new StepStatement(new byte[32].ToImmutableArray(), t, [.. commitments[t]], [.. commitments[t + 1]],
            [.. Fx.Dataset.Root.Span], Fx.Dataset.RowCount, [.. Fx.Batches[t]]);
        Assert.True(verifier.VerifyStep(statement, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t + 1 }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Step = t - 1 }, proof.Proof));
        var digest = new byte[32];
        digest[0] = 1;
        Assert.False(verifier.VerifyStep(statement with { ContractDigest = [.. digest] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[t].Reverse()] }, proof.Proof));
        Assert.False(verifier.VerifyStep(statement with { Rows = [.. Fx.Batches[0]] }, proof.Proof));
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
