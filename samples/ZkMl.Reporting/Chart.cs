namespace ZkMl.Reporting;

/// <summary>What a PNG plot shows; <see cref="ChartRenderer"/> draws it.</summary>
public sealed record Chart
{
    /// <summary>Title above the plot.</summary>
    public required string Title { get; init; }
    /// <summary>X axis label.</summary>
    public required string XLabel { get; init; }
    /// <summary>Y axis label.</summary>
    public required string YLabel { get; init; }
    /// <summary>The series, in legend order.</summary>
    public required IReadOnlyList<ChartSeries> Series { get; init; }
    /// <summary>Logarithmic X axis (base 10).</summary>
    public bool LogX { get; init; }
    /// <summary>Logarithmic Y axis (base 10).</summary>
    public bool LogY { get; init; }
    /// <summary>Names for integer Y values (a categorical axis, e.g. challenged/proven/verified); null for numbers.</summary>
    public IReadOnlyList<string>? YCategories { get; init; }
    /// <summary>X axis limits (e.g. 0 .. steps - 1), null to fit the data.</summary>
    public (double Min, double Max)? XRange { get; init; }
    /// <summary>Ticks on the X axis only at integers (steps, epochs).</summary>
    public bool IntegerX { get; init; }
    /// <summary>Small print under the plot: the machine and the command that made it.</summary>
    public string? Footnote { get; init; }
}
