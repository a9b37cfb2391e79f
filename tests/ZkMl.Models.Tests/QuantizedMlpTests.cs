using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ZkMl.Models.Tests;

public class QuantizedMlpTests
{
    private static readonly QuantizedMlpConfig Small = new()
    {
        InputSize = 5, HiddenSize = 4, OutputSize = 3, FractionBits = 6, BatchSize = 3,
        LearningRateNumerator = 13, LearningRateShift = 5, ValueBits = 20,
    };

    [Theory]
    [InlineData(5, 1, 3, 0)]     // 2.5 rounds half up to 3
    [InlineData(-5, 1, -2, 0)]   // -2.5 rounds half up to -2
    [InlineData(-3, 1, -1, 0)]   // -1.5 -> -1
    [InlineData(-4, 2, -1, 1)]   // -1.0 -> -1, remainder 1 (-4 + 2 = -2 = -1*4 + 2)... see below
    [InlineData(1023, 10, 1, 511)]
    [InlineData(511, 10, 0, 1023)]
    [InlineData(512, 10, 1, 0)]
    [InlineData(-512, 10, 0, 0)]
    [InlineData(-513, 10, -1, 1023)]
    [InlineData(7, 0, 7, 0)]
    public void RescaleRoundsHalfUpWithFloor(long value, int shift, long quotient, long remainderOrZero)
    {
        long q = FixedPoint.Rescale(value, shift, out long r);
        Assert.Equal(quotient, q);
        long half = shift == 0 ? 0 : 1L << (shift - 1);
        Assert.Equal(value + half, q * (1L << shift) + r);
        Assert.InRange(r, 0, (1L << shift) - 1);
        if (value is not -4) Assert.Equal(remainderOrZero, r);
    }

    [Fact]
    public void RescaleMatchesOracleAndWideVersion()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<long>(), Gen.Choose(0, 40).ToArbitrary(), (v, k) =>
        {
            v >>= 2; // keep v + 2^(k-1) inside long
            long q = FixedPoint.Rescale(v, k, out long r);
            Int128 qw = FixedPoint.Rescale((Int128)v, k, out long rw);
            var expected = ReferenceMlp.FloorDiv((BigInteger)v + (k == 0 ? 0 : BigInteger.One << (k - 1)), BigInteger.One << k);
            return q == expected && qw == q && r == rw && r >= 0 && r < (1L << k);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void StepMatchesBigIntegerOracleOnRandomSmallNetworks()
    {
        var gen =
            from seed in Gen.Choose(0, int.MaxValue)
            from n in Gen.Choose(1, 6)
            from hidden in Gen.Choose(1, 5)
            from outputs in Gen.Choose(1, 4)
            from batch in Gen.Choose(1, 4)
            from f in Gen.Choose(4, 8)
            from s in Gen.Choose(0, 6)
            from eta in Gen.Choose(1, 40)
            from wide in Gen.Elements(false, true)
            select (seed, cfg: new QuantizedMlpConfig
            {
                InputSize = n, HiddenSize = hidden, OutputSize = outputs, BatchSize = batch, FractionBits = f,
                LearningRateShift = s, LearningRateNumerator = eta, ValueBits = wide ? 40 : 24,
            }, wide);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (seed, c, wide) = t;
            var rng = new Random(seed);
            // "wide" weights are near 2^30 so products exceed the 64-bit fast path's bound and exercise the 128-bit path.
            long range = wide ? 1L << 30 : 4L << c.FractionBits;
            long[] w1 = Enumerable.Range(0, c.Weights1Count).Select(_ => rng.NextInt64(-range, range)).ToArray();
            long[] w2 = Enumerable.Range(0, c.Weights2Count).Select(_ => rng.NextInt64(-range, range)).ToArray();
            long[] inputs = Enumerable.Range(0, c.BatchSize * c.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), c.FractionBits)).ToArray();
            int[] labels = Enumerable.Range(0, c.BatchSize).Select(_ => rng.Next(c.OutputSize)).ToArray();

            (long[] W1, long[] W2)? expected;
            try { expected = ReferenceMlp.Step(c, w1, w2, inputs, labels); }
            catch (FixedPointOverflowException) { expected = null; }

