using FsCheck;
using FsCheck.Fluent;

namespace ZkMl.Models.Tests;

public class QuantizedNetworkTests
{
    private sealed record Case(int Seed, QuantizedNetworkConfig Config, bool Wide);

    private static Gen<Case> Cases(int minDepth, int maxDepth, bool allowBias) =>
        from seed in Gen.Choose(0, int.MaxValue)
        from n in Gen.Choose(1, 6)
        from depth in Gen.Choose(minDepth, maxDepth)
        from widths in Gen.ArrayOf(Gen.Choose(1, 5), depth)
        from biases in Gen.ArrayOf(allowBias ? Gen.Elements(false, true) : Gen.Constant(false), depth)
        from batch in Gen.Choose(1, 4)
        from f in Gen.Choose(4, 8)
        from s in Gen.Choose(0, 6)
        from eta in Gen.Choose(1, 40)
        from wide in Gen.Elements(false, true)
        select new Case(seed, new QuantizedNetworkConfig(new NetworkDescription(n, widths.Zip(biases, (w, b) => new DenseLayer(w, b))))
        {
            BatchSize = batch, FractionBits = f, LearningRateShift = s, LearningRateNumerator = eta, ValueBits = wide ? 40 : 24,
        }, wide);

    /// <summary>Random parameters, inputs and labels; "wide" parameters near 2^30 force the 128-bit paths.</summary>
    private static (long[] Parameters, long[][] Xs, int[] Labels) Draw(Case t)
    {
        var c = t.Config;
        var rng = new Random(t.Seed);
        long range = t.Wide ? 1L << 30 : 4L << c.FractionBits;
        var parameters = Enumerable.Range(0, (int)c.Network.ParameterCount).Select(_ => rng.NextInt64(-range, range)).ToArray();
        var xs = Enumerable.Range(0, c.BatchSize)
            .Select(_ => Enumerable.Range(0, c.Network.InputSize).Select(_ => InputQuantization.Pixel16.Quantize(rng.Next(17), c.FractionBits)).ToArray())
            .ToArray();
        var labels = Enumerable.Range(0, c.BatchSize).Select(_ => rng.Next(c.Network.OutputSize)).ToArray();
        return (parameters, xs, labels);
    }

    /// <summary>Splits the flat parameter layout into the oracle's own per-layer arrays.</summary>
    private static NetworkOracle Oracle(QuantizedNetworkConfig c, long[] parameters)
    {
        var net = c.Network;
        int L = net.Layers.Count, offset = 0;
        var w = new long[L][];
        var b = new long[]?[L];
        for (int l = 0; l < L; l++)
        {
            int fanIn = l == 0 ? net.InputSize : net.Layers[l - 1].Width, width = net.Layers[l].Width;
            w[l] = parameters[offset..(offset + width * fanIn)];
            offset += width * fanIn;
            if (net.Layers[l].HasBias) { b[l] = parameters[offset..(offset + width)]; offset += width; }
        }
        return new NetworkOracle
        {
            InputSize = net.InputSize, Widths = net.Layers.Select(x => x.Width).ToArray(), W = w, Bias = b,
            F = c.FractionBits, B = c.ValueBits, Eta = c.LearningRateNumerator, S = c.LearningRateShift,
        };
    }

    private static long[] Flatten((long[][] W, long[]?[] Bias) p) =>
        p.W.Zip(p.Bias, (w, b) => w.Concat(b ?? [])).SelectMany(x => x).ToArray();

