using System.Collections.Immutable;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>
/// The parts of a training contract that the parties negotiate; <see cref="TrainingContracts.Create"/> adds the backend,
/// network, dataset and key fields from the setup and the dataset commitment.
/// </summary>
public sealed record ContractTerms
{
    /// <summary>Number of SGD steps of the run (for whole epochs: epochs x <see cref="SeededBatchSchedule.StepsPerEpoch"/>).</summary>
    public required int StepCount { get; init; }
    /// <summary>The worker's ECDSA P-256 public key (SubjectPublicKeyInfo DER, see <see cref="WorkerKey.PublicKey"/>).</summary>
    public required ImmutableArray<byte> WorkerPublicKey { get; init; }
    /// <summary>Which steps must be proven.</summary>
    public AuditPolicy Audit { get; init; } = AuditPolicy.AllSteps;
    /// <summary>Steps drawn for <see cref="AuditPolicy.SampleSteps"/>; 0 for <see cref="AuditPolicy.AllSteps"/>.</summary>
    public int AuditSampleCount { get; init; }
    /// <summary>Where schedule seeds and audit draws come from.</summary>
    public ChallengeSourceKind ChallengeSource { get; init; } = ChallengeSourceKind.Interactive;
    /// <summary>Interactive: the auditor's ECDSA P-256 public key (SPKI DER).</summary>
    public ImmutableArray<byte> AuditorPublicKey { get; init; } = [];
    /// <summary>Interactive: seconds the worker has to answer a challenge.</summary>
    public int AnswerWindowSeconds { get; init; }
    /// <summary>Beacon: the beacon's identifier.</summary>
    public ImmutableArray<byte> BeaconId { get; init; } = [];
    /// <summary>Where the initial weights come from (default: derived from the schedule seed, so the worker cannot choose them).</summary>
    public InitialWeightsRule InitialWeights { get; init; } = InitialWeightsRule.DerivedFromScheduleSeed;
    /// <summary>For <see cref="InitialWeightsRule.ExplicitCommitment"/>: the backend's commitment to the agreed initial weights.</summary>
    public ImmutableArray<byte> InitialWeightsCommitment { get; init; } = [];
    /// <summary>How the data set's raw features become fixed-point inputs (default <see cref="InputQuantization.Pixel16"/>, the digits).</summary>
    public InputQuantization InputQuantization { get; init; } = InputQuantization.Pixel16;
    /// <summary>STARK: the parameter preset (default <see cref="StarkPreset.Secure100"/>).</summary>
    public StarkPreset StarkPreset { get; init; } = StarkPreset.Secure100;
}