            var mlp = new QuantizedMlp(c, w1, w2);
            if (expected is null)
            {
                Assert.Throws<FixedPointOverflowException>(() => mlp.TrainStep(inputs, labels));
                Assert.Equal(w1, mlp.Weights1.ToArray()); // unchanged on failure
                return true;
            }
            mlp.TrainStep(inputs, labels);
            Assert.Equal(expected.Value.W1, mlp.Weights1.ToArray());
            Assert.Equal(expected.Value.W2, mlp.Weights2.ToArray());
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void CancellingHugeProductsTakeTheExactPathAndMatchTheOracle()
    {
        // W2 h cancels to 0 although |W2| * |h| ~ 2^69, beyond the 64-bit path's bound: the 128-bit path must agree with the oracle.
        var c = new QuantizedMlpConfig
        {
            InputSize = 2, HiddenSize = 2, OutputSize = 1, BatchSize = 2, FractionBits = 6,
            LearningRateNumerator = 1, LearningRateShift = 20, ValueBits = 40,
        };
        long[] w1 = [1L << 29, 1L << 29, 1L << 29, 1L << 29];
        long[] w2 = [1L << 38, -(1L << 38)];
        long[] inputs = [64, 64, 64, 64];
        int[] labels = [0, 0];
        var expected = ReferenceMlp.Step(c, w1, w2, inputs, labels);
        var mlp = new QuantizedMlp(c, w1, w2);
        mlp.TrainStep(inputs, labels);
        Assert.Equal(expected.W1, mlp.Weights1.ToArray());
        Assert.Equal(expected.W2, mlp.Weights2.ToArray());
        Assert.NotEqual(w1, expected.W1);
    }

