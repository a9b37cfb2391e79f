using System.Diagnostics;

namespace ZkMl.Stark.Internal;

/// <summary>The prover's tracing source: one <see cref="Activity"/> per protocol phase (listen to <see cref="StarkProver.ActivitySourceName"/>).</summary>
internal static class StarkActivity
{
    public static readonly ActivitySource Source = new(StarkProver.ActivitySourceName);

    /// <summary>Starts a phase's activity; null (free) when nobody listens.</summary>
    public static Activity? Phase(string name) => Source.StartActivity(name);
}
