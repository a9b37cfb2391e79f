using System.Collections.Concurrent;
using System.Diagnostics;

namespace ZkMl.Cli;

/// <summary>
/// With ZKML_TIMINGS=1, prints to standard error a millisecond timeline of the libraries' phases (every ZkMl.* activity
/// source: key reading, the quotient, each MSM, blinding), offsets from the entry of <c>Main</c>, the thread each ran on,
/// and the process's totals (CPU, garbage collections, page faults), for profiling small proofs where process start and
/// fixed costs are most of the time. <c>Main</c>'s entry is also printed as Unix time in microseconds, so a wrapper that
/// notes its own launch time sees the start-up before it. Off (the default), nothing listens and nothing is printed.
/// </summary>
internal static class PhaseTimings
{
    /// <summary>The switch: "1" turns the timeline on.</summary>
    internal const string Variable = "ZKML_TIMINGS";

    private static readonly ConcurrentQueue<(string Name, DateTime Start, TimeSpan Duration, int Thread)> Phases = new();
    private static ActivityListener? _listener;
    private static DateTime _main;

    /// <summary>Starts listening when the switch is on; <paramref name="mainEntry"/> is when <c>Main</c> began.</summary>
    public static void Start(DateTime mainEntry)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return;
        _main = mainEntry;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("ZkMl.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => Phases.Enqueue((a.OperationName, a.StartTimeUtc, a.Duration, Environment.CurrentManagedThreadId)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Prints the timeline (when on) to <paramref name="error"/>.</summary>
    public static void Report(TextWriter error)
    {
        if (_listener == null) return;
        var end = DateTime.UtcNow;
        _listener.Dispose();
        long unixMicros = (_main - DateTime.UnixEpoch).Ticks / 10;
        // Which build runs: on linux-x64 the x86-64-v4 one has AVX-512 code, the portable one (zkml-avx2) has not.
        string build = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512" : "no AVX-512";
        error.WriteLine($"zkml timings ({build}): main entered at unix {unixMicros} us; offsets from there, ms");
        foreach (var (name, start, duration, thread) in Phases.OrderBy(p => p.Start))
            error.WriteLine($"  {name,-24} {(start - _main).TotalMilliseconds,8:F2} +{duration.TotalMilliseconds,8:F2}  thread {thread}");
        using var self = Process.GetCurrentProcess();
        error.WriteLine($"  end {(end - _main).TotalMilliseconds:F2}; CPU user {self.UserProcessorTime.TotalMilliseconds:F1} sys "
            + $"{self.PrivilegedProcessorTime.TotalMilliseconds:F1}; GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} "
            + $"(pause {GC.GetTotalPauseDuration().TotalMilliseconds:F2}), allocated {GC.GetTotalAllocatedBytes() >> 10} KiB; "
            + $"minor page faults {MinorFaults()}");
    }

    // Field 10 of /proc/self/stat (after the parenthesised command name); -1 where there is none.
    private static long MinorFaults()
    {
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }
}
