using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The mixed-codeword forgery across two consecutive zero-knowledge step proofs, on hiding chain commitments (as the
/// removed non-zero-knowledge step's tests did on plain ones) on the weight state's ONE chain commitment ("ZKSP" v5): one root over
/// the columns (data, tail and mask rows, salts) of two hiding codewords, f = the honest state after step 0 (opened there
/// in slot 1) and g = a state with other weights (opened by step 1 in slot 0). In the unique-decoding regime the root is within (1 - rate) / 2 of at most one codeword (f at period 64, none at period 2): the proof opening
/// the other one fails.
/// </summary>
public class ZeroKnowledgeChainBindingStepTests
{
    private sealed record Setup(StepTables Step0, StepTables Step1, LigeroProverData F, LigeroProverData G, QuantizedNetwork After);

    private static readonly Lazy<Setup> Chain = new(() =>
    {
        var config = ZeroKnowledgeStepTests.Small;
        var model = QuantizedNetwork.CreateInitial(config, 3);
        var step0 = Tables(config, model, ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var after = model.Clone();
        after.TrainStep(ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var forged = after.Parameters.ToArray();
        forged[1] += 5;
        var step1 = Tables(config, new QuantizedNetwork(config, forged), ZeroKnowledgeStepTests.Inputs1, ZeroKnowledgeStepTests.Labels1);
        return new Setup(step0, step1, State(config, step0, true, Seed(0)), State(config, step1, false, Seed(9)), after);
    });

    /// <summary>A prover holding <paramref name="messages"/> and the columns of f except every period-th, taken from g, under one root.</summary>
    private static LigeroProverData Mixed(LigeroProverData f, LigeroProverData g, int period, LigeroProverData messages)
    {
        var shape = f.Commitment;
        int columns = (int)shape.ColumnCount, rows = shape.Rows;
        var codewords = new Goldilocks[rows][];
        for (int k = 0; k < rows; k++) codewords[k] = [.. Enumerable.Range(0, columns).Select(c => (c % period == period - 1 ? g : f).Codewords[k][c])];
        var salts = new byte[32 * columns];
        for (int c = 0; c < columns; c++) (c % period == period - 1 ? g : f).Salts.AsSpan(32 * c, 32).CopyTo(salts.AsSpan(32 * c));
        var tree = new Hashing.Blake3MerkleTree(columns, shape.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
            {
                var leaf = destination.Slice(j * shape.LeafBytes, shape.LeafBytes);
                for (int k = 0; k < rows; k++) codewords[k][first + j].WriteBytes(leaf.Slice(8 * k, 8));
                salts.AsSpan(32 * (first + j), 32).CopyTo(leaf[(8 * rows)..]);
            }
        });
        var commitment = new LigeroCommitment(shape.Parameters, shape.Variables, shape.RowVariables, tree.Root, shape.EvaluationMasks, shape.DataRows);
        return new LigeroProverData(commitment, messages.Messages, codewords, salts, tree);
    }

    private static (byte[] Proof, LigeroProverData W, LigeroProverData WAfter) Prove(int step, StepTables t, LigeroProverData? before = null, LigeroProverData? after = null)
    {
        var config = ZeroKnowledgeStepTests.Small;
        var w = before ?? State(config, t, false, Seed(step + 20));
        var wa = after ?? State(config, t, true, Seed(step + 40));
        return (SumcheckStep.ProveZeroKnowledge(Digest(step), config, t, w, wa, Salts(config.BatchSize, step)), w, wa);
    }

    private static bool Verify(int step, StepTables t, (byte[] Proof, LigeroProverData W, LigeroProverData WAfter) s) =>
        SumcheckStep.VerifyZeroKnowledge(Digest(step), ZeroKnowledgeStepTests.Small, Digests(ZeroKnowledgeStepTests.Small, t, Salts(ZeroKnowledgeStepTests.Small.BatchSize, step)),
            s.W.Commitment, s.WAfter.Commitment, s.Proof);

    [Fact]
    public void EachStepVerifiesWithItsOwnHidingCommitment()
    {
        var (step0, step1, f, g, _) = Chain.Value;
        Assert.True(Verify(0, step0, Prove(0, step0, after: f)));
        Assert.True(Verify(1, step1, Prove(1, step1, before: g)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(64)]
    public void AMixedHidingCommitmentBetweenTwoStepsOpensInNeither(int period)
    {
        var (step0, step1, f, g, _) = Chain.Value;
        var forStep0 = Mixed(f, g, period, f);
        var forStep1 = Mixed(f, g, period, g);
        Assert.True(forStep0.Commitment.Root.SequenceEqual(forStep1.Commitment.Root));
        Assert.False(forStep0.Commitment.Root.SequenceEqual(f.Commitment.Root));
        // The root is within (1 - rate) / 2 of f at period 64: step 0 (opening f) then passes unless a query hits one of g's
        // columns (probability (63/64)^128 = 13% with fresh query positions), and that is no forgery; step 1's g never opens.
        bool first = Verify(0, step0, Prove(0, step0, after: forStep0));
        Assert.False(Verify(1, step1, Prove(1, step1, before: forStep1)));
        if (period == 2) Assert.False(first);
    }

    [Fact]
    public void TheNextStepCannotOpenTheHonestCommitmentAsOtherWeights()
    {
        var (_, step1, f, g, _) = Chain.Value;
        Assert.False(Verify(1, step1, Prove(1, step1, before: new LigeroProverData(f.Commitment, g.Messages, f.Codewords, f.Salts, f.Tree))));
    }
}
