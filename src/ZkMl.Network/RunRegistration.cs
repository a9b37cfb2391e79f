namespace ZkMl.Network;

/// <summary>A run as submitted: the canonical training-contract bytes, the registered verifier keys (ECDSA P-256 SPKI DER; a verifier's index is its position), the network policy, the data contributors and (Groth16) the pinned verifying keys.</summary>
[GenerateSerializer, Immutable]
public sealed class RunRegistration
{
    /// <summary>The training contract's canonical encoding (<c>TrainingContract.Encode</c>).</summary>
    [Id(0)] public byte[] Contract { get; init; } = [];
    /// <summary>The registered verifiers' public keys.</summary>
    [Id(1)] public byte[][] VerifierKeys { get; init; } = [];
    /// <summary>Coverage, quorum and deadlines.</summary>
    [Id(2)] public RunPolicy Policy { get; init; } = new();
    /// <summary>
    /// The data contributors whose signed shard attestations the contract's dataset root must combine (empty: the dataset has
    /// one owner and no attestations are asked for). Needs the Groth16 dataset format (Poseidon-BN254 Merkle tree).
    /// </summary>
    [Id(3)] public ContributorRegistration[] Contributors { get; init; } = [];
    /// <summary>
    /// For a Groth16 contract, the step and membership verifying keys (canonical bytes). They are accepted only when their
    /// SHA-256 values are the ones the contract pins, so the trainer cannot substitute a key; verifiers may use their own copy instead.
    /// </summary>
    [Id(4)] public byte[] Groth16StepKey { get; init; } = [];
    /// <summary>The membership verifying key to go with <see cref="Groth16StepKey"/>.</summary>
    [Id(5)] public byte[] Groth16MembershipKey { get; init; } = [];
}
