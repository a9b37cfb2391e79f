namespace ZkMl.Training.Shards;

/// <summary>Bounds a decoder of shard attestations enforces before it allocates.</summary>
public sealed record ShardLimits
{
    /// <summary>Defaults for network messages: 64 KiB attestations, 256 MiB exported shards, the largest class count the circuit supports, 256-byte keys.</summary>
    public static ShardLimits Default { get; } = new();

    /// <summary>Largest encoding accepted.</summary>
    public int MaxEncodedBytes { get; init; } = 64 * 1024;

    /// <summary>Largest exported shard (<see cref="ShardContributor.ImportSecret"/>: rows, labels and salts).</summary>
    public int MaxSecretBytes { get; init; } = 256 << 20;

    /// <summary>Largest number of histogram classes.</summary>
    public int MaxClasses { get; init; } = ShardParameters.MaxClasses;

    /// <summary>Largest contributor public key (SubjectPublicKeyInfo DER; P-256 keys are 91 bytes).</summary>
    public int MaxKeyBytes { get; init; } = 256;
}
