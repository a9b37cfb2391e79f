using System.Globalization;
using ZkMl.Reporting;

namespace ZkMl.Samples.Tests;

/// <summary>The committed output of `ZkMl.Benchmarks report --quick` (benchmarks/plots): every PNG has its CSV, both hold real figures.</summary>
public sealed class BenchmarkPlotsTests
{
    private static readonly string Plots = Path.Combine(RepoPaths.Root(), "benchmarks", "plots");

    public static TheoryData<string> Names() =>
        ["prove-time-vs-macs", "proof-size-vs-macs", "peak-memory-vs-macs", "groth16-prove-vs-constraints", "groth16-peak-memory-vs-constraints"];

    [Theory]
    [MemberData(nameof(Names))]
    public void PlotDecodesWithContentAndTheExpectedSize(string name) =>
        Png.AssertPlot(Path.Combine(Plots, name + ".png"), ChartRenderer.DefaultWidth, ChartRenderer.DefaultHeight);

    [Fact]
    public void ShapeSweepCsvHoldsMeasuredPoints()
    {
        var csv = CsvTable.Load(Path.Combine(Plots, "prove-time-vs-macs.csv"));
        int status = Column(csv, "status"), prove = Column(csv, "prove_s"), bytes = Column(csv, "proof_bytes"), rss = Column(csv, "peak_rss_mib");
        var ok = csv.Rows.Where(r => r[status] == "ok").ToList();
        Assert.Contains(ok, r => r[Column(csv, "backend")] == "Groth16");
        foreach (var r in ok)
        {
            Assert.True(Number(r[prove]) > 0);
            Assert.True(Number(r[bytes]) > 0);
            Assert.True(Number(r[rss]) > 0);
        }
        Assert.All(csv.Rows, r => Assert.Contains(r[status], new[] { "ok", "refused", "timeout", "failed" }));
    }

    [Fact]
    public void PeerCsvHoldsZkmlAndSnarkjsOnTheSameCircuits()
    {
        var csv = CsvTable.Load(Path.Combine(Plots, "groth16-prove-vs-constraints.csv"));
        int prover = Column(csv, "prover"), constraints = Column(csv, "constraints"), wall = Column(csv, "wall_s");
        var byProver = csv.Rows.GroupBy(r => r[prover]).ToDictionary(g => g.Key, g => g.Select(r => r[constraints]).ToHashSet());
        Assert.True(byProver["zkml"].SetEquals(byProver["snarkjs"]));
        Assert.All(csv.Rows, r => Assert.True(Number(r[constraints]) > 0 && Number(r[wall]) > 0));
    }

    [Fact]
    public void CsvRoundTripsQuotedFields()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zkml-csv-{Guid.NewGuid():N}.csv");
        var table = new CsvTable("a", "b");
        table.AddText("x,\"y\"", "line\nbreak");
        table.Add(1.5, null);
        table.Save(path);
        var back = CsvTable.Load(path);
        File.Delete(path);
        Assert.Equal(["a", "b"], back.Header);
        Assert.Equal(["x,\"y\"", "line\nbreak"], back.Rows[0]);
        Assert.Equal(["1.5", ""], back.Rows[1]);
    }

    private static int Column(CsvTable csv, string name)
    {
        int i = csv.Header.ToList().IndexOf(name);
        Assert.True(i >= 0, $"no column {name}");
        return i;
    }

    private static double Number(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
