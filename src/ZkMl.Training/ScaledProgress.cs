namespace ZkMl.Training;

/// <summary>Maps a sub-task's fraction (0 to 1) onto [<paramref name="from"/>, <paramref name="to"/>] of an enclosing task's fraction.</summary>
internal sealed class ScaledProgress(IProgress<double> sink, double from, double to) : IProgress<double>
{
    public void Report(double value) => sink.Report(from + (to - from) * Math.Clamp(value, 0, 1));
}
