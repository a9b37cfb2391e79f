using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary><see cref="GoldilocksRowCombination"/> equals the scalar extension-field loop bit for bit (tails and edge values included).</summary>
public sealed class GoldilocksRowCombinationTests
{
    private static readonly ulong[] EdgeValues =
        [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL, 0xFFFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL];

    private static readonly Gen<Goldilocks> Element =
        Gen.Frequency(
            (1, Gen.Elements(EdgeValues)),
            (3, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32 | (uint)t.Item2) % Goldilocks.P)))
        .Select(Goldilocks.FromCanonical);

    private static readonly Arbitrary<(Goldilocks[] Row, Goldilocks[] Sum0, Goldilocks[] Sum1, Goldilocks W0, Goldilocks W1)> Inputs =
        Gen.Choose(0, 41).SelectMany(n => Element.ArrayOf(n).SelectMany(row => Element.ArrayOf(n).SelectMany(s0 => Element.ArrayOf(n)
            .SelectMany(s1 => Element.Two().Select(w => (row, s0, s1, w.Item1, w.Item2))))))
        .ToArbitrary();

    [Property(MaxTest = 300)]
    public Property MatchesScalarExtensionLoop() => Prop.ForAll(Inputs, input =>
    {
        var (row, s0, s1, w0, w1) = input;
        var sum0 = (Goldilocks[])s0.Clone();
        var sum1 = (Goldilocks[])s1.Clone();
        GoldilocksRowCombination.AccumulateScaled(row, w0, w1, sum0, sum1);
        var w = new GoldilocksExt2(w0, w1);
        for (int i = 0; i < row.Length; i++)
        {
            var expected = new GoldilocksExt2(s0[i], s1[i]) + w * row[i];
            Assert.Equal(expected.C0, sum0[i]);
            Assert.Equal(expected.C1, sum1[i]);
        }
    });

    [Fact]
    public void Rejects_mismatched_lengths() =>
        Assert.Throws<ArgumentException>(() => GoldilocksRowCombination.AccumulateScaled(new Goldilocks[8], Goldilocks.One, Goldilocks.One, new Goldilocks[8], new Goldilocks[7]));
}
