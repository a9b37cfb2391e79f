namespace ZkMl.Training;

/// <summary>Outcome of <see cref="TrainingVerifier.VerifyRun"/>.</summary>
/// <param name="IsValid">True when every check passed.</param>
/// <param name="FailedStep">The step that failed, when the failure belongs to one.</param>
/// <param name="Message">What was checked, or what failed.</param>
/// <param name="ProofsVerified">Number of step proofs that verified.</param>
/// <param name="StepCount">Number of steps in the chain.</param>
/// <param name="ProvenSteps">The steps whose proofs verified, in order.</param>
/// <param name="Coverage">What the verdict covers and what it does not (all steps proven, or a sample with its detection probability).</param>
public sealed record ChainVerificationResult(bool IsValid, int? FailedStep, string Message, int ProofsVerified, int StepCount,
    IReadOnlyList<int> ProvenSteps, string Coverage);
