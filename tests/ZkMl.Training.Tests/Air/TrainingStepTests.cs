using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Air;
using static ZkMl.Training.Air.StepColumn;

namespace ZkMl.Training.Tests.Air;

public class TrainingStepTests
{
    private static readonly QuantizedNetworkConfig Tiny = new(NetworkDescription.TwoLayer(4, 3, 2)) { BatchSize = 2 };
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;

    private static (QuantizedNetwork Net, long[] Inputs, int[] Labels) Setup(int seed)
    {
        var net = QuantizedNetwork.CreateInitial(Tiny, seed);
        var rng = new Random(seed);
        var inputs = new long[Tiny.BatchSize * Tiny.Network.InputSize];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = FixedPoint.QuantizePixel(rng.Next(17), Tiny.FractionBits);
        var labels = Enumerable.Range(0, Tiny.BatchSize).Select(_ => rng.Next(Tiny.Network.OutputSize)).ToArray();
        return (net, inputs, labels);
    }

    [Fact]
    public void HonestStepVerifiesMatchesReferenceAndCommitmentsChain()
    {
        var (net, inputs, labels) = Setup(3);
        var seeds = TrainingStepSeeds.CreateRandom();
        var step = TrainingStepStark.Prove(Tiny, net.Parameters, inputs, labels, seeds, Fast);
        var reference = net.Clone();
        reference.TrainStep(inputs, labels);
        Assert.Equal(reference.Parameters.ToArray(), step.ParametersAfter);
        Assert.True(TrainingStepStark.Verify(Tiny, step.Commitments, step.Proof, Fast, out var why), why);
        Assert.Equal(step.Commitments.WeightsBefore, TrainingStepStark.CommitWeights(Tiny, net.Parameters, seeds.WeightsBefore, Fast));
        Assert.Equal(step.Commitments.WeightsAfter, TrainingStepStark.CommitWeights(Tiny, step.ParametersAfter, seeds.WeightsAfter, Fast));
        Assert.NotEqual(step.Commitments.WeightsBefore, TrainingStepStark.CommitWeights(Tiny, net.Parameters, seeds.Batch, Fast));

        // Second step chains: its weights-before commitment is the first step's weights-after commitment.
        var next = TrainingStepStark.Prove(Tiny, step.ParametersAfter, inputs, labels, seeds.ForNextStep(), Fast);
        Assert.Equal(step.Commitments.WeightsAfter, next.Commitments.WeightsBefore);
        Assert.True(TrainingStepStark.Verify(Tiny, next.Commitments, next.Proof, Fast));

        // Wrong commitments are rejected.
        var swapped = step.Commitments with { WeightsAfter = step.Commitments.WeightsBefore };
        Assert.False(TrainingStepStark.Verify(Tiny, swapped, step.Proof, Fast));
        Assert.False(TrainingStepStark.Verify(Tiny, next.Commitments, step.Proof, Fast));
        // Another configuration is another AIR.
        Assert.False(TrainingStepStark.Verify(Tiny with { LearningRateNumerator = 12 }, step.Commitments, step.Proof, Fast));
    }

    private static (TrainingStepAir Air, Columns<StepColumn> Trace) Witness(int seed)
    {
        var (net, inputs, labels) = Setup(seed);
        var air = new TrainingStepAir(Tiny);
        var w = TrainingTraceBuilder.Build(air, net.Parameters, inputs, labels);
        return (air, new Columns<StepColumn>(w.Trace));
    }

    private static int FindRow(TrainingStepAir air, PostOp op, Func<Columns<StepColumn>, int, bool> predicate, Columns<StepColumn> t)
    {
        for (int r = 0; r < air.Program.Macs.Count; r++)
            if (air.Program.Macs[r].Op == op && predicate(t, r)) return r;
        throw new InvalidOperationException("no such row");
    }

    private static void AssertRefusedAndForgeryRejected(TrainingStepAir air, Goldilocks[][] trace, string expectedConstraint)
    {
        var ex = Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, trace, Fast));
        Assert.Contains(expectedConstraint, ex.Message);
        var forged = StarkProver.Prove(air, trace, Fast, null, checkTrace: false);
        Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), Fast, out var why));
        Assert.NotNull(why);
    }

    [Fact]
    public void WrongWeightUpdateIsRefusedAndForgedProofRejected()
    {
        var (air, t) = Witness(5);
        int row = FindRow(air, PostOp.Update, (_, _) => true, t);
        // Claim a different updated weight consistently (output and the after-segment), skipping only the arithmetic.
        var wrong = t[O][row] + Goldilocks.One;
        long addr = air.Program.Macs[row].AddrO - air.Program.AddressWeightsAfter;
        t[O][row] = wrong;
        t[WN][(int)addr] = wrong;
        AssertRefusedAndForgeryRejected(air, t.Values, "post-operation output");
    }

    [Fact]
    public void WrongReluIsRefusedAndForgedProofRejected()
    {
        var (air, t) = Witness(7);
        // A hidden unit with a negative pre-activation: claim ReLU passes it through (h = z < 0, sign 1).
        int row = FindRow(air, PostOp.Relu, (tr, r) => tr[Q][r].ToSignedInt64() < 0, t);
        t[S][row] = Goldilocks.One;
        t[O][row] = t[Q][row];
        AssertRefusedAndForgeryRejected(air, t.Values, "ReLU");
    }

    [Fact]
    public void OutOfRangeRemainderIsRefusedAndForgedProofRejected()
    {
        var (air, t) = Witness(9);
        int row = FindRow(air, PostOp.Error, (_, _) => true, t);
        // q - 1 with remainder r + 2^f satisfies the rescale equation, but the remainder is out of [0, 2^f).
        long q = t[Q][row].ToSignedInt64() - 1;
        long r = (long)t[R0][row].Value + (1L << Tiny.FractionBits);
        t[Q][row] = Goldilocks.FromInt64(q);
        t[R0][row] = Goldilocks.FromInt64(r);
        long qs = q + (1L << (Tiny.ValueBits - 1));
        t[Q0][row] = Goldilocks.FromInt64(qs & 4095); t[Q1][row] = Goldilocks.FromInt64((qs >> 12) & 4095); t[Q2][row] = Goldilocks.FromInt64(qs >> 24);
        // Keep the output (e = q - t) and everything downstream as the cheating prover would need; only the range check fails.
        TrainingTraceBuilder.FillTableMultiplicities(air, t.Values);
        var ex = Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, t.Values, Fast));
        Assert.True(ex.Message.Contains("small remainder bits") || ex.Message.Contains("not in the table") || ex.Message.Contains("post-operation"), ex.Message);
        var forged = StarkProver.Prove(air, t.Values, Fast, null, checkTrace: false);
        Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), Fast));
    }

    [Fact]
    public void UnsupportedConfigurationsAreNamed()
    {
        Assert.Throws<NotSupportedException>(() => new TrainingStepAir(Tiny with { FractionBits = 14, LearningRateShift = 4 }));
        var (net, inputs, labels) = Setup(1);
        inputs[0] = 1L << 30;
        Assert.Throws<NotSupportedException>(() => TrainingStepStark.Prove(Tiny, net.Parameters, inputs, labels, TrainingStepSeeds.CreateRandom(), Fast));
    }
}
