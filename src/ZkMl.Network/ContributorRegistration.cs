namespace ZkMl.Network;

/// <summary>
/// A data contributor registered with a run: its signing key, its shard's capacity (the attestation circuit's size; input
/// size, fraction bits and classes are the contract's) and the Groth16 verifying key of that attestation circuit (canonical
/// bytes, <c>Groth16VerifyingKeys.CanonicalBytes</c>) from the ceremony the contributors trust. A contributor's index is its
/// position in <see cref="RunRegistration.Contributors"/>, which is also its shard's position in the dataset layout.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ContributorRegistration
{
    /// <summary>The contributor's ECDSA P-256 public key (SubjectPublicKeyInfo DER).</summary>
    [Id(0)] public byte[] PublicKey { get; init; } = [];
    /// <summary>The shard's capacity (a power of two; the shard holds capacity/2+1..capacity rows).</summary>
    [Id(1)] public int Capacity { get; init; }
    /// <summary>The attestation circuit's verifying key, canonical bytes.</summary>
    [Id(2)] public byte[] AttestationKey { get; init; } = [];
}
