namespace ZkMl.Samples.Training.Report;

/// <summary>One step the audit challenged or the worker proved; times in seconds, null when the step was not proven.</summary>
/// <param name="Verified">The step's proof passed <c>TrainingVerifier.VerifyStep</c>.</param>
internal sealed record StepFigures(int Step, int Epoch, bool Challenged, bool Proven, bool Verified,
    double? ProveSeconds, double? VerifySeconds, int? ProofBytes);
