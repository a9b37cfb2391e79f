namespace ZkMl.Network;

/// <summary>The answer to a lease request: a task, or none with the reason (no work now, run finished, run unknown, worker faulty).</summary>
[GenerateSerializer, Immutable]
public sealed class LeaseResult
{
    /// <summary>The leased task, or null.</summary>
    [Id(0)] public StepTask? Task { get; init; }
    /// <summary>Why there is no task (accepted when there is one, or when there is simply no free task now).</summary>
    [Id(1)] public Outcome Outcome { get; init; } = Outcome.Ok();
    /// <summary>The run's phase when answering.</summary>
    [Id(2)] public RunPhase Phase { get; init; }
}
