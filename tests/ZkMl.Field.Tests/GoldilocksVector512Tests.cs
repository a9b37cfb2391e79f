using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>The AVX-512 Goldilocks lanes (masked fixes, unsigned-min reduction) agree bit for bit with the scalar field (skipped without AVX-512).</summary>
public sealed class GoldilocksVector512Tests
{
    private static readonly ulong[] EdgeValues =
        [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL, 0xFFFF_FFFE_FFFF_FFFFUL,
         0xFFFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFF_0000_0001UL - 0x1_0000_0000UL];

    private static void CheckLanes(ulong[] a, ulong[] b)
    {
        var va = Vector512.Create(a);
        var vb = Vector512.Create(b);
        var mul = GoldilocksVector.Mul(va, vb);
        var add = GoldilocksVector.Add(va, vb);
        var sub = GoldilocksVector.Sub(va, vb);
        for (int l = 0; l < GoldilocksVector.Lanes; l++)
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
        if (!GoldilocksVector.IsSupported) return;
        var pairs = (from x in EdgeValues from y in EdgeValues select (x, y)).ToList();
        while (pairs.Count % GoldilocksVector.Lanes != 0) pairs.Add((1, Goldilocks.P - 1));
        for (int i = 0; i < pairs.Count; i += GoldilocksVector.Lanes)
        {
            var chunk = pairs.GetRange(i, GoldilocksVector.Lanes);
            CheckLanes(chunk.Select(p => p.x).ToArray(), chunk.Select(p => p.y).ToArray());
        }
    }

    private static readonly Gen<ulong> Canonical =
        Gen.Frequency(
            (1, Gen.Elements(EdgeValues)),
            (3, Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((ulong)(uint)t.Item1 << 32 | (uint)t.Item2) % Goldilocks.P)));

    [Property(MaxTest = 500)]
    public Property RandomLanesMatchScalar() =>
        Prop.ForAll(Canonical.ArrayOf(16).ToArbitrary(), values =>
        {
            if (!GoldilocksVector.IsSupported) return;
            CheckLanes(values[..8], values[8..]);
        });

    /// <summary>The vector scaling pass equals the scalar loop, including a tail shorter than a vector.</summary>
    [Fact]
    public void ScaleByPowersMatchesScalar()
    {
        if (!GoldilocksVector.IsSupported) return;
        var rng = new Random(3);
        var values = Enumerable.Range(0, 23).Select(_ => Goldilocks.Random(rng)).ToArray();
        Goldilocks factor = Goldilocks.Random(rng), ratio = Goldilocks.Random(rng);
        var expected = new Goldilocks[values.Length];
        Goldilocks f = factor;
        for (int i = 0; i < values.Length; i++) { expected[i] = values[i] * f; f *= ratio; }
        var raw = values.Select(v => v.Value).ToArray();
        GoldilocksVector.ScaleByPowers(raw, factor, ratio);
        Assert.Equal(expected.Select(v => v.Value), raw);
    }
}
