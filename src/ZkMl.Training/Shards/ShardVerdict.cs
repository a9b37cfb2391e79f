namespace ZkMl.Training.Shards;

/// <summary>The outcome of checking a shard attestation: valid, or the first reason it is not.</summary>
/// <param name="IsValid">True when every check passed.</param>
/// <param name="Reason">Why it was rejected; empty when valid.</param>
public sealed record ShardVerdict(bool IsValid, string Reason)
{
    internal static ShardVerdict Valid { get; } = new(true, "");

    internal static ShardVerdict Invalid(string reason) => new(false, reason);
}
