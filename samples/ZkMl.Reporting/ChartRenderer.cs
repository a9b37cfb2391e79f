using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace ZkMl.Reporting;

/// <summary>Renders a <see cref="Chart"/> to PNG with ScottPlot, using the embedded font so text needs no installed fonts.</summary>
public static class ChartRenderer
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 960;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>Writes <paramref name="chart"/> to <paramref name="path"/> as a PNG of the given size.</summary>
    /// <exception cref="ArgumentException">A series has X and Y of different lengths, or a non-positive value on a log axis.</exception>
    public static void SavePng(Chart chart, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(chart);
        EmbeddedFont.Install();
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var s in chart.Series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x and {s.Y.Count} y values.", nameof(chart));
            double[] xs = Transform(s.X, chart.LogX, s.Name), ys = Transform(s.Y, chart.LogY, s.Name);
            var scatter = plot.Add.Scatter(xs, ys, s.Cross ? Colors.Red : palette.GetColor(colour++));
            scatter.LegendText = s.Name;
            scatter.LineWidth = s.Lines ? 2 : 0;
            scatter.MarkerSize = s.Cross ? 12 : 7;
            scatter.MarkerShape = s.Cross ? MarkerShape.Cross : MarkerShape.FilledCircle;
        }
        if (chart.LogX) plot.Axes.Bottom.TickGenerator = LogTicks(chart.Series.SelectMany(x => x.X));
        if (chart.LogY) plot.Axes.Left.TickGenerator = LogTicks(chart.Series.SelectMany(x => x.Y));
        if (chart.YCategories is { } categories)
        {
            double[] positions = [.. Enumerable.Range(0, categories.Count).Select(i => (double)i)];
            plot.Axes.Left.TickGenerator = new NumericManual(positions, [.. categories]);
            plot.Axes.SetLimitsY(-0.5, categories.Count - 0.5);
        }
        if (chart.IntegerX && !chart.LogX) plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        if (chart.XRange is { } range) plot.Axes.SetLimitsX(range.Min - 0.5, range.Max + 0.5);
        plot.Title(chart.Title);
        plot.YLabel(chart.YLabel + (chart.LogY ? " (log)" : ""));
        // The footnote rides under the X label: ScottPlot has no caption slot, and inside the data area it could hide points.
        plot.XLabel(chart.XLabel + (chart.LogX ? " (log)" : "") + (chart.Footnote is null ? "" : "\n" + Wrap(chart.Footnote, width / 8)));
        plot.Axes.Bottom.Label.FontSize = 13;
        if (chart.Series.Count > 1) plot.ShowLegend(Alignment.UpperLeft);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plot.SavePng(path, width, height);
    }

    // Breaks at spaces so no line is wider than about maxChars characters (the label does not wrap by itself).
    private static string Wrap(string text, int maxChars)
    {
        var lines = new List<string>();
        foreach (string paragraph in text.Split('\n'))
        {
            string line = "";
            foreach (string word in paragraph.Split(' '))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > maxChars)
                {
                    lines.Add(line);
                    line = word;
                }
                else line = line.Length == 0 ? word : line + " " + word;
            }
            lines.Add(line);
        }
        return string.Join('\n', lines);
    }

    private static double[] Transform(IReadOnlyList<double> values, bool log, string name)
    {
        var result = new double[values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            if (log && !(values[i] > 0)) throw new ArgumentException($"Series '{name}' has a non-positive value on a log axis.", nameof(values));
            result[i] = log ? Math.Log10(values[i]) : values[i];
        }
        return result;
    }

    // Data are plotted as log10. Ticks at 1-2-5 steps per decade over the data, or at every integer multiple when the
    // data span less than that gives (ScottPlot's automatic ticks would label log10 values, or nothing within a decade).
    private static NumericManual LogTicks(IEnumerable<double> values)
    {
        double[] data = [.. values.Where(v => v > 0)];
        if (data.Length == 0) return new NumericManual();
        double lo = data.Min() / 1.1, hi = data.Max() * 1.1;
        double[] ticks = Steps(lo, hi, [1, 2, 5]);
        if (ticks.Length < 3) ticks = Steps(lo, hi, [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]);
        return new NumericManual([.. ticks.Select(Math.Log10)], [.. ticks.Select(t => t.ToString(t >= 1 ? "#,0.##" : "G3", CultureInfo.InvariantCulture))]);
    }

    private static double[] Steps(double lo, double hi, double[] mantissas)
    {
        var ticks = new List<double>();
        for (int exp = (int)Math.Floor(Math.Log10(lo)); exp <= (int)Math.Ceiling(Math.Log10(hi)); exp++)
            foreach (double m in mantissas)
            {
                double t = m * Math.Pow(10, exp);
                if (t >= lo && t <= hi) ticks.Add(t);
            }
        return [.. ticks];
    }
}
