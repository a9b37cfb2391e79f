using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>The committed batch tables are the scheduled rows of the row-committed data set; with the step proof, the whole step.</summary>
public class BatchMembershipTests
{
    private static readonly QuantizedMlpConfig Config = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly long[][] Inputs = [[0, 1024, 512, 64], [1024, 1024, 0, 256], [768, 0, 1024, 1024], [128, 896, 64, 0], [5, 6, 7, 8]];
    private static readonly int[] Labels = [2, 0, 1, 1, 0];
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(11 * i))];

    private sealed record Dataset(LigeroProverData[] Rows, byte[][] Salts, Blake3MerkleTree Tree);

    private static Dataset CommitDataset()
    {
        var random = new Random(4);
        var rows = Inputs.Select((x, i) => SumcheckStep.Commit(BatchMembership.RowTable(Config, x, Labels[i]))).ToArray();
        var salts = rows.Select(_ => { var s = new byte[BatchMembership.SaltBytes]; random.NextBytes(s); return s; }).ToArray();
        var leaves = rows.Select((r, i) => BatchMembership.Leaf(salts[i], r.Commitment)).ToArray();
        return new Dataset(rows, salts, BatchMembership.Tree(leaves));
    }

    private static (LigeroProverData X, LigeroProverData T, StepTables Tables) Batch(int[] rows, QuantizedMlp model)
    {
        var tables = new StepTables(Config, model.Weights1, model.Weights2, [.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        return (SumcheckStep.Commit(tables.X), SumcheckStep.Commit(tables.T), tables);
    }

    private static byte[] Prove(Dataset d, int[] rows, LigeroProverData x, LigeroProverData t) =>
        BatchMembership.Prove(Digest, Config, rows, d.Tree, [.. rows.Select(r => d.Rows[r])], [.. rows.Select(r => d.Salts[r])], x, t);

    [Fact]
    public void TheScheduledRowsVerifyAndOthersDoNot()
    {
        var d = CommitDataset();
        var model = QuantizedMlp.CreateInitial(Config, 3);
        int[] rows = [3, 1];
        var (x, t, _) = Batch(rows, model);
        var proof = Prove(d, rows, x, t);
        Assert.True(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, proof));
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, [1, 3], x.Commitment, t.Commitment, proof));
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, [3, 2], x.Commitment, t.Commitment, proof));
        var otherRoot = d.Tree.Root;
        otherRoot[0] ^= 1;
        Assert.False(BatchMembership.Verify(Digest, Config, otherRoot, Inputs.Length, rows, x.Commitment, t.Commitment, proof));
        Assert.False(BatchMembership.Verify([.. Digest.Reverse()], Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, proof));

        // A batch table that is not those rows (here: rows 3 and 2 claimed as 3 and 1) cannot be shown to be them.
        var (wrongX, wrongT, _) = Batch([3, 2], model);
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, wrongX.Commitment, t.Commitment, Prove(d, rows, wrongX, t)));
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, wrongT.Commitment, Prove(d, rows, x, wrongT)));

        var random = new Random(2);
        for (int i = 0; i < 10; i++)
        {
            var flipped = (byte[])proof.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, flipped));
        }
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, proof[..^1]));
    }

    [Fact]
    public void ARowCommitmentOutsideTheDataSetIsRejected()
    {
        var d = CommitDataset();
        var model = QuantizedMlp.CreateInitial(Config, 3);
        int[] rows = [0, 4];
        long[] fake = [999, 0, 0, 0];
        var forgedRow = SumcheckStep.Commit(BatchMembership.RowTable(Config, fake, Labels[4]));
        var tables = new StepTables(Config, model.Weights1, model.Weights2, [.. Inputs[0], .. fake], [Labels[0], Labels[4]]);
        var (x, t) = (SumcheckStep.Commit(tables.X), SumcheckStep.Commit(tables.T));
        var proof = BatchMembership.Prove(Digest, Config, rows, d.Tree, [d.Rows[0], forgedRow], [d.Salts[0], d.Salts[4]], x, t);
        Assert.False(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, proof));
    }

    [Fact]
    public void MembershipAndTheStepProofTogetherProveAWholeStep()
    {
        var d = CommitDataset();
        var model = QuantizedMlp.CreateInitial(Config, 8);
        int[] rows = [4, 2];
        var (x, t, tables) = Batch(rows, model);
        var (w1, w2, w1After, w2After) = (SumcheckStep.Commit(tables.W1), SumcheckStep.Commit(tables.W2), SumcheckStep.Commit(tables.W1After), SumcheckStep.Commit(tables.W2After));
        var membership = Prove(d, rows, x, t);
        var step = SumcheckStep.Prove(Digest, Config, tables, x, t, w1, w2, w1After, w2After);
        Assert.True(BatchMembership.Verify(Digest, Config, d.Tree.Root, Inputs.Length, rows, x.Commitment, t.Commitment, membership));
        Assert.True(SumcheckStep.Verify(Digest, Config, x.Commitment, t.Commitment, w1.Commitment, w2.Commitment, w1After.Commitment, w2After.Commitment, step));
        var reference = model.Clone();
        reference.TrainStep([.. rows.SelectMany(r => Inputs[r])], [.. rows.Select(r => Labels[r])]);
        Assert.Equal(reference.Weights1.ToArray(), StepTables.Unpad(tables.W1After, 3, 4, 4));
    }
}
