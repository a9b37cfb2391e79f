namespace ZkMl.Network;

/// <summary>A verifier's verdict on one step's accepted proof, signed over <see cref="NetworkMessages.VerdictSigned"/>.</summary>
[GenerateSerializer, Immutable]
public sealed class SignedVerdict
{
    /// <summary>The verifier's index in the registration.</summary>
    [Id(0)] public int Verifier { get; init; }
    /// <summary>The step.</summary>
    [Id(1)] public int Step { get; init; }
    /// <summary>True when the proof verified.</summary>
    [Id(2)] public bool Valid { get; init; }
    /// <summary>SHA-256 of the proof bytes judged.</summary>
    [Id(3)] public byte[] ProofSha256 { get; init; } = [];
    /// <summary>The verifier key's signature.</summary>
    [Id(4)] public byte[] Signature { get; init; } = [];
}
