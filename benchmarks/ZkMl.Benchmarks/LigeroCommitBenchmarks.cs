using System.Diagnostics;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Benchmarks;

/// <summary>
/// CPU time and wall clock of Ligero commitments at the zero-knowledge step's shapes (issue #16): the hiding zero-tail
/// stack (rate 1/8, 112 queries, 2^22 variables with its first 11/16 committed) and a seeded chain commitment (rate 1/16,
/// 116 queries, two openings, two evaluation slots, 2^17 entries), with the <c>commit.encode</c> and <c>commit.merkle</c>
/// phases from the library's activity source, and the root's first bytes (to compare builds):
/// <c>dotnet run -c Release --project benchmarks/ZkMl.Benchmarks -- ligero-commit [stack|chain|both] [repeats]</c>.
/// </summary>
public static class LigeroCommitBenchmarks
{
    /// <summary>The command word.</summary>
    public const string Command = "ligero-commit";

    private static readonly LigeroParameters Stack = new(3, 112, true);
    private static readonly LigeroParameters Chain = new(4, 116, true, 2);

    /// <summary>Runs the measurement; args: which commitment (stack, chain or both) and repeats (3).</summary>
    public static int Run(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "both";
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var phases = new Dictionary<string, double>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => { lock (phases) phases[a.OperationName] = phases.GetValueOrDefault(a.OperationName) + a.Duration.TotalMilliseconds; },
        };
        ActivitySource.AddActivityListener(listener);
        var rng = new Random(1);
        var stack = new Goldilocks[(1 << 22) / 16 * 11];
        for (int i = 0; i < stack.Length; i++) stack[i] = Goldilocks.FromUInt64((ulong)rng.NextInt64());
        var chain = new Goldilocks[1 << 17];
        for (int i = 0; i < chain.Length; i++) chain[i] = Goldilocks.FromUInt64((ulong)rng.NextInt64());
        var seed = new byte[32];
        for (int r = 0; r < repeats; r++)
        {
            if (mode is "stack" or "both") Measure("stack 2^22 (11/16 committed)", phases, () => LigeroPcs.CommitZeroTail(Stack, stack, 22, 1, new Random(r)));
            if (mode is "chain" or "both") Measure("chain 2^17", phases, () => LigeroPcs.CommitSeeded(Chain, chain, 2, seed));
        }
        return 0;
    }

    private static void Measure(string label, Dictionary<string, double> phases, Func<LigeroProverData> commit)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        lock (phases) phases.Clear();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var data = commit();
        double wall = clock.Elapsed.TotalMilliseconds;
        double used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var c = data.Commitment;
        Console.WriteLine($"{label}: rows {c.Rows}, columns {c.ColumnCount}: wall {wall:F0} ms, CPU {used:F0} ms, encode {phases.GetValueOrDefault("commit.encode"):F0} ms, merkle {phases.GetValueOrDefault("commit.merkle"):F0} ms; root {Convert.ToHexString(c.Root)[..16]}; load {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
