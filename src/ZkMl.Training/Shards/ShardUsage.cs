using ZkMl.Training.Contract;

namespace ZkMl.Training.Shards;

/// <summary>
/// Per-contributor usage: which rows the proven steps of a run drew from each shard, from the contract's batch schedule
/// (<see cref="SeededBatchSchedule"/>) alone. Row positions are public, so anyone can compute it; only proven steps count,
/// because an unproven step's batch was never shown to have been used.
/// </summary>
public static class ShardUsage
{
    /// <summary>
    /// Usage of each shard of <paramref name="shards"/> by <paramref name="provenSteps"/> under
    /// <paramref name="contract"/> with schedule seed <paramref name="scheduleSeed"/> (the schedule challenge's value).
    /// </summary>
    /// <exception cref="ArgumentException">The contract's dataset format, root or row count is not this layout's, or a step is outside the contract.</exception>
    public static IReadOnlyList<ShardRowUsage> Compute(DatasetShards shards, TrainingContract contract, ReadOnlySpan<byte> scheduleSeed, IEnumerable<int> provenSteps)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(provenSteps);
        if (!shards.IsDatasetOf(contract))
            throw new ArgumentException("The contract's dataset is not this shard layout's.", nameof(contract));
        var steps = provenSteps.ToArray();
        foreach (int t in steps)
            if (t < 0 || t >= contract.StepCount) throw new ArgumentException($"Step {t} is outside the contract's {contract.StepCount} steps.", nameof(provenSteps));
        return Compute(shards, contract.BatchSize, scheduleSeed, steps);
    }

    /// <summary>Usage of each shard by the steps <paramref name="provenSteps"/> (each counted once) with batch size <paramref name="batchSize"/>.</summary>
    public static IReadOnlyList<ShardRowUsage> Compute(DatasetShards shards, int batchSize, ReadOnlySpan<byte> scheduleSeed, IEnumerable<int> provenSteps)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(provenSteps);
        var uses = new long[shards.ShardCount];
        var distinct = new HashSet<int>[shards.ShardCount];
        for (int i = 0; i < distinct.Length; i++) distinct[i] = [];
        foreach (int step in provenSteps.Distinct())
            foreach (int row in SeededBatchSchedule.Rows(scheduleSeed, shards.RowCount, batchSize, step))
            {
                int shard = shards.ShardOf(row);
                uses[shard]++;
                distinct[shard].Add(row);
            }
        return [.. Enumerable.Range(0, shards.ShardCount).Select(i => new ShardRowUsage(i, shards.RowsOf(i), uses[i], distinct[i].Count))];
    }
}
