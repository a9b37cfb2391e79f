using Xunit.Abstractions;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeSteps;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The two integer edges of the sumcheck step (docs/sumcheck-step.md, "Integer soundness"): no product the proven ranges
/// allow can wrap modulo p (<see cref="WrapBound"/>), and a huge Rescale_f(g) at a unit the ReLU turns off, which the
/// reference never checks, does not stop an honest step from being proven.
/// </summary>
public class WrapBoundTests(ITestOutputHelper output)
{
    private static readonly BigInteger P = Goldilocks.Modulus;

    private static QuantizedNetworkConfig Config(int inputs, int batch, params (int Width, bool Bias)[] layers) =>
        new(new NetworkDescription(inputs, [.. layers.Select(l => new DenseLayer(l.Width, l.Bias))])) { BatchSize = batch };

    /// <summary>Shapes, their activation width and whether the step is run on them (tests, samples, benchmarks) so setup must pass.</summary>
    public static TheoryData<string, int, bool> Shapes() => new()
    {
        { "4-3-3/2", 30, true },
        { "4-3b-3b/3", 30, true },
        { "64-32-10/16", 28, true },
        { "784-128-10/64", 26, true },
        { "784-128b-10b/64", 26, true },
        { "784-512-10/128", 24, false },
        { "784-128-10/1024", 26, false },
        { "784-65536-10/16", 17, false },
    };

