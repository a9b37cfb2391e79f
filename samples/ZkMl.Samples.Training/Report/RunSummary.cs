namespace ZkMl.Samples.Training.Report;

/// <summary>The run as the sample's summary line states it, plus the machine and command.</summary>
internal sealed record RunSummary
{
    public required string Backend { get; init; }
    public required string Network { get; init; }
    public required int BatchSize { get; init; }
    public required int Epochs { get; init; }
    public required int Steps { get; init; }
    public required string Audit { get; init; }
    public required string Challenge { get; init; }
    public required int StepsChallenged { get; init; }
    public required int StepsProven { get; init; }
    public required int StepsVerified { get; init; }
    public required double SetupSeconds { get; init; }
    public required double WorkerSeconds { get; init; }
    public required double VerifySeconds { get; init; }
    public required double AccuracyBefore { get; init; }
    public required double AccuracyAfter { get; init; }
    public required bool Accepted { get; init; }
    public required string Verdict { get; init; }
    public required string Coverage { get; init; }
    public required string Machine { get; init; }
    public required string Command { get; init; }
}
