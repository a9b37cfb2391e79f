namespace ZkMl.Common;

/// <summary>Maps a sub-task's fraction (0 to 1) onto [from, to] of an enclosing task's fraction.</summary>
/// <param name="sink">The enclosing task's progress.</param>
/// <param name="from">Where the sub-task starts in the enclosing task.</param>
/// <param name="to">Where the sub-task ends in the enclosing task.</param>
public sealed class ScaledProgress(IProgress<double> sink, double from, double to) : IProgress<double>
{
    private readonly IProgress<double> _sink = sink ?? throw new ArgumentNullException(nameof(sink));

    /// <inheritdoc />
    public void Report(double value) => _sink.Report(from + (to - from) * Math.Clamp(value, 0, 1));
}
