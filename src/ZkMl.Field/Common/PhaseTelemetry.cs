using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ZkMl.Common;

/// <summary>
/// A library's tracing and metrics for its long-running phases (setup, witness, NTT, MSM, commit, FRI, sumcheck):
/// one <see cref="ActivitySource"/> and one <see cref="System.Diagnostics.Metrics.Meter"/> of the same name, so standard
/// tools (<c>dotnet-trace</c>, <c>dotnet-counters monitor --counters ZkMl.Stark</c>, OpenTelemetry) see where time goes.
/// Nobody listening costs one timestamp per phase.
/// </summary>
public sealed class PhaseTelemetry
{
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _completed;

    /// <summary>Creates the source and meter named <paramref name="name"/> (e.g. <c>ZkMl.Snark</c>).</summary>
    public PhaseTelemetry(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Source = new ActivitySource(name);
        Meter = new Meter(name);
        string prefix = name.ToLowerInvariant();
        _duration = Meter.CreateHistogram<double>(prefix + ".phase.duration", "ms", "Wall time of one prover phase, tagged with the phase name.");
        _completed = Meter.CreateCounter<long>(prefix + ".phase.completed", "{phase}", "Phases run to completion, tagged with the phase name.");
    }

    /// <summary>The name of the activity source and of the meter.</summary>
    public string Name { get; }

    /// <summary>The activity source: one activity per phase.</summary>
    public ActivitySource Source { get; }

    /// <summary>The meter: <c>&lt;name&gt;.phase.duration</c> (histogram, ms) and <c>&lt;name&gt;.phase.completed</c> (counter).</summary>
    public Meter Meter { get; }

    /// <summary>Starts timing <paramref name="phase"/>; dispose the scope when the phase ends.</summary>
    public PhaseScope Phase(string phase) => new(this, phase, Source.StartActivity(phase));

    internal void Record(string phase, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("phase", phase);
        if (_duration.Enabled) _duration.Record(milliseconds, tag);
        if (_completed.Enabled) _completed.Add(1, tag);
    }
}
