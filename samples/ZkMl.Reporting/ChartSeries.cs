namespace ZkMl.Reporting;

/// <summary>One named series of a <see cref="Chart"/>: points joined by a line, or loose markers (e.g. where a backend refuses).</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values (positive when the axis is logarithmic).</param>
/// <param name="Y">Y values, as many as <paramref name="X"/> (positive when the axis is logarithmic).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Join the points with a line (default); false draws markers only.</summary>
    public bool Lines { get; init; } = true;

    /// <summary>Draw crosses instead of filled circles (marks refusals and failures).</summary>
    public bool Cross { get; init; }
}
