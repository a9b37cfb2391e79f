namespace ZkMl.Training.Shards;

/// <summary>How much of one shard the proven steps of a run used.</summary>
/// <param name="Shard">The shard's index in the layout.</param>
/// <param name="Rows">Rows in the shard.</param>
/// <param name="RowUses">Batch slots filled from the shard, summed over the proven steps (a row used in two epochs counts twice).</param>
/// <param name="DistinctRows">Distinct rows of the shard used by at least one proven step.</param>
public sealed record ShardRowUsage(int Shard, int Rows, long RowUses, int DistinctRows);
