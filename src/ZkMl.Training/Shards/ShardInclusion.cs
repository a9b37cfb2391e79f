using System.Collections.Immutable;

namespace ZkMl.Training.Shards;

/// <summary>
/// Where a shard sits in the run's dataset tree: its subtree's position at level <see cref="Level"/> (log2 of its padded
/// size) and the sibling nodes from that level up to the dataset root (32-byte BN254 scalars). Its rows are
/// [Position * 2^Level, Position * 2^Level + rows).
/// </summary>
/// <param name="Level">Height of the shard's subtree.</param>
/// <param name="Position">Index of the shard's subtree among the nodes at <paramref name="Level"/>.</param>
/// <param name="Siblings">Sibling node at each level from <paramref name="Level"/> up, lowest first.</param>
public sealed record ShardInclusion(int Level, int Position, ImmutableArray<ImmutableArray<byte>> Siblings)
{
    /// <summary>The first dataset row of the shard.</summary>
    public long FirstRow => (long)Position << Level;
}
