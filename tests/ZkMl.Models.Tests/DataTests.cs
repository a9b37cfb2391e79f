using System.IO.Compression;
using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace ZkMl.Models.Tests;

public class DataTests
{
    [Fact]
    public void QuantizationIsTheRoundedQuotientAndAnExactShiftForPowersOfTwo()
    {
        Prop.ForAll(Gen.Choose(1, 100000).ToArbitrary(), Gen.Choose(0, 30).ToArbitrary(), ArbMap.Default.ArbFor<int>(), (range, f, raw) =>
        {
            var q = new InputQuantization(range);
            long p = (long)raw % (range + 1L);
            // round half up of p * 2^f / range, by BigInteger.
            var num = ((BigInteger)p << (f + 1)) + range;
            var expected = ReferenceMlp.FloorDiv(num, 2 * (BigInteger)range);
            long x = q.Quantize(p, f);
            return x == expected && (!q.IsExact(f) || x * range == p << f);
        }).QuickCheckThrowOnFailure();
        for (int p = 0; p <= 16; p++) Assert.Equal(FixedPoint.QuantizePixel(p, 10), InputQuantization.Pixel16.Quantize(p, 10));
        Assert.Equal(1024, InputQuantization.Pixel255.Quantize(255, 10));
        Assert.Equal(4, InputQuantization.Pixel255.Quantize(1, 10)); // 4.0157 -> 4
        Assert.Equal(2, InputQuantization.Pixel255.Quantize(1, 9));  // 2.0078 -> 2
        Assert.True(InputQuantization.Pixel16.IsExact(10));
        Assert.False(InputQuantization.Pixel255.IsExact(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => InputQuantization.Pixel16.Quantize(17, 10));
    }

    [Fact]
    public void GeneralLoaderReadsPlainAndGzipCsvAndTheDigitsLoaderIsOneUseOfIt()
    {
        const string text = "1,-2,3,0\n\n4,5,6,2\n";
        var plain = IntegerDataset.Load(new MemoryStream(Encoding.ASCII.GetBytes(text)));
        var zipped = new MemoryStream();
        using (var gz = new GZipStream(zipped, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(Encoding.ASCII.GetBytes(text));
        zipped.Position = 0;
        var fromGzip = IntegerDataset.Load(zipped);
        foreach (var d in new[] { plain, fromGzip })
        {
            Assert.Equal(3, d.FeatureCount);
            Assert.Equal(3, d.ClassCount);
            Assert.Equal(new[] { 1, -2, 3, 4, 5, 6 }, d.Features.ToArray());
            Assert.Equal(new[] { 0, 2 }, d.Labels.ToArray());
        }
        var ex = Assert.Throws<InvalidDataException>(() => IntegerDataset.Parse(new StringReader(text), 3, 3, 0, 9));
        Assert.Contains("Line 1, field 2", ex.Message);
        Assert.Contains("Line 3", Assert.Throws<InvalidDataException>(() => IntegerDataset.Parse(new StringReader(text), 3, 2)).Message);

        var digits = TestData.LoadDigits();
        var general = IntegerDataset.Load(TestData.DigitsPath, 64, 10, 0, 16);
        Assert.Equal(digits.ToIntegerDataset().Features.ToArray(), general.Features.ToArray());
        Assert.Equal(digits.Quantize(10).Inputs.ToArray(), general.Quantize(InputQuantization.Pixel16, 10).Inputs.ToArray());
        var (a, _) = digits.Split(1400, 42);
        var (b, _) = general.Split(1400, 42);
        Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
    }

    [Fact]
    public void MnistLoads()
    {
        var mnist = TestData.LoadMnist();
        Assert.Equal(10000, mnist.Count);
        Assert.Equal(784, mnist.FeatureCount);
        Assert.Equal(10, mnist.ClassCount);
        Assert.Equal(255, mnist.Features.ToArray().Max());
    }

    [Fact]
    public void BuiltInDigitsAreTheSampleDataFile()
    {
        var builtIn = DigitsDataset.LoadBuiltIn();
        var file = DigitsDataset.Load(TestData.DigitsPath);
        Assert.Equal(1797, builtIn.Count);
        Assert.True(builtIn.Pixels.SequenceEqual(file.Pixels));
        Assert.True(builtIn.Labels.SequenceEqual(file.Labels));
    }
}
