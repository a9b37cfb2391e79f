namespace ZkMl.Training.Shards;

/// <summary>
/// Encoded shard attestation (or exported shard) bytes are malformed, non-canonical, or exceed a <see cref="ShardLimits"/> limit;
/// <see cref="Field"/> names the offending field.
/// </summary>
public sealed class ShardFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public ShardFormatException(string field, string message) : base($"{field}: {message}") => Field = field;

    /// <summary>The field (a property of <see cref="ShardAttestation"/> or a structural name such as "Magic").</summary>
    public string Field { get; }
}
