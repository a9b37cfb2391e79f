namespace ZkMl.Training.Contract;

/// <summary>The kind of randomness source the contract names for schedule seeds and audit draws.</summary>
public enum ChallengeSourceKind : byte
{
    /// <summary><see cref="InteractiveChallenge"/>: an auditor answers each commitment with signed fresh randomness.</summary>
    Interactive = 1,
    /// <summary><see cref="BeaconChallenge"/>: a public beacon round after the commitment was provably published.</summary>
    Beacon = 2,
    /// <summary><see cref="FiatShamirChallenge"/>: a hash of the worker's own commitment; grindable, for tests and local use.</summary>
    FiatShamir = 3,
}
