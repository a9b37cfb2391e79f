namespace ZkMl.Network;

/// <summary>A verifier's commitment to its draw nonce for one round (<see cref="NetworkMessages.NonceCommitment"/>), signed over <see cref="NetworkMessages.CommitSigned"/>.</summary>
[GenerateSerializer, Immutable]
public sealed class DrawCommit
{
    /// <summary>The verifier's index in the registration.</summary>
    [Id(0)] public int Verifier { get; init; }
    /// <summary>The draw round.</summary>
    [Id(1)] public int Round { get; init; }
    /// <summary>SHA-256 commitment to the nonce (32 bytes).</summary>
    [Id(2)] public byte[] Commitment { get; init; } = [];
    /// <summary>The verifier key's signature.</summary>
    [Id(3)] public byte[] Signature { get; init; } = [];
}
