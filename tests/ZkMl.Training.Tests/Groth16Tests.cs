using ZkMl.Circuits.Quantized;

namespace ZkMl.Training.Tests;

/// <summary>Groth16 (setup is the slow part, so one fixture serves all tests).</summary>
public sealed class Groth16Fixture() : BackendFixture(Backend.Groth16, Tiny, ProofPlan.All)
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
        var fingerprint = (byte[])Fx.Keys.VerifyingKeyFingerprint!.Clone();
        fingerprint[0] ^= 1;
        Assert.Throws<TranscriptFormatException>(() => TrainingVerifier.ForTranscript(Fx.Honest, fingerprint));
    }
}
