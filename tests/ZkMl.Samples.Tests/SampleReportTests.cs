using System.Text.Json;
using ZkMl.Reporting;

namespace ZkMl.Samples.Tests;

public sealed class SampleReportTests(SampleRun run) : IClassFixture<SampleRun>
{
    private static readonly string[] Plots = ["accuracy.png", "loss.png", "step-times.png", "steps.png"];

    [Fact]
    public void TheRunSucceeds() => Assert.Equal(0, run.ExitCode);

    [Fact]
    public void JsonHoldsTheRunsRealFigures()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(run.JsonPath));
        var summary = json.RootElement.GetProperty("summary");
        int steps = summary.GetProperty("steps").GetInt32();
        Assert.Equal(1400, steps);
        Assert.Equal(2, summary.GetProperty("stepsChallenged").GetInt32());
        Assert.Equal(2, summary.GetProperty("stepsProven").GetInt32());
        Assert.Equal(2, summary.GetProperty("stepsVerified").GetInt32());
        Assert.True(summary.GetProperty("accepted").GetBoolean());
        Assert.True(summary.GetProperty("setupSeconds").GetDouble() > 0);
        Assert.True(summary.GetProperty("verifySeconds").GetDouble() > 0);

        var epochs = json.RootElement.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal([0, 1], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(steps, epochs[^1].GetProperty("step").GetInt32());
        foreach (var e in epochs)
        {
            Assert.InRange(e.GetProperty("testAccuracy").GetDouble(), 0, 1);
            Assert.True(e.GetProperty("trainLoss").GetDouble() > 0);
            Assert.True(e.GetProperty("testLoss").GetDouble() > 0);
        }
        // The reference replay ends at the published final weights, whose accuracy the summary states.
        Assert.Equal(summary.GetProperty("accuracyAfter").GetDouble(), epochs[^1].GetProperty("testAccuracy").GetDouble());

        var proven = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(2, proven.Count);
        foreach (var s in proven)
        {
            Assert.InRange(s.GetProperty("step").GetInt32(), 0, steps - 1);
            Assert.True(s.GetProperty("challenged").GetBoolean() && s.GetProperty("proven").GetBoolean() && s.GetProperty("verified").GetBoolean());
            Assert.True(s.GetProperty("proveSeconds").GetDouble() > 0);
            Assert.True(s.GetProperty("verifySeconds").GetDouble() > 0);
            Assert.True(s.GetProperty("proofBytes").GetInt32() > 0);
        }
    }

    [Fact]
    public void PlotsDecodeWithContentAndTheExpectedSize()
    {
        foreach (string png in Plots) Png.AssertPlot(Path.Combine(run.ReportFolder, png), ChartRenderer.DefaultWidth, ChartRenderer.DefaultHeight);
    }

    [Fact]
    public void HtmlShowsEveryPlotAndTheSummary()
    {
        string html = File.ReadAllText(Path.Combine(run.ReportFolder, "index.html"));
        foreach (string png in Plots) Assert.Contains($"<img src=\"{png}\"", html, StringComparison.Ordinal);
        Assert.Contains("ACCEPTED", html, StringComparison.Ordinal);
        Assert.Contains("64-1-10", html, StringComparison.Ordinal);
    }
}
