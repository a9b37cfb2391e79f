namespace ZkMl.Network;

/// <summary>A run as submitted: the canonical training-contract bytes, the registered verifier keys (ECDSA P-256 SPKI DER; a verifier's index is its position) and the network policy.</summary>
[GenerateSerializer, Immutable]
public sealed class RunRegistration
{
    /// <summary>The training contract's canonical encoding (<c>TrainingContract.Encode</c>).</summary>
    [Id(0)] public byte[] Contract { get; init; } = [];
    /// <summary>The registered verifiers' public keys.</summary>
    [Id(1)] public byte[][] VerifierKeys { get; init; } = [];
    /// <summary>Coverage, quorum and deadlines.</summary>
    [Id(2)] public RunPolicy Policy { get; init; } = new();
}
