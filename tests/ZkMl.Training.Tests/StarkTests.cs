using ZkMl.Models;

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
}