    [Fact]
    public void ForwardMatchesOracle()
    {
        var rng = new Random(5);
        var c = Small;
        long[] w1 = Enumerable.Range(0, c.Weights1Count).Select(_ => rng.NextInt64(-300, 300)).ToArray();
        long[] w2 = Enumerable.Range(0, c.Weights2Count).Select(_ => rng.NextInt64(-300, 300)).ToArray();
        var mlp = new QuantizedMlp(c, w1, w2);
        for (int t = 0; t < 50; t++)
        {
            long[] x = Enumerable.Range(0, c.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), c.FractionBits)).ToArray();
            var (ez1, ez2) = ReferenceMlp.Forward(c, w1, w2, x);
            var z1 = new long[c.HiddenSize];
            var z2 = new long[c.OutputSize];
            mlp.Forward(x, z1, z2);
            Assert.Equal(ez1.Select(v => (long)v), z1);
            Assert.Equal(ez2.Select(v => (long)v), z2);
            Assert.Equal(QuantizedMlp.ArgMax(z2), mlp.Predict(x));
        }
    }

    [Fact]
    public void OverflowingHiddenValueThrowsNamingIt()
    {
        var c = Small with { ValueBits = 12 }; // max 2047
        var w1 = new long[c.Weights1Count];
        w1[2 * c.InputSize + 1] = 2047; // z1[2] = 2047 * x1 / 2^6
        var mlp = new QuantizedMlp(c, w1, new long[c.Weights2Count]);
        var x = new long[c.InputSize];
        x[1] = 64 * 2; // 2.0 -> z1[2] = 4094, out of range
        var ex = Assert.Throws<FixedPointOverflowException>(() => mlp.Forward(x, new long[c.HiddenSize], new long[c.OutputSize]));
        Assert.Equal("z1[2] of sample 0", ex.Quantity);
        Assert.Equal(4094, ex.Value);
        Assert.Equal(12, ex.ValueBits);
        x[1] = 64; // 1.0 -> 2047 fits exactly at the edge
        var z1 = new long[c.HiddenSize];
        mlp.Forward(x, z1, new long[c.OutputSize]);
        Assert.Equal(2047, z1[2]);
    }

    [Fact]
    public void UpdatedWeightLeavingTheWidthThrowsAndLeavesWeightsUnchanged()
    {
        var c = Small with { ValueBits = 12, LearningRateShift = 0, LearningRateNumerator = 1 };
        var w2 = new long[c.Weights2Count];
        w2.AsSpan().Fill(-2048); // at the lower edge: any positive gradient pushes below... any update that decreases W2 overflows
        var w1 = new long[c.Weights1Count];
        w1.AsSpan().Fill(5);
        var mlp = new QuantizedMlp(c, w1, w2);
        var inputs = Enumerable.Repeat(64L, c.BatchSize * c.InputSize).ToArray();
        var labels = new int[c.BatchSize];
        Assert.Throws<FixedPointOverflowException>(() => mlp.TrainStep(inputs, labels));
        Assert.Equal(w1, mlp.Weights1.ToArray());
        Assert.Equal(w2, mlp.Weights2.ToArray());
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTypedExceptions()
    {
        var c = Small;
        Assert.Throws<ArgumentException>(() => new QuantizedMlp(c, new long[3], new long[c.Weights2Count]));
        var tooBig = new long[c.Weights1Count];
        tooBig[0] = 1L << 19;
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMlp(c, tooBig, new long[c.Weights2Count]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMlp(c with { FractionBits = 3 }, new long[c.Weights1Count], new long[c.Weights2Count]));
        var mlp = QuantizedMlp.CreateInitial(c, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => mlp.TrainStep(new long[c.BatchSize * c.InputSize], new[] { 0, 1, 3 }));
        Assert.Throws<ArgumentException>(() => mlp.TrainStep(new long[7], new int[c.BatchSize]));
        var badInput = new long[c.BatchSize * c.InputSize];
        badInput[4] = 1L << 40;
        Assert.Throws<ArgumentOutOfRangeException>(() => mlp.TrainStep(badInput, new int[c.BatchSize]));
    }

    [Fact]
    public void InitialisationIsDeterministicAndScaled()
    {
        var c = new QuantizedMlpConfig();
        var a = QuantizedMlp.CreateInitial(c, 7);
        var b = QuantizedMlp.CreateInitial(c, 7);
        Assert.True(a.WeightsEqual(b));
        Assert.False(a.WeightsEqual(QuantizedMlp.CreateInitial(c, 8)));
        long bound1 = (long)Math.Ceiling(Math.Sqrt(6.0 / (64 + 32)) * 1024);
        Assert.All(a.Weights1.ToArray(), w => Assert.InRange(w, -bound1, bound1));
        var clone = a.Clone();
        Assert.True(clone.WeightsEqual(a));
    }

    [Fact]
    public void DigitsLoadAndSplitDeterministically()
    {
        var all = TestData.LoadDigits();
        Assert.Equal(1797, all.Count);
        var (train, test) = all.Split(1400, 42);
        Assert.Equal(1400, train.Count);
        Assert.Equal(397, test.Count);
        var (train2, _) = all.Split(1400, 42);
        Assert.True(train.Pixels.SequenceEqual(train2.Pixels));
        var q = train.Quantize(10);
        Assert.All(q.Inputs.ToArray(), v => Assert.True(v % 64 == 0 && v >= 0 && v <= 1024));
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("17" + ",0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1")]
    [InlineData("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,10")]
    [InlineData("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,-1,0,1")]
    public void MalformedDigitsLinesAreRejectedNamingTheLine(string badLine)
    {
        var text = string.Join(',', Enumerable.Repeat("0", 64)) + ",3\n" + badLine + "\n";
        var ex = Assert.Throws<InvalidDataException>(() => DigitsDataset.Parse(new StringReader(text)));
        Assert.Contains("Line 2", ex.Message);
    }

    [Fact]
    public void NonGzipFileIsRejected()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("not gzip at all"));
        Assert.Throws<InvalidDataException>(() => DigitsDataset.Load(stream));
    }

    [Fact]
    public void BatchScheduleCoversEachRowOncePerEpoch()
    {
        var batches = BatchSchedule.Create(50, 16, 2, 3);
        Assert.Equal(6, batches.Count);
        Assert.Equal(48, batches.Take(3).SelectMany(b => b).Distinct().Count());
        Assert.Equal(batches.Select(b => b.ToArray()), BatchSchedule.Create(50, 16, 2, 3).Select(b => b.ToArray()));
    }

    [Fact]
    public void TrainerReachesNinetyPercentOnDigits()
    {
        var c = new QuantizedMlpConfig();
        var (train, test) = TestData.LoadDigits().Split(1400, 42);
        var qTrain = train.Quantize(c.FractionBits);
        var qTest = test.Quantize(c.FractionBits);
        var mlp = QuantizedMlp.CreateInitial(c, 42);
        double before = mlp.Accuracy(qTest);
        mlp.Train(qTrain, BatchSchedule.Create(qTrain.Count, c.BatchSize, epochs: 30, seed: 42));
        double after = mlp.Accuracy(qTest);
        Assert.True(before < 0.5, $"untrained accuracy {before:P1}");
        Assert.True(after >= 0.90, $"test accuracy {after:P1} after 30 epochs");
    }
}