    [Fact]
    public void StepAndForwardMatchTheBigIntegerOracleForDepthOneToFourWithAndWithoutBiases()
    {
        Prop.ForAll(Cases(1, 4, allowBias: true).ToArbitrary(), t =>
        {
            var c = t.Config;
            var (parameters, xs, labels) = Draw(t);
            var oracle = Oracle(c, parameters);
            var net = new QuantizedNetwork(c, parameters);

            BigIntegerArrays? expectedZ;
            try { expectedZ = new(oracle.Forward(xs[0])); }
            catch (FixedPointOverflowException) { expectedZ = null; }
            if (expectedZ is null) Assert.Throws<FixedPointOverflowException>(() => net.ForwardLayers(xs[0]));
            else Assert.Equal(expectedZ.Values, net.ForwardLayers(xs[0]).Select(z => z.Select(v => (System.Numerics.BigInteger)v).ToArray()).ToArray());

            long[]? expected;
            try { expected = Flatten(oracle.Step(xs, labels)); }
            catch (FixedPointOverflowException) { expected = null; }
            var inputs = xs.SelectMany(x => x).ToArray();
            if (expected is null)
            {
                Assert.Throws<FixedPointOverflowException>(() => net.TrainStep(inputs, labels));
                Assert.Equal(parameters, net.Parameters.ToArray()); // unchanged on failure
                return true;
            }
            net.TrainStep(inputs, labels);
            Assert.Equal(expected, net.Parameters.ToArray());
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
    }

    private sealed record BigIntegerArrays(System.Numerics.BigInteger[][] Values);

    [Fact]
    public void TwoLayersWithoutBiasesEqualTodaysTrainerStepByStep()
    {
        Prop.ForAll(Cases(2, 2, allowBias: false).ToArbitrary(), t =>
        {
            var c = t.Config;
            var mlpConfig = c.ToMlp();
            Assert.Equal(c, QuantizedNetworkConfig.FromMlp(mlpConfig));
            var (parameters, xs, labels) = Draw(t);
            var net = new QuantizedNetwork(c, parameters);
            var mlp = net.ToMlp();
            var inputs = xs.SelectMany(x => x).ToArray();
            for (int step = 0; step < 3; step++)
            {
                Exception? a = Record.Exception(() => mlp.TrainStep(inputs, labels));
                Exception? b = Record.Exception(() => net.TrainStep(inputs, labels));
                Assert.Equal(a?.GetType(), b?.GetType());
                Assert.True(QuantizedNetwork.FromMlp(mlp).ParametersEqual(net));
                if (a is not null) break;
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));
    }

    [Fact]
    public void TwoLayersWithoutBiasesEqualTodaysTrainerOnDigits()
    {
        var mlpConfig = new QuantizedMlpConfig();
        var config = QuantizedNetworkConfig.FromMlp(mlpConfig);
        var mlp = QuantizedMlp.CreateInitial(mlpConfig, 42);
        var net = QuantizedNetwork.CreateInitial(config, 42);
        Assert.True(QuantizedNetwork.FromMlp(mlp).ParametersEqual(net));
        var (train, test) = TestData.LoadDigits().Split(1400, 42);
        var qTrain = train.Quantize(config.FractionBits);
        var schedule = BatchSchedule.Create(qTrain.Count, config.BatchSize, epochs: 2, seed: 42);
        mlp.Train(qTrain, schedule);
        net.Train(qTrain, schedule);
        Assert.True(QuantizedNetwork.FromMlp(mlp).ParametersEqual(net));
        var qTest = test.Quantize(config.FractionBits);
        Assert.Equal(mlp.CountCorrect(qTest), net.CountCorrect(qTest));
    }

    [Fact]
    public void OverflowsNameTheLayerAndParameter()
    {
        var c = new QuantizedNetworkConfig(new NetworkDescription(2, [new DenseLayer(2, true), new DenseLayer(2)])) { FractionBits = 6, ValueBits = 12, BatchSize = 1 };
        // b1[1] = 2047 and W1 row 1 = (64, 0): z1[1] = 1 + 2047 = 2048 overflows 12 bits.
        long[] p = [0, 0, 64, 0, 0, 2047, 0, 0, 0, 0];
        var net = new QuantizedNetwork(c, p);
        var ex = Assert.Throws<FixedPointOverflowException>(() => net.ForwardLayers([1, 0]));
        Assert.Equal("z1[1] of sample 0", ex.Quantity);
        Assert.Equal(2048, ex.Value);
        p[2] = 2048;
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedNetwork(c, p));
        Assert.Contains("W1[2]", bad.Message);
    }

    [Fact]
    public void DescriptionsValidateAndPrint()
    {
        var d = NetworkDescription.Create(784, [256, 64], 10, bias: true);
        Assert.Equal("784-256b-64b-10b", d.ToString());
        Assert.Equal(784L * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10, d.ParameterCount);
        Assert.Equal(d, NetworkDescription.Create(784, [256, 64], 10, bias: true));
        Assert.NotEqual(d, NetworkDescription.Create(784, [256, 64], 10, bias: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkDescription(4, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkDescription(4, Enumerable.Repeat(new DenseLayer(2), 9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkDescription(0, [new DenseLayer(2)]));
        Assert.Throws<NotSupportedException>(() => new QuantizedNetworkConfig(d).ToMlp());
    }
}
