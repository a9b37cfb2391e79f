using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// One chain commitment per weight state ("ZKSP" v5 / "ZKST" v6, <see cref="WeightStateLayout"/>): every W_l and b_l are
/// parts of one hiding commitment at offsets the verifier derives from the shape. Attacks: a step whose after state is
/// not the next step's before state, values moved between a layer's weights and its bias inside the state, layer tables
/// swapped, a tampered state root, a state of another shape.
/// </summary>
public class WeightStateChainTests
{
    /// <summary>4-3-3 with a bias on both layers, batch 2: W_0 and W_1 are both 4 x 4 padded (2^4), b_0 and b_1 2^2.</summary>
    private static readonly QuantizedNetworkConfig Biased =
        new(new NetworkDescription(4, [new DenseLayer(3, true), new DenseLayer(3, true)])) { BatchSize = 2 };

    private sealed record Chain(QuantizedNetwork Model, Step Step0, Step Step1);

    private static readonly Lazy<Chain> Honest = new(() =>
    {
        var parameters = QuantizedNetwork.CreateInitial(Biased, 5).Parameters.ToArray();
        parameters[12] = 200; // a non-zero bias
        var model = new QuantizedNetwork(Biased, parameters);
        var step0 = Prove(Biased, 0, model, ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var after = model.Clone();
        after.TrainStep(ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var step1 = Prove(Biased, 1, after, ZeroKnowledgeStepTests.Inputs1, ZeroKnowledgeStepTests.Labels1, before: State(Biased, step0.Tables, true, Seed(0)));
        return new Chain(model, step0, step1);
    });

    [Fact]
    public void TheLayoutPlacesEveryPartAlignedAndDisjoint()
    {
        var layout = WeightStateLayout.For(Biased);
        Assert.Equal(4, layout.Count);
        var parts = Enumerable.Range(0, layout.Count).Select(layout.Part).OrderBy(p => p.Offset).ToArray();
        long next = 0;
        foreach (var (offset, variables) in parts)
        {
            Assert.Equal(0, offset & ((1 << variables) - 1));
            Assert.Equal(next, offset);
            next += 1L << variables;
        }
        Assert.Equal(next, layout.Used);
        Assert.True(layout.Used <= 1L << layout.Variables && layout.Used > 1L << (layout.Variables - 1));
        // 784-128-10 with biases: 2^17 + 2^11 + 2^7 + 2^4 entries in 2^18.
        var mnist = WeightStateLayout.For(new QuantizedNetworkConfig(NetworkDescription.Create(784, [128], 10, bias: true)) { BatchSize = 64 });
        Assert.Equal((1L << 17) + (1 << 11) + (1 << 7) + (1 << 4), mnist.Used);
        Assert.Equal(18, mnist.Variables);
    }

    [Fact]
    public void TwoChainedStepsOpenOneCommitmentPerState()
    {
        var (_, step0, step1) = Honest.Value;
        Assert.True(Verify(step0, 0));
        Assert.True(Verify(step1, 1));
        Assert.True(step1.Before.Commitment.Root.SequenceEqual(step0.After.Commitment.Root));
        var layout = WeightStateLayout.For(Biased);
        Assert.Equal(layout.Variables, step0.After.Commitment.Variables);
        Assert.Equal(LigeroCommitment.Canonical(SumcheckStep.ChainParameters, layout.Variables, layout.Used, SumcheckStep.ChainSlots).DataRows, step0.After.Commitment.DataRows);
    }

    [Fact]
    public void AStepWhoseAfterStateIsNotTheNextStepsBeforeStateIsRejected()
    {
        // Step 1 proven from the same weights under another commitment (another seed): a valid proof of its own
        // statement, but not from the state step 0 produced, so it does not verify against step 0's after state.
        var (_, step0, _) = Honest.Value;
        var after = Honest.Value.Model.Clone();
        after.TrainStep(ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0);
        var other = Prove(Biased, 1, after, ZeroKnowledgeStepTests.Inputs1, ZeroKnowledgeStepTests.Labels1, before: State(Biased, step0.Tables, true, Seed(7)));
        Assert.True(Verify(other, 1));
        Assert.False(other.Before.Commitment.Root.SequenceEqual(step0.After.Commitment.Root));
        Assert.False(Verify(other, 1, before: step0.After.Commitment));
        // And step 0 does not verify against the state step 1 consumed.
        Assert.False(Verify(step0, 0, after: other.Before.Commitment));
    }

    /// <summary>The state before step 0 with <paramref name="forge"/> applied to its table (parts at the verifier's offsets).</summary>
    private static LigeroProverData ForgedState(Step step, Action<Goldilocks[], WeightStateLayout> forge)
    {
        var layout = WeightStateLayout.For(Biased);
        var table = layout.Table([.. step.Tables.Weights.Select(w => RescaledProduct.ToField(w)), .. step.Tables.BiasLayers.Select(l => RescaledProduct.ToField(step.Tables.Biases[l]))]);
        forge(table, layout);
        return LigeroPcs.CommitSeeded(SumcheckStep.ChainParameters, table, layout.Variables, SumcheckStep.ChainSlots, Seed(-1));
    }

    public static TheoryData<string> Moves() => ["bias into weights", "weights into bias", "layers swapped", "biases swapped"];

    [Theory]
    [MemberData(nameof(Moves))]
    public void ValuesMovedInsideTheStateAreRejected(string move)
    {
        // A prover whose state commitment holds its parameters at other places than the verifier's layout: b_0's entries
        // written over W_0's first entries (and the reverse), W_0 and W_1 swapped (same size), b_0 and b_1 swapped. The
        // prover's claims are its honest tables'; the state it opens answers them at the verifier's offsets, so the joint
        // reduction fails. A verifier reading b_l at W_l's offset would accept.
        var (model, step0, _) = Honest.Value;
        var forged = ForgedState(step0, (t, layout) =>
        {
            var (w0, w1, b0, b1) = (layout.Weight(0), layout.Weight(1), layout.Bias(0), layout.Bias(1));
            void Swap((int Offset, int Variables) a, (int Offset, int Variables) b, int count)
            {
                for (int i = 0; i < count; i++) (t[a.Offset + i], t[b.Offset + i]) = (t[b.Offset + i], t[a.Offset + i]);
            }
            switch (move)
            {
                case "bias into weights": t.AsSpan(b0.Offset, 1 << b0.Variables).CopyTo(t.AsSpan(w0.Offset)); break;
                case "weights into bias": t.AsSpan(w0.Offset, 1 << b0.Variables).CopyTo(t.AsSpan(b0.Offset)); break;
                case "layers swapped": Swap(w0, w1, 1 << w0.Variables); break;
                default: Swap(b0, b1, 1 << b0.Variables); break;
            }
        });
        var honest = State(Biased, step0.Tables, false, Seed(-1));
        Assert.False(forged.Commitment.Root.SequenceEqual(honest.Commitment.Root));
        // The honest prover refuses to open a state that does not hold its tables where the layout says.
        Assert.Throws<ArgumentException>(() => Prove(Biased, 0, model, ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0, before: forged));
        // A cheating prover answers from the honest table (its claims and evaluation rows) under the forged root.
        var cheat = new LigeroProverData(forged.Commitment, honest.Messages, forged.Codewords, forged.Salts, forged.Tree);
        var proof = Prove(Biased, 0, model, ZeroKnowledgeStepTests.Inputs0, ZeroKnowledgeStepTests.Labels0, before: cheat);
        Assert.False(Verify(proof, 0));
        // Nor does the honest proof verify against the forged state.
        Assert.False(Verify(step0, 0, before: forged.Commitment));
    }

    [Fact]
    public void ATamperedStateRootIsRejected()
    {
        var (_, step0, _) = Honest.Value;
        foreach (bool after in new[] { false, true })
        {
            var c = after ? step0.After.Commitment : step0.Before.Commitment;
            var root = c.Root.ToArray();
            root[5] ^= 0x10;
            var tampered = new LigeroCommitment(c.Parameters, c.Variables, c.RowVariables, root, c.EvaluationMasks, c.DataRows);
            Assert.False(after ? Verify(step0, 0, after: tampered) : Verify(step0, 0, before: tampered));
        }
    }

    [Fact]
    public void AStateOfAnotherShapeIsRefused()
    {
        // The state's shape is the verifier's: all 2^n rows committed instead of the used ones, another split, another
        // number of variables, or the old per-layer shape (W_0 alone) are refused before any opening.
        var (_, step0, _) = Honest.Value;
        var c = step0.Before.Commitment;
        var layout = WeightStateLayout.For(Biased);
        var full = LigeroCommitment.Canonical(SumcheckStep.ChainParameters, layout.Variables, 0, SumcheckStep.ChainSlots);
        LigeroCommitment[] shapes =
        [
            new(c.Parameters, c.Variables, c.RowVariables, c.Root, c.EvaluationMasks, 1 << c.RowVariables),
            new(c.Parameters, c.Variables, full.RowVariables == c.RowVariables ? c.RowVariables + 1 : full.RowVariables, c.Root, c.EvaluationMasks),
            new(c.Parameters, c.Variables + 1, c.RowVariables, c.Root, c.EvaluationMasks, c.DataRows),
            LigeroPcs.CommitSeeded(SumcheckStep.ChainParameters, RescaledProduct.ToField(step0.Tables.Weights[0]), SumcheckStep.ChainSlots, Seed(-1)).Commitment,
        ];
        foreach (var shape in shapes)
            if (shape.DataRows != c.DataRows || shape.RowVariables != c.RowVariables || shape.Variables != c.Variables)
                Assert.False(Verify(step0, 0, before: shape));
    }
}
