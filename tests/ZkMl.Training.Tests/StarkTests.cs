using ZkMl.Models;
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
        Assert.Null(Fx.Keys.VerifyingKeyFingerprint);
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
}
