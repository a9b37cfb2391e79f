using System.Diagnostics;

namespace ZkMl.Common;

/// <summary>One running phase of a <see cref="PhaseTelemetry"/>: stops its activity and records its duration on dispose.</summary>
public readonly struct PhaseScope : IDisposable
{
    private readonly PhaseTelemetry? _owner;
    private readonly string? _phase;
    private readonly Activity? _activity;
    private readonly long _started;

    internal PhaseScope(PhaseTelemetry owner, string phase, Activity? activity)
    {
        _owner = owner;
        _phase = phase;
        _activity = activity;
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The phase's activity, or null when no listener samples it (tag it, e.g. with sizes, when present).</summary>
    public Activity? Activity => _activity;

    /// <summary>Ends the phase.</summary>
    public void Dispose()
    {
        if (_owner is null) return;
        _activity?.Dispose();
        _owner.Record(_phase!, Stopwatch.GetElapsedTime(_started).TotalMilliseconds);
    }
}
