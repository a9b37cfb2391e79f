namespace ZkMl.Network;

/// <summary>An accepted proof assigned to a verifier for checking.</summary>
[GenerateSerializer, Immutable]
public sealed class ProofAssignment
{
    /// <summary>The step.</summary>
    [Id(0)] public int Step { get; init; }
    /// <summary>The proof bytes.</summary>
    [Id(1)] public byte[] Proof { get; init; } = [];
}