    private static QuantizedNetworkConfig Parse(string shape)
    {
        var parts = shape.Split('/');
        var sizes = parts[0].Split('-');
        return Config(int.Parse(sizes[0]), int.Parse(parts[1]),
            [.. sizes.Skip(1).Select(s => (int.Parse(s.TrimEnd('b')), s.EndsWith('b')))]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TheActivationWidthIsTheLargestThatKeepsEveryProductBelowP(string shape, int expected, bool used)
    {
        var c = Parse(shape);
        int a = WrapBound.ActivationBits(c);
        Assert.Equal(expected, a);
        var products = WrapBound.Products(c, a).ToArray();
        Assert.All(products, product => Assert.True(product.Bound < P, product.Product));
        // One more bit lets some product reach p: A is the largest.
        Assert.Contains(WrapBound.Products(c, a + 1), product => product.Bound >= P);
        var tightest = products.MaxBy(product => product.Bound);
        output.WriteLine($"{shape} B = {c.ValueBits}, f = {c.FractionBits}, s = {c.LearningRateShift}: A = {a}, tightest {tightest.Product} at 2^{BigInteger.Log(tightest.Bound, 2):F2}");
        if (c.Network.Layers[0].Width < 1 << 16)
        {
            // The limb region, and what the activation width added to it (the quotient limbs of the forward products without
            // a bias and of the backward products, B bits before).
            long entries = SumcheckStep.PrivateVariables(c).Limbs.SelectMany(block => block).Sum(v => 1L << v);
            var shapes = StepTables.ShapesFor(c);
            int layers = c.Network.Layers.Count;
            var widened = Enumerable.Range(0, layers).Where(l => !c.Network.Layers[l].HasBias).Select(StepTables.Forward)
                .Concat(Enumerable.Range(1, layers - 1).Select(l => StepTables.Backward(l, layers)));
            long added = widened.Sum(i => (long)(RangeLimbs.Count(a) - RangeLimbs.Count(c.ValueBits)) << shapes[i].OutputVariables)
                + StepTables.BiasLayersOf(c).Sum(l => (long)(RangeLimbs.Count(a) - RangeLimbs.Count(c.ValueBits)) << shapes[StepTables.Forward(l)].OutputVariables);
            output.WriteLine($"  limb region {entries} entries, {added} of them from the activation width");
        }
        // The wrap bound keeps every shape the tests, samples and benchmarks run (other limits may refuse the larger ones).
        if (used) TrainingSetup.Create(Backend.Sumcheck, c, c.BatchSize);
    }

    [Fact]
    public void SetupRefusesTheFirstShapeWhoseActivationsCannotHoldOne()
    {
        // f = 20, B = 40, s = 2: 2-8-2 keeps A = 22 = f + 2 (1.0 fits); 16 hidden units take the second product over p at 22 bits.
        var admitted = Config(2, 2, (8, false), (2, false)) with { FractionBits = 20, LearningRateShift = 2, ValueBits = 40 };
        var refused = Config(2, 2, (16, false), (2, false)) with { FractionBits = 20, LearningRateShift = 2, ValueBits = 40 };
        Assert.Equal(22, WrapBound.ActivationBits(admitted));
        TrainingSetup.Create(Backend.Sumcheck, admitted, 2);
        Assert.Equal(21, WrapBound.ActivationBits(refused));
        var e = Assert.Throws<NetworkTooLargeException>(() => TrainingSetup.Create(Backend.Sumcheck, refused, 2));
        Assert.Contains("activations", e.Quantity);
        Assert.Equal(22, e.Required);
        Assert.Equal(21, e.Limit);
    }

    [Fact]
    public void AWrappedProductSatisfiesTheFieldIdentitySoTheOperandsMustBeBounded()
    {
        // Operands within 32 signed bits whose true product C = p + 5 * 2^10 reaches p: Rescale_10(C) is about 2^54 (the
        // reference throws), yet (Z, R) = (5, 512) satisfies 2^10 Z + R - 2^9 = C modulo p, and the product block alone,
        // whose operands are unchecked tables of its stack here, accepts it.
        var shape = new RescaledProductShape(Rows: 1, Inner: 8, Columns: 1, Shift: 10, ValueBits: 32);
        long min = int.MinValue;
        long[] a = [min, min, min, min, min, 5121, 0, 0];
        long[] w = [min, min, min, min, 2, 1, 0, 0];
        BigInteger c = Enumerable.Range(0, 8).Aggregate(BigInteger.Zero, (sum, k) => sum + (BigInteger)a[k] * w[k]);
        Assert.Equal(P + 5 * 1024, c);
        long[] z = [5], r = [512];
        var (tables, limbs) = ZeroKnowledgeBlocks.RescaledTables(shape, a, w, z, r);
        Assert.True(ZeroKnowledgeBlocks.ProveAndVerify(Digest(0), tables, limbs, ZeroKnowledgeBlocks.Rescaled(shape)));
        // In a step such operands cannot occur: a network with this product (8 hidden units feeding one output) is held to
        // A < 32 bits of activations.
        var config = Config(1, 1, (8, false), (1, false));
        Assert.Contains(WrapBound.Products(config, 32), product => product.Bound >= P);
        Assert.True(WrapBound.ActivationBits(config) < 32);
    }

    [Fact]
    public void InputsAtTheEdgesOfTheInputRangeAreProvenAndBeyondThemRefused()
    {
        // The products' bound takes the inputs in [-2^f, 3 2^f): X + 2^f in [0, 2^(f+2)) is the step's input lookup. A
        // batch at the range's edges is proven; one beyond them is refused by the data set (no digest of such a row), and a
        // prover that trains on such rows aliasing the data set's digests fails the input lookup
        // (BatchMembershipTests.APackedInputOutsideItsRangeIsRejected).
        var c = ZeroKnowledgeStepTests.Small;
        var model = QuantizedNetwork.CreateInitial(c, 5);
        Step Run(long wide)
        {
            long[] inputs = [.. ZeroKnowledgeStepTests.Inputs0];
            inputs[1] = wide;
            return Prove(c, 0, model, inputs, ZeroKnowledgeStepTests.Labels0);
        }
        Assert.True(Verify(Run((3 << 10) - 1), 0));
        Assert.True(Verify(Run(-(1 << 10)), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(3 << 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => Run(-(1 << 10) - 1));
    }

    [Fact]
    public void AnHonestStepWithAnActivationBeyondTheWidthIsRefusedByTheProverNotMisproven()
    {
        // h = 2^30 fits the reference's 32 bits, not the step's A = 30 bits: the reference completes the step, the sumcheck
        // prover refuses it (NotSupportedException, as the STARK refuses operands beyond 24 bits).
        var c = ZeroKnowledgeStepTests.Small;
        long[] parameters = new long[c.Network.ParameterCount];
        parameters[0] = 1L << 30; // W1[0, 0] = 2^20 (as a real number): z1[0] = Rescale_10(2^30 x) = 2^30 for x = 1.0
        var model = new QuantizedNetwork(c, parameters);
        long[] inputs = [1024, 0, 0, 0, 0, 0, 0, 0];
        int[] labels = [0, 1];
        model.Clone().TrainStep(inputs, labels);
        var e = Assert.Throws<NotSupportedException>(() => Tables(c, model, inputs, labels));
        Assert.Contains("30-bit activation range", e.Message);
    }

    /// <summary>
    /// 4-3-3, batch 2, every value within the STARK's 24-bit operands: hidden unit 0 is off on both samples (W1's row 0 is
    /// negative, the inputs are not) and its weights to outputs 0 and 1 are 2^23 - 1 and -2^23, while unit 1 passes 20.0 x[0]
    /// on with weights 8.0 and -8.0, so z2 = (160, -160, 0) and g[0] = 163840 (2^24 - 1): Rescale_f(g[0]) is about 2^31.3,
    /// beyond B = 32 bits, where the reference never looks (d1[0] = 0), while d1[1] is about 2^21.3.
    /// </summary>
    private static (QuantizedNetwork Model, long[] Inputs, int[] Labels) DeadUnitWithAHugeBackwardProduct()
    {
        var c = ZeroKnowledgeStepTests.Small;
        long[] w1 = [-1000, -1000, -1000, -1000, 20480, 0, 0, 0, 0, 0, 0, 0];
        long[] w2 = [(1 << 23) - 1, 8192, 0, -(1 << 23), -8192, 0, 0, 0, 0];
        return (new QuantizedNetwork(c, [.. w1, .. w2]), [1024, 512, 0, 256, 1024, 0, 1024, 0], [2, 0]);
    }

    [Fact]
    public void AnHonestStepWithAHugeRescaledGradientAtAnInactiveUnitIsProvenAndMatchesTheReference()
    {
        var c = ZeroKnowledgeStepTests.Small;
        var (model, inputs, labels) = DeadUnitWithAHugeBackwardProduct();
        var z = model.ForwardLayers(inputs.AsSpan(0, 4));
        Assert.True(z[0][0] <= 0);
        // The edge: Rescale_f(g[0]) of sample 0 does not fit B bits, where the reference does not look.
        Int128 g = 0;
        for (int i = 0; i < 3; i++) g += (Int128)model.Weights(1)[i * 3] * (z[1][i] - FixedPoint.Target(i, labels[0], c.FractionBits));
        Assert.False(FixedPoint.FitsSigned(FixedPoint.Rescale(g, c.FractionBits, out _), c.ValueBits));
        var reference = model.Clone();
        reference.TrainStep(inputs, labels);

        var step = Prove(c, 0, model, inputs, labels);
        Assert.True(Verify(step, 0));
        for (int l = 0; l < 2; l++)
            Assert.Equal(reference.Weights(l).ToArray(), StepTables.Unpad(step.Tables.WeightsAfter[l], 3, c.Network.FanIn(l), 4));
        // The masked quotient is whatever the field identity makes it; the error D passed on is 0 there.
        Assert.Equal(0, step.Tables.D[0][0]);
        // A prover that passes a non-zero error back through the inactive unit is rejected.
        var forged = Prove(c, 0, model, inputs, labels, t => t.D[0][0] = 5);
        Assert.False(Verify(forged, 0));

        // The STARK's trace and the R1CS circuit prove the same rule (the masked rescale gated by the ReLU sign): satisfied,
        // with the reference's parameters after the step.
        var air = new ZkMl.Training.Air.TrainingStepAir(c);
        var trace = ZkMl.Training.Air.TrainingTraceBuilder.Build(air, model.Parameters.ToArray(), inputs, labels);
        Assert.Equal(reference.Parameters.ToArray(), trace.ParametersAfter);
        ZkMl.Stark.Internal.AirChecker.Check(air, trace.Trace);
        var r1cs = ZkMl.Training.Circuits.SgdStepCircuit<Bn254Fr>.Build(c,
            new ZkMl.Training.Circuits.SgdStepInputs<Bn254Fr>(model.Parameters.ToArray(), inputs, labels, Bn254Fr.One, Bn254Fr.One, Bn254Fr.One));
        Assert.True(r1cs.Circuit.System.IsSatisfied(r1cs.Circuit.Witness, out var failure), failure?.Description);
        Assert.Equal(reference.Parameters.ToArray(), r1cs.UpdatedParameters);
    }
}
