using ZkMl.Models;
using ZkMl.Training;

namespace ZkMl.Samples.Training.Report;

/// <summary>What the sample knows at its end, handed to <see cref="RunReports.Build"/>.</summary>
internal sealed record RunFacts
{
    public required Options Options { get; init; }
    public required string[] Args { get; init; }
    public required QuantizedNetworkConfig Network { get; init; }
    public required QuantizedDataset Train { get; init; }
    public required QuantizedDataset Test { get; init; }
    public required TrainingTranscript Transcript { get; init; }
    public required TrainingVerifier Verifier { get; init; }
    public required ChainVerificationResult Result { get; init; }
    /// <summary>Proven steps in proving order, with their proving times and proof sizes at the same index.</summary>
    public required IReadOnlyList<int> ProvenSteps { get; init; }
    public required IReadOnlyList<double> ProveSeconds { get; init; }
    public required IReadOnlyList<int> ProofBytes { get; init; }
    public required double SetupSeconds { get; init; }
    public required double WorkerSeconds { get; init; }
    public required double VerifySeconds { get; init; }
    public required double AccuracyBefore { get; init; }
    public required double AccuracyAfter { get; init; }
}
