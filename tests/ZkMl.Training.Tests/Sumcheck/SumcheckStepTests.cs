using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends.Sumcheck;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The whole step's arithmetic through commitments (<see cref="SumcheckStep"/>), 4-3-3 network, batch 2: honest steps verify
/// and chain (the after-commitments of step 0 are the before-commitments of step 1), forgeries are rejected.
/// </summary>
public class SumcheckStepTests
{
    private static readonly QuantizedMlpConfig Config = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly long[] Inputs0 = [0, 1024, 512, 64, 1024, 1024, 0, 256];
    private static readonly int[] Labels0 = [2, 0];
    private static readonly long[] Inputs1 = [768, 0, 1024, 1024, 128, 896, 64, 0];
    private static readonly int[] Labels1 = [1, 1];

    private sealed record Step(StepTables Tables, long[] X, long[] T, LigeroProverData W1, LigeroProverData W2,
        LigeroProverData W1After, LigeroProverData W2After, byte[] Proof);

    private static byte[] StatementDigest(int step) => [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 17 * step))];

    private static Step Prove(int step, QuantizedMlp model, long[] inputs, int[] labels, LigeroProverData? w1 = null, LigeroProverData? w2 = null,
        Action<StepTables>? forge = null)
    {
        var tables = new StepTables(Config, model.Weights1, model.Weights2, inputs, labels);
        forge?.Invoke(tables);
        w1 ??= SumcheckStep.Commit(tables.Weights[0]);
        w2 ??= SumcheckStep.Commit(tables.Weights[1]);
        var (w1After, w2After) = (SumcheckStep.Commit(tables.WeightsAfter[0]), SumcheckStep.Commit(tables.WeightsAfter[1]));
        var proof = SumcheckStep.Prove(StatementDigest(step), Config, tables, w1, w2, w1After, w2After);
        return new Step(tables, tables.X, tables.T, w1, w2, w1After, w2After, proof);
    }

    private static bool Verify(int step, Step s, byte[]? proof = null, long[]? x = null, LigeroProverData? w1 = null) =>
        SumcheckStep.Verify(StatementDigest(step), Config, x ?? s.X, s.T, (w1 ?? s.W1).Commitment, s.W2.Commitment,
            s.W1After.Commitment, s.W2After.Commitment, proof ?? s.Proof);

    private static readonly Lazy<(QuantizedMlp Model, Step Step0, Step Step1)> Chain = new(() =>
    {
        var model = QuantizedMlp.CreateInitial(Config, 3);
        var step0 = Prove(0, model, Inputs0, Labels0);
        var after0 = model.Clone();
        after0.TrainStep(Inputs0, Labels0);
        var step1 = Prove(1, after0, Inputs1, Labels1, step0.W1After, step0.W2After);
        return (model, step0, step1);
    });

    [Fact]
    public void TwoChainedStepsVerifyAndMatchTheReference()
    {
        var (model, step0, step1) = Chain.Value;
        Assert.True(Verify(0, step0));
        Assert.True(Verify(1, step1));
        var reference = model.Clone();
        reference.TrainStep(Inputs0, Labels0);
        Assert.Equal(StepTables.Unpad(step0.Tables.WeightsAfter[0], 3, 4, 4), reference.Weights1.ToArray());
        Assert.Equal(StepTables.Unpad(step0.Tables.WeightsAfter[1], 3, 3, 4), reference.Weights2.ToArray());
        Assert.NotEqual(model.Weights1.ToArray(), reference.Weights1.ToArray());
        // The chain: step 1's before-commitments are step 0's after-commitments, and they open the same polynomial.
        Assert.True(step1.W1.Commitment.Root.SequenceEqual(step0.W1After.Commitment.Root));
    }

    [Fact]
    public void AProofForAnotherStepOrContractIsRejected()
    {
        var (_, step0, step1) = Chain.Value;
        Assert.False(Verify(1, step0));
        Assert.False(Verify(0, step1));
    }

    [Fact]
    public void AForgedUpdateIsRejected()
    {
        var model = QuantizedMlp.CreateInitial(Config, 3);
        var forged = Prove(0, model, Inputs0, Labels0, forge: t => t.WeightsAfter[0][1]++);
        Assert.False(Verify(0, forged));
        var forgedDecrement = Prove(0, model, Inputs0, Labels0, forge: t => { t.Delta[1][0]++; t.WeightsAfter[1][0]--; });
        Assert.False(Verify(0, forgedDecrement));
    }

    [Fact]
    public void AnotherBatchOrOtherWeightsAreRejected()
    {
        var (_, step0, step1) = Chain.Value;
        Assert.False(Verify(0, step0, x: step1.X));
        Assert.False(Verify(0, step0, w1: step1.W1));
    }

    [Fact]
    public void BitFlipsAndTruncationsAreRejected()
    {
        var (_, step0, _) = Chain.Value;
        var random = new Random(9);
        for (int i = 0; i < 16; i++)
        {
            var flipped = (byte[])step0.Proof.Clone();
            int position = i < 4 ? i : random.Next(flipped.Length);
            flipped[position] ^= (byte)(1 << random.Next(8));
            Assert.False(Verify(0, step0, flipped));
        }
        Assert.False(Verify(0, step0, step0.Proof[..^1]));
        Assert.False(Verify(0, step0, step0.Proof[..(step0.Proof.Length / 3)]));
        Assert.False(Verify(0, step0, [.. step0.Proof, 1]));
    }

    /// <summary>
    /// The stacked commitment covers only the rows its layout reaches (the zero tail is not committed); the same root
    /// with another row count (one more, one fewer, or all rows) is another commitment and the proof is refused.
    /// </summary>
    [Fact]
    public void TheStackCommitsItsUsedRowsAndNoOtherRowCountVerifies()
    {
        var (_, step0, _) = Chain.Value;
        var reader = new ProofReader(step0.Proof, StepProver.Magic, StepProver.FormatVersion);
        var stack = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal(SumcheckStep.StackParameters, stack.Parameters);
        Assert.True(stack.DataRows < 1 << stack.RowVariables, $"{stack.DataRows} of {1 << stack.RowVariables} rows");
        const int flag = 6 + 4 + 4, rows = flag + 1; // header, rate, queries; then the 0x40 flag and the data rows
        Assert.Equal(0x40, step0.Proof[flag]);
        Assert.Equal(stack.DataRows, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(step0.Proof.AsSpan(rows)));
        foreach (int other in new[] { stack.DataRows - 1, stack.DataRows + 1 })
        {
            var forged = step0.Proof.ToArray();
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(forged.AsSpan(rows), other);
            Assert.False(Verify(0, step0, forged));
        }
        byte[] full = [.. step0.Proof[..flag], 0, .. step0.Proof[(rows + 4)..]];
        Assert.False(Verify(0, step0, full));
    }
}
