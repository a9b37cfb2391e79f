using System.Numerics;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>
/// The Bn254Fr NTT's lazy butterflies against BigInteger: results stay inside their documented ranges ([0, 4p) for DIT,
/// [0, 2p) for DIF and the lazy product) and are congruent to the exact butterfly mod p, including at the range edges.
/// </summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)], MaxTest = 300)]
public sealed class LazyButterflyTests
{
    private static readonly BigInteger P = Bn254Fr.Modulus;
    private static readonly BigInteger RInverse = BigInteger.ModPow(BigInteger.One << 256, P - 2, P);

    /// <summary>An operand in [0, bound): edge operands pick the bound's edges, raw ones are reduced mod bound.</summary>
    private static BigInteger Below(Operand o, BigInteger bound)
    {
        BigInteger[] edges = [0, 1, P - 1, P, P + 1, 2 * P - 1, 2 * P, 3 * P, bound - 1];
        BigInteger v = o.Edge < Operand.EdgeCount ? edges[o.Edge % edges.Length] : o.Raw;
        return v % bound;
    }

    private static Fp256<Bn254Fr.Config> Raw(BigInteger v)
    {
        Mont256.FromBigInteger(v, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return new(l0, l1, l2, l3);
    }

    private static BigInteger Value(Fp256<Bn254Fr.Config> v) => Mont256.ToBigInteger(v.L0, v.L1, v.L2, v.L3);

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    [Property]
    public void LazyProductIsBelow2pAndCongruent(Operand oa, Operand ob)
    {
        BigInteger a = Below(oa, 4 * P), b = Below(ob, P);
        Mont256.MulLazy((ulong)(a & ulong.MaxValue), (ulong)((a >> 64) & ulong.MaxValue), (ulong)((a >> 128) & ulong.MaxValue), (ulong)(a >> 192),
            (ulong)(b & ulong.MaxValue), (ulong)((b >> 64) & ulong.MaxValue), (ulong)((b >> 128) & ulong.MaxValue), (ulong)(b >> 192),
            Bn254Fr.Config.P0, Bn254Fr.Config.P1, Bn254Fr.Config.P2, Bn254Fr.Config.P3, Bn254Fr.Config.Inv,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        BigInteger r = Mont256.ToBigInteger(r0, r1, r2, r3);
        Assert.True(r < 2 * P);
        Assert.Equal(Mod(a * b * RInverse), Mod(r));
    }

    [Property]
    public void DitButterflyStaysBelow4p(Operand ox, Operand oy, Operand ow)
    {
        BigInteger x = Below(ox, 4 * P), y = Below(oy, 4 * P), w = Below(ow, P);
        var xs = new[] { Raw(x) };
        var ys = new[] { Raw(y) };
        var ws = new[] { Raw(w) };
        Fp256Butterflies<Bn254Fr.Config>.DitRun(ref xs[0], ref ys[0], ref ws[0], 1);
        BigInteger v = y * w * RInverse;
        Assert.True(Value(xs[0]) < 4 * P && Value(ys[0]) < 4 * P);
        Assert.Equal(Mod(x + v), Mod(Value(xs[0])));
        Assert.Equal(Mod(x - v), Mod(Value(ys[0])));
    }

    [Property]
    public void DifButterflyStaysBelow2p(Operand ox, Operand oy, Operand ow)
    {
        BigInteger x = Below(ox, 2 * P), y = Below(oy, 2 * P), w = Below(ow, P);
        var xs = new[] { Raw(x), Raw(x) };
        var ys = new[] { Raw(y), Raw(y) };
        var ws = new[] { Raw(w) };
        Fp256Butterflies<Bn254Fr.Config>.DifRun(ref xs[0], ref ys[0], ref ws[0], 1);
        Fp256Butterflies<Bn254Fr.Config>.DifRunUnit(ref xs[1], ref ys[1], 1);
        Assert.All(xs.Concat(ys), e => Assert.True(Value(e) < 2 * P));
        Assert.Equal(Mod(x + y), Mod(Value(xs[0])));
        Assert.Equal(Mod((x - y) * w * RInverse), Mod(Value(ys[0])));
        Assert.Equal(Mod(x + y), Mod(Value(xs[1])));
        Assert.Equal(Mod(x - y), Mod(Value(ys[1])));
    }

    [Property]
    public void DitUnitButterflyAndNormalize(Operand ox, Operand oy)
    {
        BigInteger x = Below(ox, 2 * P), y = Below(oy, 2 * P);
        var xs = new[] { Raw(x) };
        var ys = new[] { Raw(y) };
        Fp256Butterflies<Bn254Fr.Config>.DitRunUnit(ref xs[0], ref ys[0], 1);
        Assert.True(Value(xs[0]) < 4 * P && Value(ys[0]) < 4 * P);
        var both = new[] { xs[0], ys[0] };
        Fp256Butterflies<Bn254Fr.Config>.Normalize(both);
        Assert.Equal(Mod(x + y), Value(both[0]));
        Assert.Equal(Mod(x - y), Value(both[1]));
    }

    /// <summary>Whole transforms of p-1 and 0 patterns (largest lazy sums) match the O(n^2) DFT and invert exactly.</summary>
    [Fact]
    public void EdgeValueTransformsMatchNaiveDft()
    {
        var edges = new[] { -Bn254Fr.One, Bn254Fr.Zero, Bn254Fr.One, Bn254Fr.FromBigInteger(P - 2), Bn254Fr.FromBigInteger((P - 1) / 2) };
        foreach (int log in new[] { 1, 2, 5, 8 })
        {
            int n = 1 << log;
            var c = Enumerable.Range(0, n).Select(i => edges[(i * 7 / 3) % edges.Length]).ToArray();
            var shift = Bn254Fr.MultiplicativeGenerator;
            var expected = NttTests<Bn254Fr>.NaiveEvaluate(c, Bn254Fr.RootOfUnity(log), shift);
            var actual = (Bn254Fr[])c.Clone();
            Ntt<Bn254Fr>.Instance.CosetForward(actual, shift);
            Assert.Equal(expected, actual);
            Ntt<Bn254Fr>.Instance.CosetInverse(actual, shift);
            Assert.Equal(c, actual);
            var allMax = Enumerable.Repeat(-Bn254Fr.One, n).ToArray();
            var bitReversed = (Bn254Fr[])allMax.Clone();
            Ntt<Bn254Fr>.Instance.ForwardToBitReversed(bitReversed);
            Ntt<Bn254Fr>.Instance.InverseFromBitReversed(bitReversed);
            Assert.Equal(allMax, bitReversed);
        }
    }
}
