using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>The span operations equal the scalar loops bit for bit (lengths that leave tails, edge values included).</summary>
public sealed class GoldilocksBatchTests
{
    private static readonly ulong[] EdgeValues =
        [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL, 0xFFFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL];

    private static readonly Gen<Goldilocks> Element =
        Gen.Frequency(
            (1, Gen.Elements(EdgeValues)),
            (3, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32 | (uint)t.Item2) % Goldilocks.P)))
        .Select(Goldilocks.FromCanonical);

    private static readonly Arbitrary<(Goldilocks[], Goldilocks[], Goldilocks)> Inputs =
        Gen.Choose(0, 37).SelectMany(n => Element.ArrayOf(n).SelectMany(a => Element.ArrayOf(n).SelectMany(b => Element.Select(f => (a, b, f)))))
        .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property MatchesScalarLoops() => Prop.ForAll(Inputs, input =>
    {
        var (a, b, f) = input;
        var product = new Goldilocks[a.Length];
        GoldilocksBatch.Multiply(a, b, product);
        Assert.Equal(a.Zip(b, (x, y) => x * y), product);

        var scaled = (Goldilocks[])a.Clone();
        GoldilocksBatch.Scale(scaled, f, scaled);
        Assert.Equal(a.Select(x => x * f), scaled);

        var accumulator = (Goldilocks[])b.Clone();
        GoldilocksBatch.MultiplyAdd(a, b, accumulator);
        Assert.Equal(a.Zip(b, (x, y) => y + x * y), accumulator);

        Goldilocks expected = Goldilocks.Zero;
        for (int i = 0; i < a.Length; i++) expected += a[i] * b[i];
        Assert.Equal(expected, GoldilocksBatch.InnerProduct(a, b));
    });

    [Fact]
    public void RejectsMismatchedLengths()
    {
        var three = new Goldilocks[3];
        var four = new Goldilocks[4];
        Assert.Throws<ArgumentException>(() => GoldilocksBatch.Multiply(three, four, four));
        Assert.Throws<ArgumentException>(() => GoldilocksBatch.Multiply(four, four, three));
        Assert.Throws<ArgumentException>(() => GoldilocksBatch.Scale(three, Goldilocks.One, four));
        Assert.Throws<ArgumentException>(() => GoldilocksBatch.MultiplyAdd(four, four, three));
        Assert.Throws<ArgumentException>(() => GoldilocksBatch.InnerProduct(three, four));
    }
}
