using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>The batch sent in the clear is the scheduled rows of the row-committed data set; with the step proof, the whole step.</summary>
public class BatchMembershipTests
{
    private static readonly QuantizedMlpConfig Config = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly long[][] Inputs = [[0, 1024, 512, 64], [1024, 1024, 0, 256], [768, 0, 1024, 1024], [128, 896, 64, 0], [5, 6, 7, -8]];
    private static readonly int[] Labels = [2, 0, 1, 1, 0];
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(11 * i))];

    private sealed record Dataset(byte[][] Salts, Blake3MerkleTree Tree);

    private static Dataset CommitDataset()
    {
        var random = new Random(4);
        var rows = Inputs.Select((x, i) => SumcheckStep.Commit(BatchMembership.RowTable(QuantizedNetworkConfig.FromMlp(Config), x, Labels[i]))).ToArray();
        var salts = rows.Select(_ => { var s = new byte[BatchMembership.SaltBytes]; random.NextBytes(s); return s; }).ToArray();
        var leaves = rows.Select((r, i) => BatchMembership.Leaf(salts[i], r.Commitment)).ToArray();
        return new Dataset(salts, BatchMembership.Tree(leaves));
    }

    private static byte[] Prove(Dataset d, int[] rows, long[][]? inputs = null, int[]? labels = null) =>
        BatchMembership.Prove(QuantizedNetworkConfig.FromMlp(Config), rows, d.Tree, [.. rows.SelectMany((r, b) => (inputs ?? Inputs)[inputs is null ? r : b])],
            [.. rows.Select((r, b) => (labels ?? Labels)[labels is null ? r : b])], [.. rows.Select(r => d.Salts[r])]);

    private static bool Verify(Dataset d, int[] rows, byte[] proof, byte[]? root = null) =>
        BatchMembership.Verify(QuantizedNetworkConfig.FromMlp(Config), root ?? d.Tree.Root, Inputs.Length, rows, proof, out _, out _);

    [Fact]
    public void TheScheduledRowsVerifyAndOthersDoNot()
    {
        var d = CommitDataset();
        int[] rows = [3, 4];
        var proof = Prove(d, rows);
        Assert.True(BatchMembership.Verify(QuantizedNetworkConfig.FromMlp(Config), d.Tree.Root, Inputs.Length, rows, proof, out var inputs, out var labels));
        Assert.Equal(Inputs[3].Concat(Inputs[4]), inputs);
        Assert.Equal([Labels[3], Labels[4]], labels);
        Assert.False(Verify(d, [4, 3], proof));
        Assert.False(Verify(d, [3, 2], proof));
        var otherRoot = d.Tree.Root;
        otherRoot[0] ^= 1;
        Assert.False(Verify(d, rows, proof, otherRoot));

        var random = new Random(2);
        for (int i = 0; i < 16; i++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(Verify(d, rows, flipped));
        }
        Assert.False(Verify(d, rows, proof[..^1]));
        Assert.False(Verify(d, rows, [.. proof, 0]));
    }

    [Fact]
    public void ARowOrLabelOutsideTheDataSetIsRejected()
    {
        var d = CommitDataset();
        int[] rows = [0, 4];
        Assert.True(Verify(d, rows, Prove(d, rows)));
        Assert.False(Verify(d, rows, Prove(d, rows, [Inputs[0], [999, 6, 7, -8]])));
        Assert.False(Verify(d, rows, Prove(d, rows, labels: [Labels[0], 1])));
        Assert.False(Verify(d, rows, Prove(d, rows, labels: [Labels[0], 3])));
    }

    [Fact]
    public void MembershipAndTheStepProofTogetherProveAWholeStep()
    {
        var d = CommitDataset();
        var model = QuantizedMlp.CreateInitial(Config, 8);
        int[] rows = [4, 2];
        var membership = Prove(d, rows);
        Assert.True(BatchMembership.Verify(QuantizedNetworkConfig.FromMlp(Config), d.Tree.Root, Inputs.Length, rows, membership, out var inputs, out var labels));
        var tables = new StepTables(Config, model.Weights1, model.Weights2, inputs, labels);
        var (w1, w2, w1After, w2After) = (SumcheckStep.Commit(tables.Weights[0]), SumcheckStep.Commit(tables.Weights[1]), SumcheckStep.Commit(tables.WeightsAfter[0]), SumcheckStep.Commit(tables.WeightsAfter[1]));
        var step = SumcheckStep.Prove(Digest, Config, tables, w1, w2, w1After, w2After);
        var (x, t) = StepTables.Batch(QuantizedNetworkConfig.FromMlp(Config), inputs, labels);
        Assert.True(SumcheckStep.Verify(Digest, Config, x, t, w1.Commitment, w2.Commitment, w1After.Commitment, w2After.Commitment, step));
        // The step proof is for this batch: other inputs (rows 4 and 3) or other labels (swapped) do not verify.
        var (otherX, _) = StepTables.Batch(QuantizedNetworkConfig.FromMlp(Config), [.. Inputs[4], .. Inputs[3]], [Labels[4], Labels[3]]);
        var (_, otherT) = StepTables.Batch(QuantizedNetworkConfig.FromMlp(Config), inputs, [Labels[2], Labels[4]]);
        Assert.False(SumcheckStep.Verify(Digest, Config, otherX, t, w1.Commitment, w2.Commitment, w1After.Commitment, w2After.Commitment, step));
        Assert.False(SumcheckStep.Verify(Digest, Config, x, otherT, w1.Commitment, w2.Commitment, w1After.Commitment, w2After.Commitment, step));
        var reference = model.Clone();
        reference.TrainStep([.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        Assert.Equal(reference.Weights1.ToArray(), StepTables.Unpad(tables.WeightsAfter[0], 3, 4, 4));
    }
}
