using ZkMl.Common;

namespace ZkMl.Stark.Internal;

/// <summary>The prover's tracing and metrics: one activity and one duration record per protocol phase (listen to <see cref="StarkProver.ActivitySourceName"/>).</summary>
internal static class StarkActivity
{
    public static readonly PhaseTelemetry Telemetry = new(StarkProver.ActivitySourceName);

    /// <summary>Starts a phase.</summary>
    public static PhaseScope Phase(string name) => Telemetry.Phase(name);
}
