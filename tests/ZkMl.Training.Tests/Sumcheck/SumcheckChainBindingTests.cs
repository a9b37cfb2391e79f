using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The mixed-codeword forgery across two consecutive step proofs: the chain publishes one commitment C to the weights
/// between step 0 and step 1; a forger builds C over columns of two codewords (the honest W1' = f for step 0's
/// openings, other weights g for step 1's) and opens C in each proof with its own message. In the unique-decoding
/// regime C is within (1 - rate) / 2 of at most one codeword, so at least one proof (here both) must fail.
/// </summary>
public class SumcheckChainBindingTests
{
    private static readonly QuantizedMlpConfig Config = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly long[] Inputs0 = [0, 1024, 512, 64, 1024, 1024, 0, 256];
    private static readonly int[] Labels0 = [2, 0];
    private static readonly long[] Inputs1 = [768, 0, 1024, 1024, 128, 896, 64, 0];
    private static readonly int[] Labels1 = [1, 1];
    private static readonly byte[] Digest0 = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] Digest1 = [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 17))];

    /// <summary>A commitment over the columns of <paramref name="f"/> except those <paramref name="fromG"/> picks, taken from <paramref name="g"/>; the prover keeps <paramref name="messages"/>.</summary>
    private static LigeroProverData Mixed(LigeroProverData f, LigeroProverData g, Func<int, bool> fromG, LigeroProverData messages)
    {
        int columns = (int)f.Commitment.ColumnCount, rows = f.Commitment.Rows;
        var codewords = new Goldilocks[rows][];
        for (int k = 0; k < rows; k++) codewords[k] = [.. Enumerable.Range(0, columns).Select(j => (fromG(j) ? g : f).Codewords[k][j])];
        var tree = new Blake3MerkleTree(columns, f.Commitment.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
                for (int k = 0; k < rows; k++) codewords[k][first + j].WriteBytes(destination.Slice(j * 8 * rows + 8 * k, 8));
        });
        var commitment = new LigeroCommitment(f.Commitment.Parameters, f.Commitment.Variables, f.Commitment.RowVariables, tree.Root);
        return new LigeroProverData(commitment, messages.Messages, codewords, [], tree);
    }

    private static (byte[] Proof, LigeroProverData[] Commitments) Prove(byte[] digest, StepTables t, LigeroProverData? w1 = null, LigeroProverData? w1After = null)
    {
        var c = new[] { t.Weights[0], t.Weights[1], t.WeightsAfter[0], t.WeightsAfter[1] }.Select(SumcheckStep.Commit).ToArray();
        c[0] = w1 ?? c[0];
        c[2] = w1After ?? c[2];
        return (SumcheckStep.Prove(digest, Config, t, c[0], c[1], c[2], c[3]), c);
    }

    private static bool Verify(byte[] digest, StepTables t, (byte[] Proof, LigeroProverData[] C) s) =>
        SumcheckStep.Verify(digest, Config, t.X, t.T, s.C[0].Commitment, s.C[1].Commitment, s.C[2].Commitment, s.C[3].Commitment, s.Proof);

    private sealed record Setup(StepTables Step0, StepTables Step1, LigeroProverData F, LigeroProverData G);

    /// <summary>Step 0 from the initial weights (its W1' is f); the forger continues step 1 from g, f with one weight changed.</summary>
    private static readonly Lazy<Setup> Chain = new(() =>
    {
        var model = QuantizedMlp.CreateInitial(Config, 3);
        var step0 = new StepTables(Config, model.Weights1, model.Weights2, Inputs0, Labels0);
        var after = model.Clone();
        after.TrainStep(Inputs0, Labels0);
        Assert.Equal(StepTables.Unpad(step0.WeightsAfter[0], 3, 4, 4), after.Weights1.ToArray());
        var w1 = after.Weights1.ToArray();
        w1[1] += 5;
        var step1 = new StepTables(Config, w1, after.Weights2, Inputs1, Labels1);
        return new Setup(step0, step1, SumcheckStep.Commit(step0.WeightsAfter[0]), SumcheckStep.Commit(step1.Weights[0]));
    });

    [Fact]
    public void EachStepVerifiesWithItsOwnCodewordsCommitment()
    {
        var (step0, step1, f, g) = Chain.Value;
        Assert.False(f.Commitment.Root.SequenceEqual(g.Commitment.Root));
        Assert.True(Verify(Digest0, step0, Prove(Digest0, step0, w1After: f)));
        Assert.True(Verify(Digest1, step1, Prove(Digest1, step1, w1: g)));
    }

    [Theory]
    [InlineData(2)]  // every other column from g
    [InlineData(64)] // one column in 64 from g (closer to f than (1 - rate) / 2)
    public void AMixedCommitmentBetweenTwoStepsOpensInNeither(int period)
    {
        var (step0, step1, f, g) = Chain.Value;
        bool FromG(int column) => column % period == period - 1;
        var cForStep0 = Mixed(f, g, FromG, f);
        var cForStep1 = Mixed(f, g, FromG, g);
        Assert.True(cForStep0.Commitment.Root.SequenceEqual(cForStep1.Commitment.Root));
        Assert.False(cForStep0.Commitment.Root.SequenceEqual(f.Commitment.Root));
        Assert.False(Verify(Digest0, step0, Prove(Digest0, step0, w1After: cForStep0)));
        Assert.False(Verify(Digest1, step1, Prove(Digest1, step1, w1: cForStep1)));
    }

    [Fact]
    public void TheNextStepCannotOpenTheHonestCommitmentAsOtherWeights()
    {
        var (_, step1, f, g) = Chain.Value;
        Assert.False(Verify(Digest1, step1, Prove(Digest1, step1, w1: new LigeroProverData(f.Commitment, g.Messages, f.Codewords, [], f.Tree))));
    }
}
