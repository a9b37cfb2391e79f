namespace ZkMl.Network;

/// <summary>A step-proof task leased to one prover worker until <see cref="Expires"/>.</summary>
[GenerateSerializer, Immutable]
public sealed class StepTask
{
    /// <summary>The step to prove.</summary>
    [Id(0)] public int Step { get; init; }
    /// <summary>The lease; a submission must name it.</summary>
    [Id(1)] public Guid Lease { get; init; }
    /// <summary>When the task is reassigned if no proof was accepted.</summary>
    [Id(2)] public DateTimeOffset Expires { get; init; }
}
