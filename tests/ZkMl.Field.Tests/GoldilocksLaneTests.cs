using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>
/// One set of checks for every Goldilocks lane width: the lanes' add, subtract, product and power scaling agree bit for
/// bit with the scalar field (skipped where the width's instructions are missing).
/// </summary>
public abstract class GoldilocksLaneTests
{
    private static readonly ulong[] EdgeValues =
        [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL, 0xFFFF_FFFE_FFFF_FFFFUL,
         0xFFFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_0000_0001UL - 0x1_0000_0000UL];

    private protected abstract int Lanes { get; }

    private protected abstract bool IsSupported { get; }

    /// <summary>The lanes' a b, a + b and a - b for <see cref="Lanes"/> canonical values each.</summary>
    private protected abstract (ulong[] Mul, ulong[] Add, ulong[] Sub) Apply(ulong[] a, ulong[] b);

    private protected abstract void ScaleByPowers(ulong[] values, Goldilocks factor, Goldilocks ratio);

    private void CheckLanes(ulong[] a, ulong[] b)
    {
        var (mul, add, sub) = Apply(a, b);
        for (int l = 0; l < Lanes; l++)
        {
            var x = Goldilocks.FromCanonical(a[l]);
            var y = Goldilocks.FromCanonical(b[l]);
            Assert.Equal((x * y).Value, mul[l]);
            Assert.Equal((x + y).Value, add[l]);
            Assert.Equal((x - y).Value, sub[l]);
        }
    }

    [Fact]
    public void EdgeValuesMatchScalar()
    {
        if (!IsSupported) return;
        var pairs = (from x in EdgeValues from y in EdgeValues select (x, y)).ToList();
        while (pairs.Count % Lanes != 0) pairs.Add((1, Goldilocks.P - 1));
        for (int i = 0; i < pairs.Count; i += Lanes)
        {
            var chunk = pairs.GetRange(i, Lanes);
            CheckLanes(chunk.Select(p => p.x).ToArray(), chunk.Select(p => p.y).ToArray());
        }
    }

    private static readonly Gen<ulong> Canonical =
        Gen.Frequency(
            (1, Gen.Elements(EdgeValues)),
            (3, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32 | (uint)t.Item2) % Goldilocks.P)));

    [Property(MaxTest = 500)]
    public Property RandomLanesMatchScalar() =>
        Prop.ForAll(Canonical.ArrayOf(2 * Lanes).ToArbitrary(), values =>
        {
            if (!IsSupported) return;
            CheckLanes(values[..Lanes], values[Lanes..]);
        });

    /// <summary>The vector scaling pass equals the scalar loop, including a tail shorter than a vector.</summary>
    [Fact]
    public void ScaleByPowersMatchesScalar()
    {
        if (!IsSupported) return;
        var rng = new Random(3);
        var values = Enumerable.Range(0, 23).Select(_ => Goldilocks.Random(rng)).ToArray();
        Goldilocks factor = Goldilocks.Random(rng), ratio = Goldilocks.Random(rng);
        var expected = new Goldilocks[values.Length];
        Goldilocks f = factor;
        for (int i = 0; i < values.Length; i++) { expected[i] = values[i] * f; f *= ratio; }
        var raw = values.Select(v => v.Value).ToArray();
        ScaleByPowers(raw, factor, ratio);
        Assert.Equal(expected.Select(v => v.Value), raw);
    }
}
