using System.Diagnostics;

namespace ZkMl.Benchmarks;

/// <summary>
/// CPU time and wall clock of single step proofs (<see cref="SumcheckStepBenchmarks.ProveStep"/>, its setup and shapes)
/// without BenchmarkDotNet's process per run, so that two builds can be alternated quickly on a shared machine:
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- zk-step [shape] [repeats]</c> prints every proof's
/// CPU and wall time with the load, then the medians.
/// </summary>
public static class StepCpuBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "zk-step";

    /// <summary>Runs the measurement; args: shape (784-128-10/64), repeats (5).</summary>
    public static int Run(string[] args)
    {
        var bench = new SumcheckStepBenchmarks { Shape = args.Length > 0 ? args[0] : "784-128-10/64" };
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
        bench.Setup();
        var (cpus, walls) = (new List<double>(), new List<double>());
        for (int r = 0; r < repeats; r++)
        {
            GC.Collect();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            int bytes = bench.ProveStep();
            double wall = clock.Elapsed.TotalMilliseconds, used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            (cpus, walls) = ([.. cpus, used], [.. walls, wall]);
            Console.WriteLine($"{bench.Shape} run {r}: cpu {used,6:F0} ms, wall {wall,6:F0} ms, {bytes} B; load {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        Console.WriteLine($"{bench.Shape} median of {repeats}: cpu {Median(cpus):F0} ms, wall {Median(walls):F0} ms");
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
