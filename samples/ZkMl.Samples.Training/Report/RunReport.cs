namespace ZkMl.Samples.Training.Report;

/// <summary>What <c>--report</c> and <c>--json</c> write: the summary, the learning curve and the audited steps.</summary>
internal sealed record RunReport(RunSummary Summary, IReadOnlyList<EpochFigures> Epochs, IReadOnlyList<StepFigures> Steps);
