using ZkMl.Circuits;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Circuits;
using ZkMl.Training.Shards;

namespace ZkMl.Training.Tests.Shards;

public class DatasetShardsTests
{
    private static ShardContributor[] Contributors(params int[] sizes)
    {
        int first = 0;
        var shards = new ShardContributor[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            shards[i] = ShardContributor.Commit(ShardFixture.Digits(first, sizes[i]), ShardFixture.Parameters(sizes[i]));
            first += sizes[i];
        }
        return shards;
    }

    private static DatasetShards Layout(ShardContributor[] shards) =>
        DatasetShards.Create([.. shards.Select(s => s.Root)], [.. shards.Select(s => s.Data.Count)]);

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 4, 1 })]
    [InlineData(new[] { 4, 4, 2 })]
    [InlineData(new[] { 8, 4, 2, 2, 1 })]
    [InlineData(new[] { 4, 2, 2, 2 })]
    public void TheDatasetRootIsTheOneCommitmentOverTheConcatenatedRows(int[] sizes)
    {
        var shards = Contributors(sizes);
        var layout = Layout(shards);
        var dataset = layout.Assemble(shards, ShardFixture.Network);
        Assert.Equal(sizes.Sum(), layout.RowCount);
        Assert.Equal(dataset.Root.ToArray(), layout.Root.ToArray());
        Assert.Equal(layout.RowCount, dataset.RowCount);
        for (int i = 0; i < shards.Length; i++)
        {
            var inclusion = layout.Inclusion(i);
            Assert.Equal(layout.FirstRow(i), inclusion.FirstRow);
            Assert.True(DatasetShards.VerifyInclusion(shards[i].Root.Span, sizes[i], inclusion, layout.Root.AsSpan(), layout.RowCount));
            for (int r = 0; r < sizes[i]; r++)
            {
                Assert.Equal(i, layout.ShardOf(layout.FirstRow(i) + r));
                Assert.Equal(shards[i].Data.Row(r).ToArray(), dataset.Data.Row(layout.FirstRow(i) + r).ToArray());
            }
        }
    }

    [Fact]
    public void TheExistingBatchMembershipCircuitAcceptsRowsFromEveryShard()
    {
        var shards = Contributors(4, 4, 2);
        var layout = Layout(shards);
        var dataset = layout.Assemble(shards, ShardFixture.Network);
        var openings = (Groth16DatasetOpenings)dataset.Openings;
        // One row from the first shard and one from the last: a strict build throws unless every constraint holds.
        int[] rows = [1, 9];
        var batchSalt = FieldMath.RandomSecure<Bn254Fr>();
        var batch = PoseidonCommitment.Commit<Bn254Fr>([openings.SampleLeaves[1], openings.SampleLeaves[9]], batchSalt);
        var built = BatchMembershipCircuit.Build(ZkMl.Models.QuantizedNetworkConfig.FromMlp(ShardFixture.Network), dataset.RowCount, openings.Tree, openings.Salts, openings.SampleLeaves, rows, batchSalt, batch);
        Assert.Equal(Groth16Codec.ReadFr(layout.Root.AsSpan(), "root"), built.Witness[1]);
    }

    [Fact]
    public void AWrongInclusionIsRejected()
    {
        var shards = Contributors(4, 4, 2);
        var layout = Layout(shards);
        var good = layout.Inclusion(1);
        var root = layout.Root.AsSpan();
        Assert.False(DatasetShards.VerifyInclusion(shards[0].Root.Span, 4, good, root, layout.RowCount)); // another shard's root
        Assert.False(DatasetShards.VerifyInclusion(shards[1].Root.Span, 4, good with { Position = 0 }, root, layout.RowCount));
        Assert.False(DatasetShards.VerifyInclusion(shards[1].Root.Span, 2, good, root, layout.RowCount)); // 2 rows: a subtree one level lower
        Assert.False(DatasetShards.VerifyInclusion(shards[1].Root.Span, 4, good, root, 17)); // a data set of another depth
        var last = layout.Inclusion(2);
        Assert.False(DatasetShards.VerifyInclusion(shards[2].Root.Span, 2, last, root, 9)); // its rows past the data set's end
        var sibling = good.Siblings[0].ToArray();
        sibling[31] ^= 1;
        Assert.False(DatasetShards.VerifyInclusion(shards[1].Root.Span, 4, good with { Siblings = good.Siblings.SetItem(0, [.. sibling]) }, root, layout.RowCount));
    }

    [Fact]
    public void LayoutsWithGapsAreRefused()
    {
        var shards = Contributors(2, 4, 3);
        // Increasing size, and a partial shard before another: either would leave padding rows inside the data set.
        Assert.Throws<ArgumentException>(() => DatasetShards.Create([shards[0].Root, shards[1].Root], [2, 4]));
        Assert.Throws<ArgumentException>(() => DatasetShards.Create([shards[2].Root, shards[0].Root], [3, 2]));
        Assert.Throws<ArgumentException>(() => DatasetShards.Create([shards[1].Root], [4, 2]));
        var layout = DatasetShards.Create([shards[1].Root, shards[2].Root], [4, 3]);
        Assert.Throws<ArgumentException>(() => layout.Assemble([shards[1], shards[0]], ShardFixture.Network));
    }

    [Fact]
    public void AShardOfTheWrongSizeForItsCapacityIsRefused()
    {
        Assert.Throws<ArgumentException>(() => ShardContributor.Commit(ShardFixture.Digits(0, 2), ShardFixture.Parameters(8)));
        Assert.Throws<ArgumentException>(() => ShardContributor.Commit(ShardFixture.Digits(0, 5), ShardFixture.Parameters(4)));
    }
}
