using System.Numerics;
using System.Runtime.CompilerServices;
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

    private static void CheckVectorLanes(BigInteger[] ys, BigInteger[] ws)
    {
        if (!Fp256Vector<Bn254Fr.Config>.IsSupported) return;
        var y = ys.Select(Raw).ToArray();
        var w = ws.Select(Raw).ToArray();
        var r = new Fp256<Bn254Fr.Config>[4];
        Fp256Vector<Bn254Fr.Config>.Mul4(ref Unsafe.As<Fp256<Bn254Fr.Config>, ulong>(ref y[0]),
            ref Unsafe.As<Fp256<Bn254Fr.Config>, ulong>(ref w[0]), ref Unsafe.As<Fp256<Bn254Fr.Config>, ulong>(ref r[0]));
        for (int e = 0; e < 4; e++)
            Assert.True(Mod(ys[e] * ws[e] * RInverse) == Value(r[e]), $"lane {e}: {ys[e]} * {ws[e]} gave {Value(r[e])}");
    }

    /// <summary>The AVX2/FMA four-lane product (52-bit limbs in doubles) is the canonical product, lane by lane.</summary>
    [Property]
    public void VectorLazyProductIsBelow2pAndCongruent(Operand o1, Operand o2, Operand o3, Operand o4)
    {
        Operand[] o = [o1, o2, o3, o4];
        CheckVectorLanes([.. o.Select(x => Below(x, 4 * P))], [.. o.Select((x, i) => Below(o[(i + 1) % 4], P))]);
    }

    /// <summary>Every pair of range edges (0, 1, p-1, p, 2p-1, 4p-1, ... against 0, 1, p-1, ...) and the in-place form.</summary>
    [Fact]
    public void VectorLazyProductEdges()
    {
        BigInteger[] yEdges = [0, 1, 2, P - 1, P, P + 1, 2 * P - 1, 2 * P, 3 * P, 4 * P - 1, (BigInteger.One << 52) - 1, BigInteger.One << 255];
        BigInteger[] wEdges = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, (BigInteger.One << 52) - 1, (BigInteger.One << 104) + 1];
        var pairs = (from a in yEdges from b in wEdges select (a, b)).ToList();
        for (int i = 0; i + 4 <= pairs.Count; i += 4)
            CheckVectorLanes([.. pairs.Skip(i).Take(4).Select(t => t.a)], [.. pairs.Skip(i).Take(4).Select(t => t.b)]);
        var rng = new Random(11);
        for (int i = 0; i < 500; i++)
            CheckVectorLanes([.. Enumerable.Range(0, 4).Select(_ => RandomBelow(rng, 4 * P))], [.. Enumerable.Range(0, 4).Select(_ => RandomBelow(rng, P))]);
    }

    private static ref ulong Limbs(Fp256<Bn254Fr.Config>[] values) => ref Unsafe.As<Fp256<Bn254Fr.Config>, ulong>(ref values[0]);

    /// <summary>
    /// The four-lane DIT and DIF butterflies (products and additions in 52-bit lanes) keep their ranges and are congruent
    /// to the exact butterflies, lane by lane, over range edges and random operands.
    /// </summary>
    [Property]
    public void VectorButterfliesStayInRangeAndAreCongruent(Operand o1, Operand o2, Operand o3, Operand o4)
    {
        if (!Fp256Vector<Bn254Fr.Config>.IsSupported) return;
        Operand[] o = [o1, o2, o3, o4];
        BigInteger[] x4 = [.. o.Select(e => Below(e, 4 * P))];
        BigInteger[] y4 = [.. o.Select((_, i) => Below(o[(i + 1) % 4], 4 * P))];
        BigInteger[] w = [.. o.Select((_, i) => Below(o[(i + 2) % 4], P))];
        var xs = x4.Select(Raw).ToArray();
        var ys = y4.Select(Raw).ToArray();
        var ws = w.Select(Raw).ToArray();
        Fp256Vector<Bn254Fr.Config>.DitButterfly4(ref Limbs(xs), ref Limbs(ys), ref Limbs(ws));
        for (int e = 0; e < 4; e++)
        {
            BigInteger v = y4[e] * w[e] * RInverse;
            Assert.True(Value(xs[e]) < 4 * P && Value(ys[e]) < 4 * P, $"DIT lane {e}: {x4[e]}, {y4[e]}, {w[e]}");
            Assert.Equal(Mod(x4[e] + v), Mod(Value(xs[e])));
            Assert.Equal(Mod(x4[e] - v), Mod(Value(ys[e])));
        }
        BigInteger[] x2 = [.. x4.Select(v => v % (2 * P))];
        BigInteger[] y2 = [.. y4.Select(v => v % (2 * P))];
        xs = x2.Select(Raw).ToArray();
        ys = y2.Select(Raw).ToArray();
        Fp256Vector<Bn254Fr.Config>.DifButterfly4(ref Limbs(xs), ref Limbs(ys), ref Limbs(ws));
        for (int e = 0; e < 4; e++)
        {
            Assert.True(Value(xs[e]) < 2 * P && Value(ys[e]) < 2 * P, $"DIF lane {e}: {x2[e]}, {y2[e]}, {w[e]}");
            Assert.Equal(Mod(x2[e] + y2[e]), Mod(Value(xs[e])));
            Assert.Equal(Mod((x2[e] - y2[e]) * w[e] * RInverse), Mod(Value(ys[e])));
        }
    }

    /// <summary>
    /// The fused first two DIT stages and last two DIF stages (16 elements, four groups of four) keep their ranges and
    /// are congruent to the two radix-2 stages computed exactly, over edge and random operands.
    /// </summary>
    [Property(MaxTest = 100)]
    public void FusedTwoStageKernelsMatchTwoRadix2Stages(Operand o1, Operand o2, Operand o3, Operand o4, int seed)
    {
        if (!Fp256Vector<Bn254Fr.Config>.IsSupported) return;
        var rng = new Random(seed);
        Operand[] o = [o1, o2, o3, o4];
        // Edge operands at the first positions of each group, random ones elsewhere, all below 2p.
        BigInteger[] input = [.. Enumerable.Range(0, 16).Select(i => i % 4 == 0 ? Below(o[i / 4], 2 * P) : RandomBelow(rng, 2 * P))];
        BigInteger w4 = Value(Unsafe.As<Bn254Fr, Fp256<Bn254Fr.Config>>(ref Unsafe.AsRef(in FourthRoot)));
        BigInteger w = w4 * RInverse; // the Montgomery product multiplies by w4 R^-1
        var dit = input.Select(Raw).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.FirstTwoDitStages(ref dit[0], 16, Raw(w4));
        var dif = input.Select(Raw).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.LastTwoDifStages(ref dif[0], 16, Raw(w4));
        for (int g = 0; g < 16; g += 4)
        {
            BigInteger a = input[g], b = input[g + 1], c = input[g + 2], d = input[g + 3];
            // DIT: m = 1 on (a, b), (c, d); m = 2 on (0, 2) with one and (1, 3) with w.
            BigInteger[] ditExpected = [a + b + c + d, a - b + w * (c - d), a + b - c - d, a - b - w * (c - d)];
            // DIF: m = 2 on (0, 2) with one and (1, 3) with w; m = 1 on (0, 1), (2, 3).
            BigInteger[] difExpected = [a + c + b + d, a + c - b - d, a - c + w * (b - d), a - c - w * (b - d)];
            for (int e = 0; e < 4; e++)
            {
                Assert.True(Value(dit[g + e]) < 4 * P, $"DIT element {g + e}");
                Assert.True(Value(dif[g + e]) < 2 * P, $"DIF element {g + e}");
                Assert.Equal(Mod(ditExpected[e]), Mod(Value(dit[g + e])));
                Assert.Equal(Mod(difExpected[e]), Mod(Value(dif[g + e])));
            }
        }
    }

    /// <summary>The four-lane power scaling equals the scalar loop at every length (vector body and scalar tail).</summary>
    [Property(MaxTest = 40)]
    public void ScaleByPowersMatchesScalarLoop(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(0, 41);
        var values = Enumerable.Range(0, n).Select(_ => Bn254Fr.Random(rng)).ToArray();
        Bn254Fr factor = Bn254Fr.Random(rng), ratio = seed % 7 == 0 ? -Bn254Fr.One : Bn254Fr.Random(rng);
        var expected = new Bn254Fr[n];
        Bn254Fr f = factor;
        for (int i = 0; i < n; i++) { expected[i] = values[i] * f; f *= ratio; }
        Fp256Butterflies<Bn254Fr.Config>.ScaleByPowers(System.Runtime.InteropServices.MemoryMarshal.Cast<Bn254Fr, Fp256<Bn254Fr.Config>>(values.AsSpan()),
            Unsafe.As<Bn254Fr, Fp256<Bn254Fr.Config>>(ref factor), Unsafe.As<Bn254Fr, Fp256<Bn254Fr.Config>>(ref ratio));
        Assert.Equal(expected, values);
    }

    /// <summary>Normalisation of values in [0, 4p) (range edges and random, vector body and scalar tail) gives the residues.</summary>
    [Property]
    public void NormalizeGivesResidues(Operand o1, Operand o2, Operand o3, Operand o4, Operand o5)
    {
        BigInteger[] v = [.. new[] { o1, o2, o3, o4, o5 }.Select(o => Below(o, 4 * P))];
        var raw = v.Select(Raw).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.Normalize(raw);
        for (int i = 0; i < v.Length; i++) Assert.Equal(v[i] % P, Value(raw[i]));
    }

    private static readonly Bn254Fr FourthRoot = Bn254Fr.RootOfUnity(2);

    /// <summary>Transforms of random data at every size up to 2^10 (odd and even log2) match the O(n^2) DFT, both orders.</summary>
    [Property(MaxTest = 12)]
    public void RandomSizeTransformsMatchNaiveDft(int seed)
    {
        var rng = new Random(seed);
        int log = rng.Next(0, 11);
        int n = 1 << log;
        var coefficients = Enumerable.Range(0, n).Select(_ => Bn254Fr.Random(rng)).ToArray();
        var expected = NttTests<Bn254Fr>.NaiveEvaluate(coefficients, Bn254Fr.RootOfUnity(log), Bn254Fr.One);
        var natural = (Bn254Fr[])coefficients.Clone();
        Ntt<Bn254Fr>.Instance.Forward(natural);
        Assert.Equal(expected, natural);
        var reversed = (Bn254Fr[])coefficients.Clone();
        Ntt<Bn254Fr>.Instance.ForwardToBitReversed(reversed);
        for (int i = 0; i < n; i++) Assert.Equal(expected[NttTests<Bn254Fr>.Reverse(i, log)], reversed[i]);
        Ntt<Bn254Fr>.Instance.InverseFromBitReversed(reversed);
        Assert.Equal(coefficients, reversed);
    }

    private static BigInteger RandomBelow(Random rng, BigInteger bound)
    {
        var bytes = new byte[40];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    /// <summary>Runs of four and more take the vector path inside the butterflies; results match the scalar runs mod p.</summary>
    [Fact]
    public void VectorButterflyRunsMatchScalarRuns()
    {
        var rng = new Random(12);
        const int count = 11; // two vector blocks and a scalar tail
        var x = Enumerable.Range(0, count).Select(_ => RandomBelow(rng, 2 * P)).ToArray();
        var y = Enumerable.Range(0, count).Select(_ => RandomBelow(rng, 2 * P)).ToArray();
        var w = Enumerable.Range(0, count).Select(_ => RandomBelow(rng, P)).ToArray();
        x[0] = 2 * P - 1; y[0] = 2 * P - 1; w[0] = P - 1;
        var xs = x.Select(Raw).ToArray();
        var ys = y.Select(Raw).ToArray();
        var ws = w.Select(Raw).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.DitRun(ref xs[0], ref ys[0], ref ws[0], count);
        for (int i = 0; i < count; i++)
        {
            BigInteger v = y[i] * w[i] * RInverse;
            Assert.True(Value(xs[i]) < 4 * P && Value(ys[i]) < 4 * P);
            Assert.Equal(Mod(x[i] + v), Mod(Value(xs[i])));
            Assert.Equal(Mod(x[i] - v), Mod(Value(ys[i])));
        }
        xs = x.Select(Raw).ToArray();
        ys = y.Select(Raw).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.DifRun(ref xs[0], ref ys[0], ref ws[0], count);
        for (int i = 0; i < count; i++)
        {
            Assert.True(Value(xs[i]) < 2 * P && Value(ys[i]) < 2 * P);
            Assert.Equal(Mod(x[i] + y[i]), Mod(Value(xs[i])));
            Assert.Equal(Mod((x[i] - y[i]) * w[i] * RInverse), Mod(Value(ys[i])));
        }
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
