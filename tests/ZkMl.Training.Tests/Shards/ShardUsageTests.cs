using ZkMl.Training.Contract;
using ZkMl.Training.Shards;
using ZkMl.Training.Tests.Contract;

namespace ZkMl.Training.Tests.Shards;

public class ShardUsageTests
{
    private static readonly byte[] Seed = [.. Enumerable.Range(0, 32).Select(i => (byte)(3 * i))];

    // Roots need not be real commitments for usage: any canonical scalars laid out as shards of 4, 4 and 2 rows.
    private static DatasetShards Layout() => DatasetShards.Create([Root(1), Root(2), Root(3)], [4, 4, 2]);

    private static ReadOnlyMemory<byte> Root(byte b)
    {
        var r = new byte[32];
        r[31] = b;
        return r;
    }

    [Fact]
    public void AWholeEpochUsesEveryRowOnce()
    {
        // 10 rows, batch 2: five steps per epoch, no row repeats within it.
        var usage = ShardUsage.Compute(Layout(), 2, Seed, [0, 1, 2, 3, 4]);
        Assert.Equal([4L, 4, 2], usage.Select(u => u.RowUses));
        Assert.Equal([4, 4, 2], usage.Select(u => u.DistinctRows));
        Assert.Equal([4, 4, 2], usage.Select(u => u.Rows));
    }

    [Fact]
    public void OnlyTheProvenStepsCountAndRepeatsAcrossEpochsAreUsesNotNewRows()
    {
        var layout = Layout();
        int[] steps = [1, 6, 6, 13];
        var usage = ShardUsage.Compute(layout, 2, Seed, steps);
        var uses = new long[3];
        var distinct = new HashSet<int>[] { [], [], [] };
        foreach (int t in steps.Distinct())
            foreach (int row in SeededBatchSchedule.Rows(Seed, 10, 2, t))
            {
                int shard = row < 4 ? 0 : row < 8 ? 1 : 2;
                uses[shard]++;
                distinct[shard].Add(row);
            }
        Assert.Equal(uses, usage.Select(u => u.RowUses));
        Assert.Equal(distinct.Select(d => d.Count), usage.Select(u => u.DistinctRows));
        Assert.Equal(6, usage.Sum(u => u.RowUses));
        Assert.All(ShardUsage.Compute(layout, 2, Seed, []), u => Assert.Equal(0, u.RowUses));
    }

    [Fact]
    public void TheContractOverloadChecksTheDatasetAndSteps()
    {
        var layout = Layout();
        var contract = ContractSamples.Groth16() with { DatasetRoot = layout.Root, DatasetRows = layout.RowCount, BatchSize = 2, StepCount = 10 };
        Assert.True(layout.IsDatasetOf(contract));
        Assert.False(layout.IsDatasetOf(contract with { DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle }));
        Assert.Equal(ShardUsage.Compute(layout, 2, Seed, [0, 7]), ShardUsage.Compute(layout, contract, Seed, [0, 7]));
        Assert.Throws<ArgumentException>(() => ShardUsage.Compute(layout, contract, Seed, [10]));
        Assert.Throws<ArgumentException>(() => ShardUsage.Compute(layout, contract with { DatasetRows = 12 }, Seed, [0]));
        Assert.Throws<ArgumentException>(() => ShardUsage.Compute(layout, contract with { DatasetRoot = [.. Root(9).ToArray()] }, Seed, [0]));
    }
}
