using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ZkMl.Reporting;
using ZkMl.Training;

namespace ZkMl.Benchmarks.Report;

// ZkMl.Benchmarks has its own Backend (the GPU suites').
using Backend = ZkMl.Training.Backend;

/// <summary>
/// `report [--out DIR] [--quick]`: a bounded sweep rendered as PNG plots, each with a CSV of its raw numbers beside it.
/// Shapes run one per child process (peak RSS per point); the Groth16 peer comparison reuses benchmarks/peer/run.sh.
/// `report --replot [--out DIR]` redraws the plots from the CSVs and footnote.txt already there, without measuring.
/// </summary>
internal static partial class ReportCommand
{
    public const string Command = "report";

    private static readonly (int Hidden, int Batch)[] QuickShapes = [(1, 1), (2, 2), (4, 4), (8, 4)];
    private static readonly (int Hidden, int Batch)[] FullShapes = [(1, 1), (2, 2), (4, 4), (8, 4), (16, 8), (32, 16)];
    private static readonly (int N, int M)[] QuickDense = [(16, 16), (32, 32), (64, 64)];
    private static readonly (int N, int M)[] FullDense = [(16, 16), (32, 32), (64, 64), (128, 128), (256, 256)];
    private const int DatasetRows = 32;

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int outIndex = Array.IndexOf(args, "--out");
        string root = Paths.Root();
        string outDir = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : Path.Combine(root, "benchmarks", "plots");
        TimeSpan pointLimit = TimeSpan.FromSeconds(quick ? 300 : 1800);
        string command = "dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- report" + (quick ? " --quick" : "");
        string machine = MachineInfo.Describe();
        string footPath = Path.Combine(outDir, "footnote.txt");
        if (args.Contains("--replot"))
        {
            string saved = File.ReadAllText(footPath).TrimEnd('\n');
            WriteShapes(ReadShapes(Path.Combine(outDir, "prove-time-vs-macs.csv")), outDir, saved);
            WritePeers(ReadPeers(Path.Combine(outDir, "groth16-prove-vs-constraints.csv")), outDir, saved);
            return 0;
        }
        string foot = $"{machine} at start\n{command}";
        Directory.CreateDirectory(outDir);
        File.WriteAllText(footPath, foot + "\n");

        var shapes = new List<ShapeResult>();
        foreach (var backend in new[] { Backend.Groth16, Backend.Stark })
            foreach (var (hidden, batch) in quick ? QuickShapes : FullShapes)
            {
                var r = MeasureShape(backend, hidden, batch, pointLimit);
                Console.WriteLine($"{backend} hidden {hidden} batch {batch}: {r.Status} prove {r.ProveSeconds:F2} s, {r.ProofBytes} B, {r.PeakRssMib:F0} MiB {r.Note}");
                shapes.Add(r);
            }
        WriteShapes(shapes, outDir, foot);

