using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ZkMl.Hashing;
using ZkMl.Circuits;
using ZkMl.Models;
using ZkMl.Tests.Shared;
using ZkMl.Training.Circuits;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Training.Tests.Circuits;

public class SgdStepTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static F V(long x) => SignedValues.FromInt64<F>(x);

    internal static (QuantizedMlpConfig Config, SgdStepInputs<F> Inputs) RandomStep(int seed)
    {
        var rng = new Random(seed);
        int f = rng.Next(4, 7);
        var config = new QuantizedMlpConfig
        {
            InputSize = rng.Next(1, 5),
            HiddenSize = rng.Next(1, 4),
            OutputSize = rng.Next(1, 4),
            BatchSize = rng.Next(1, 4),
            FractionBits = f,
            LearningRateNumerator = rng.Next(1, 40),
            LearningRateShift = rng.Next(0, 6),
            ValueBits = rng.Next(f + 4, f + 12),
        };
        long wMax = 1L << (f + 1);
        long[] W(int count) => Enumerable.Range(0, count).Select(_ => rng.NextInt64(-wMax, wMax)).ToArray();
        long xMax = 1L << (f + 1);
        var inputs = Enumerable.Range(0, config.BatchSize * config.InputSize)
            .Select(_ => rng.Next(3) == 0 ? FixedPoint.QuantizePixel(rng.Next(0, 17), f) : rng.NextInt64(-xMax, xMax)).ToArray();
        var labels = Enumerable.Range(0, config.BatchSize).Select(_ => rng.Next(config.OutputSize)).ToArray();
        return (config, new SgdStepInputs<F>(W(config.Weights1Count), W(config.Weights2Count), inputs, labels,
            F.Random(rng), F.Random(rng), F.Random(rng)));
    }

    [Property(MaxTest = 20)]
    public void CircuitEqualsQuantizedMlpExactly(int seed)
    {
        var (config, inputs) = RandomStep(seed);
        var mlp = new QuantizedMlp(config, inputs.Parameters.AsSpan(0, config.Weights1Count), inputs.Parameters.AsSpan(config.Weights1Count));
        Exception? refError = null;
        try { mlp.TrainStep(inputs.Inputs, inputs.Labels); } catch (FixedPointOverflowException e) { refError = e; }
        if (refError != null)
        {
            // The reference rejects the step: so does the circuit (it cannot be satisfied).
            Assert.Throws<FixedPointOverflowException>(() => SgdStepCircuit<F>.Build(config, inputs));
            var lenient = SgdStepCircuit<F>.Build(config, inputs, strict: false);
            Assert.False(lenient.Circuit.System.IsSatisfied(lenient.Circuit.Witness));
            return;
        }
        var step = SgdStepCircuit<F>.Build(config, inputs);
        Assert.True(step.Circuit.System.IsSatisfied(step.Circuit.Witness, out var failure), failure?.Description);
        Assert.Equal([.. mlp.Weights1, .. mlp.Weights2], step.UpdatedParameters);
        Assert.Equal(SgdStepCircuit<F>.PublicInputCount, step.Circuit.System.PublicInputCount);
        Assert.Equal(TrainingCommitments.Parameters(config.ValueBits, inputs.Parameters, inputs.SaltBefore), step.WeightsBeforeCommitment);
        Assert.Equal(TrainingCommitments.Weights(config, mlp.Weights1, mlp.Weights2, inputs.SaltAfter), step.WeightsAfterCommitment);
        Assert.Equal(TrainingCommitments.Batch(config, inputs.Inputs, inputs.Labels, inputs.BatchSalt), step.BatchCommitment);
        Assert.Equal(SgdStepCircuit<F>.BuildShape(config).Constraints.Count, step.Circuit.System.ConstraintCount);
    }

    [Fact]
    public void ChangingAnySingleWireBreaksTheStep()
    {
        var config = new QuantizedMlpConfig { InputSize = 2, HiddenSize = 2, OutputSize = 2, BatchSize = 2, FractionBits = 4, ValueBits = 10, LearningRateNumerator = 3, LearningRateShift = 1 };
        var inputs = new SgdStepInputs<F>([5, -7, 12, 3], [9, -4, 6, 11], [16, 0, 8, -3], [1, 0], V(1), V(2), V(3));
        var step = SgdStepCircuit<F>.Build(config, inputs);
        var c = step.Circuit;
        Assert.True(c.System.IsSatisfied(c.Witness));
        var free = CircuitWires.Unbound(c);
        // Only IsZero's inverse hints of zero inputs (ReLU outputs equal to 0) are unconstrained, and they hold 0.
        Assert.All(free, i => Assert.True(c.Witness[i].IsZero));
        Assert.True(free.Count <= config.BatchSize * config.HiddenSize);
        // Public inputs: a wrong commitment is rejected.
        for (int i = 1; i <= 3; i++)
        {
            var w = (F[])c.Witness.Clone();
            w[i] += F.One;
            Assert.False(c.System.IsSatisfied(w));
        }
    }

    [Fact]
    public void ValuesAtTheEdgeOfTheDeclaredWidthWorkAndBeyondItFail()
    {
        // One weight at -2^(B-1) and one at 2^(B-1)-1, with inputs zero so the update keeps them in range.
        var config = new QuantizedMlpConfig { InputSize = 1, HiddenSize = 1, OutputSize = 1, BatchSize = 1, FractionBits = 4, ValueBits = 8 };
        var edge = new SgdStepInputs<F>([-128], [127], [0], [0], F.Zero, F.Zero, F.Zero);
        var step = SgdStepCircuit<F>.Build(config, edge);
        Assert.True(step.Circuit.System.IsSatisfied(step.Circuit.Witness));
        var mlp = new QuantizedMlp(config, [-128], [127]);
        mlp.TrainStep([0], [0]);
        Assert.Equal([.. mlp.Weights1, .. mlp.Weights2], step.UpdatedParameters);

        var beyond = edge with { Parameters = [-128, 128] };
        Assert.Throws<FixedPointOverflowException>(() => SgdStepCircuit<F>.Build(config, beyond));
        var lenient = SgdStepCircuit<F>.Build(config, beyond, strict: false);
        Assert.False(lenient.Circuit.System.IsSatisfied(lenient.Circuit.Witness));

        var badInput = edge with { Inputs = [1L << 5] }; // inputs have f + 2 = 6 signed bits
        Assert.Throws<FixedPointOverflowException>(() => SgdStepCircuit<F>.Build(config, badInput));
    }

    [Fact]
    public void ConstraintCountsFor64x32x10WithBatch16()
    {
        var config = new QuantizedMlpConfig();
        var rng = new Random(5);
        var mlp = QuantizedMlp.CreateInitial(config, 1);
        var inputs = Enumerable.Range(0, config.BatchSize * config.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), config.FractionBits)).ToArray();
        var labels = Enumerable.Range(0, config.BatchSize).Select(_ => rng.Next(10)).ToArray();
        var step = SgdStepCircuit<F>.Build(config, new SgdStepInputs<F>(mlp.Weights1.ToArray(), mlp.Weights2.ToArray(), inputs, labels, V(1), V(2), V(3)));
        mlp.TrainStep(inputs, labels);
        Assert.Equal([.. mlp.Weights1, .. mlp.Weights2], step.UpdatedParameters);
        var counts = step.Counts;
        int expectedMacs = config.BatchSize * (2 * config.HiddenSize * config.InputSize + 3 * config.OutputSize * config.HiddenSize);
        Assert.Equal(expectedMacs, counts.MultiplyAccumulates); // exactly one constraint per multiply-accumulate
        Assert.Equal(counts.Total, step.Circuit.System.ConstraintCount);
        output.WriteLine($"64-32-10 batch 16: {counts} total {counts.Total}, wires {step.Circuit.System.WireCount}, non-zeros {step.Circuit.System.NonZeroCount}");
    }
}
