using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace ZkMl.Benchmarks;

/// <summary>
/// A BenchmarkDotNet clock reading this process's CPU time (clock_gettime(CLOCK_PROCESS_CPUTIME_ID), ns resolution).
/// On a machine shared with many busy processes wall time mostly measures the scheduler; CPU time measures the code.
/// For a single-threaded benchmark it approximates wall time on an idle core; for a parallel one it is the sum over
/// threads (divide by the thread count for an ideal-scaling wall-time estimate).
/// </summary>
public sealed partial class ProcessCpuClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;

    public static ProcessCpuClock Instance { get; } = new();

    public string Title => "ProcessCpuTime";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => new(1_000_000_000d);

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockProcessCpuTimeId, out TimeSpec ts) != 0) throw new InvalidOperationException("clock_gettime failed");
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