        var peers = new List<PeerResult>();
        foreach (var (n, m) in quick ? QuickDense : FullDense)
        {
            var found = MeasurePeers(root, n, m);
            foreach (var p in found) Console.WriteLine($"{p.Prover} dense {n}x{m} ({p.Constraints} constraints): {p.WallSeconds:F2} s, {p.PeakRssMib:F0} MiB");
            peers.AddRange(found);
        }
        WritePeers(peers, outDir, foot);
        Console.WriteLine($"Plots and CSVs written to {outDir}");
        return 0;
    }

    /// <summary>Multiply-accumulates of one SGD step: forward W1x, W2h; backward W2^T e, G2 += e h^T, G1 += dh x^T.</summary>
    public static long MacsPerStep(int input, int hidden, int output, int batch) =>
        (long)batch * (2L * input * hidden + 3L * hidden * output);

    private static ShapeResult MeasureShape(Backend backend, int hidden, int batch, TimeSpan limit)
    {
        long macs = MacsPerStep(64, hidden, 10, batch);
        var (exit, output) = RunSelf([ShapePoint.Command, backend.ToString(), I(hidden), I(batch), I(DatasetRows)], limit);
        string line = output.Split('\n').LastOrDefault(l => l.StartsWith("ok,", StringComparison.Ordinal) || l.StartsWith("refused,", StringComparison.Ordinal)) ?? "";
        if (exit is null) return new(backend, hidden, batch, macs, "timeout", null, null, null, null, null, $"over {limit.TotalSeconds:F0} s");
        if (line.StartsWith("refused,", StringComparison.Ordinal)) return new(backend, hidden, batch, macs, "refused", null, null, null, null, null, line["refused,".Length..]);
        string[] f = line.Split(',');
        if (f.Length != 6) return new(backend, hidden, batch, macs, "failed", null, null, null, null, null, $"exit {exit}: {output.Trim().Split('\n')[^1]}");
        return new(backend, hidden, batch, macs, "ok", D(f[1]), D(f[2]), D(f[3]), int.Parse(f[4], CultureInfo.InvariantCulture),
            D(f[5]) / 1024, "");
    }

    private static void WriteShapes(List<ShapeResult> shapes, string outDir, string foot)
    {
        var csv = new CsvTable("backend", "hidden", "batch", "macs_per_step", "status", "setup_s", "prove_s", "verify_s", "proof_bytes", "peak_rss_mib", "note");
        foreach (var s in shapes)
            csv.Add(new Text(s.Backend.ToString()), s.Hidden, s.Batch, s.Macs, new Text(s.Status), s.SetupSeconds, s.ProveSeconds, s.VerifySeconds,
                s.ProofBytes, s.PeakRssMib, new Text(s.Note));
        foreach (var (name, title, ylabel, pick) in new (string, string, string, Func<ShapeResult, double?>)[]
                 {
                     ("prove-time-vs-macs", "Prove time of one training step", "prove time (s)", s => s.ProveSeconds),
                     ("proof-size-vs-macs", "Proof size of one training step", "proof size (bytes)", s => s.ProofBytes),
                     ("peak-memory-vs-macs", "Peak memory of one training step (setup + prove + verify, own process)", "peak RSS (MiB)", s => s.PeakRssMib),
                 })
        {
            csv.Save(Path.Combine(outDir, name + ".csv"));
            var series = new List<ChartSeries>();
            var measured = shapes.Where(s => s.Status == "ok").ToList();
            // Refusals and timeouts have no figure: their crosses sit at the lowest measured value, at their MACs.
            double floor = measured.Count == 0 ? 1 : measured.Min(s => pick(s)!.Value);
            foreach (var group in shapes.GroupBy(s => s.Backend))
            {
                var ok = group.Where(s => s.Status == "ok").ToList();
                if (ok.Count > 0) series.Add(new ChartSeries(group.Key.ToString(), [.. ok.Select(s => (double)s.Macs)], [.. ok.Select(s => pick(s)!.Value)]));
                var stopped = group.Where(s => s.Status != "ok").ToList();
                if (stopped.Count > 0)
                    series.Add(new ChartSeries($"{group.Key} refuses / times out", [.. stopped.Select(s => (double)s.Macs)], [.. stopped.Select(_ => floor)])
                    { Lines = false, Cross = true });
            }
            ChartRenderer.SavePng(new Chart
            {
                Title = title,
                XLabel = $"MACs per SGD step (64-h-10 MLP, {DatasetRows} committed rows)",
                YLabel = ylabel,
                LogX = true,
                LogY = true,
                Series = series,
                Footnote = foot,
            }, Path.Combine(outDir, name + ".png"));
        }
    }

    private static void WritePeers(List<PeerResult> peers, string outDir, string foot)
    {
        var csv = new CsvTable("prover", "n", "m", "constraints", "wall_s", "cpu_s", "peak_rss_mib");
        foreach (var p in peers) csv.Add(new Text(p.Prover), p.N, p.M, p.Constraints, p.WallSeconds, p.CpuSeconds, p.PeakRssMib);
        foreach (var (name, title, ylabel, pick) in new (string, string, string, Func<PeerResult, double>)[]
                 {
                     ("groth16-prove-vs-constraints", "Groth16 prove (process wall time) on a circom dense layer", "prove time (s)", p => p.WallSeconds),
                     ("groth16-peak-memory-vs-constraints", "Groth16 prove peak memory on a circom dense layer", "peak RSS (MiB)", p => p.PeakRssMib),
                 })
        {
            csv.Save(Path.Combine(outDir, name + ".csv"));
            ChartRenderer.SavePng(new Chart
            {
                Title = title,
                XLabel = "R1CS constraints (benchmarks/peer/run.sh N M, same .zkey and witness)",
                YLabel = ylabel,
                LogX = true,
                LogY = true,
                Series = [.. peers.GroupBy(p => p.Prover).Select(g => new ChartSeries(g.Key,
                    [.. g.Select(p => (double)p.Constraints)], [.. g.Select(pick)]))],
                Footnote = foot,
            }, Path.Combine(outDir, name + ".png"));
        }
    }

    private static List<ShapeResult> ReadShapes(string path)
    {
        var csv = CsvTable.Load(path);
        return [.. csv.Rows.Select(r => new ShapeResult(Enum.Parse<Backend>(r[0]), int.Parse(r[1], CultureInfo.InvariantCulture),
            int.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture), r[4], N(r[5]), N(r[6]), N(r[7]),
            r[8].Length == 0 ? null : int.Parse(r[8], CultureInfo.InvariantCulture), N(r[9]), r[10]))];
    }

    private static List<PeerResult> ReadPeers(string path) =>
        [.. CsvTable.Load(path).Rows.Select(r => new PeerResult(r[0], int.Parse(r[1], CultureInfo.InvariantCulture),
            int.Parse(r[2], CultureInfo.InvariantCulture), long.Parse(r[3], CultureInfo.InvariantCulture), D(r[4]), D(r[5]), D(r[6])))];

    private static double? N(string s) => s.Length == 0 ? null : D(s);

    // run.sh prints "# of Constraints: N" and, per prover, "name run 1: wall M:SS.ss, CPU (user+sys) X s, peak RSS Y MiB".
    private static List<PeerResult> MeasurePeers(string root, int n, int m)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "benchmarks", "peer", "run.sh"), I(n), I(m), "1"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var (exit, output) = Run(start, TimeSpan.FromMinutes(10));
        var found = new List<PeerResult>();
        var constraints = ConstraintsLine().Match(output);
        if (exit != 0 || !constraints.Success)
        {
            Console.Error.WriteLine($"benchmarks/peer/run.sh {n} {m} failed (exit {exit?.ToString(CultureInfo.InvariantCulture) ?? "timeout"}):\n{output}");
            return found;
        }
        long count = long.Parse(constraints.Groups[1].Value, CultureInfo.InvariantCulture);
        foreach (Match r in RunLine().Matches(output))
        {
            double wall = r.Groups["wall"].Value.Split(':').Aggregate(0.0, (acc, part) => acc * 60 + D(part));
            found.Add(new PeerResult(r.Groups["name"].Value, n, m, count, wall, D(r.Groups["cpu"].Value), D(r.Groups["rss"].Value)));
        }
        return found;
    }

    private static (int? Exit, string Output) RunSelf(string[] args, TimeSpan limit)
    {
        // Under `dotnet run` the process is the apphost; under `dotnet X.dll` it is dotnet and needs the assembly first.
        string host = Environment.ProcessPath!;
        string[] prefix = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(ReportCommand).Assembly.Location] : [];
        return Run(new ProcessStartInfo(host, [.. prefix, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true }, limit);
    }

    private static (int? Exit, string Output) Run(ProcessStartInfo start, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (null, stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"# of Constraints: (\d+)")]
    private static partial Regex ConstraintsLine();

    [GeneratedRegex(@"^(?<name>\S+) run \d+: wall (?<wall>[\d:.]+), CPU \(user\+sys\) (?<cpu>[\d.]+) s, peak RSS (?<rss>\d+) MiB", RegexOptions.Multiline)]
    private static partial Regex RunLine();

    /// <summary>A text CSV field among numbers.</summary>
    private readonly record struct Text(string Value) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider) => Value;
    }
}
