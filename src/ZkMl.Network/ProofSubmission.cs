namespace ZkMl.Network;

/// <summary>A prover worker's proof for a leased step.</summary>
[GenerateSerializer, Immutable]
public sealed class ProofSubmission
{
    /// <summary>The worker's id (as it leased the task).</summary>
    [Id(0)] public string Worker { get; init; } = "";
    /// <summary>The lease it holds.</summary>
    [Id(1)] public Guid Lease { get; init; }
    /// <summary>The step.</summary>
    [Id(2)] public int Step { get; init; }
    /// <summary>The backend's serialized step proof.</summary>
    [Id(3)] public byte[] Proof { get; init; } = [];
}
