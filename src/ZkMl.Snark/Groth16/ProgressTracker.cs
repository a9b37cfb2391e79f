namespace ZkMl.Snark.Groth16;

/// <summary>
/// Turns units of work finished on any thread into monotone fraction reports on an <see cref="IProgress{T}"/>: at most one
/// report per percent, never out of order, below 1 until <see cref="Complete"/>.
/// </summary>
internal sealed class ProgressTracker(IProgress<double>? sink, long total)
{
    private readonly Lock _lock = new();
    private long _done;
    private int _reported;

    /// <summary>Counts <paramref name="units"/> more done; reports when a new percent is reached.</summary>
    public void Add(long units)
    {
        if (sink is null || total <= 0) return;
        long done = Interlocked.Add(ref _done, units);
        int percent = (int)Math.Min(99, done * 100 / total);
        if (percent <= Volatile.Read(ref _reported)) return;
        // Reporting under the lock keeps the reports in order when chunks finish on several threads.
        lock (_lock)
        {
            if (percent <= _reported) return;
            _reported = percent;
            sink.Report(percent / 100.0);
        }
    }

    /// <summary>Reports 1 (the work is done).</summary>
    public void Complete()
    {
        if (sink is null) return;
        lock (_lock)
        {
            _reported = 100;
            sink.Report(1.0);
        }
    }
}
