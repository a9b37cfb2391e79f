namespace ZkMl.Network;

/// <summary>A verifier's reveal of its draw nonce; authenticated by matching the signed <see cref="DrawCommit"/>.</summary>
[GenerateSerializer, Immutable]
public sealed class DrawReveal
{
    /// <summary>The verifier's index in the registration.</summary>
    [Id(0)] public int Verifier { get; init; }
    /// <summary>The draw round.</summary>
    [Id(1)] public int Round { get; init; }
    /// <summary>The 32-byte nonce.</summary>
    [Id(2)] public byte[] Nonce { get; init; } = [];
}
