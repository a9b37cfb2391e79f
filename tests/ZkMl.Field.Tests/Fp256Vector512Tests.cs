using System.Numerics;
using System.Runtime.CompilerServices;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>
/// The eight-lane AVX-512 kernels of the Bn254Fr NTT: bit for bit the four-lane AVX2 kernels' output (the same
/// arithmetic, lane for lane), inside the lazy ranges and congruent to the exact butterflies; and whole transforms at
/// 2^1..2^12 (every direction and order, coset included) equal to a plain scalar radix-2 reference. Without AVX-512 the
/// checks return at once (the NTT then never takes the eight-lane path).
/// </summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)], MaxTest = 200)]
public sealed class Fp256Vector512Tests
{
    private static readonly BigInteger P = Bn254Fr.Modulus;
    private static readonly BigInteger RInverse = BigInteger.ModPow(BigInteger.One << 256, P - 2, P);
    private static bool Supported => Fp256Vector512<Bn254Fr.Config>.IsSupported && Fp256Vector<Bn254Fr.Config>.IsSupported;

    private static Fp256<Bn254Fr.Config> Raw(BigInteger v)
    {
        Mont256.FromBigInteger(v, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return new(l0, l1, l2, l3);
    }

    private static BigInteger Value(Fp256<Bn254Fr.Config> v) => Mont256.ToBigInteger(v.L0, v.L1, v.L2, v.L3);

    private static BigInteger Mod(BigInteger v) => ((v % P) + P) % P;

    private static ref ulong Limbs(Fp256<Bn254Fr.Config>[] values, int at = 0) => ref Unsafe.As<Fp256<Bn254Fr.Config>, ulong>(ref values[at]);

    private static BigInteger RandomBelow(Random rng, BigInteger bound)
    {
        var bytes = new byte[40];
        rng.NextBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true) % bound;
    }

    private static readonly BigInteger[] Edges4P = [0, 1, 2, P - 1, P, P + 1, 2 * P - 1, 2 * P, 3 * P, 4 * P - 1, (BigInteger.One << 52) - 1, BigInteger.One << 255];

    /// <summary>Eight operands below bound: the given operand's edge or raw value in lane `lane`, random values elsewhere.</summary>
    private static BigInteger[] Lanes(Random rng, Operand o, int lane, BigInteger bound)
    {
        var v = Enumerable.Range(0, 8).Select(_ => RandomBelow(rng, bound)).ToArray();
        v[lane] = (o.Edge < Operand.EdgeCount ? Edges4P[o.Edge % Edges4P.Length] : o.Raw) % bound;
        return v;
    }

    /// <summary>Runs the eight-lane kernels and the four-lane ones (twice) on copies: identical limbs, lazy ranges, exact congruences.</summary>
    private static void CheckKernels(BigInteger[] x4, BigInteger[] y4, BigInteger[] w)
    {
        var ws = w.Select(Raw).ToArray();
        // DIT: x, y in [0, 4p).
        var x8 = x4.Select(Raw).ToArray();
        var y8 = y4.Select(Raw).ToArray();
        var xa = x4.Select(Raw).ToArray();
        var ya = y4.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.DitButterfly8(ref Limbs(x8), ref Limbs(y8), ref Limbs(ws));
        Fp256Vector<Bn254Fr.Config>.DitButterfly4(ref Limbs(xa), ref Limbs(ya), ref Limbs(ws));
        Fp256Vector<Bn254Fr.Config>.DitButterfly4(ref Limbs(xa, 4), ref Limbs(ya, 4), ref Limbs(ws, 4));
        Assert.Equal(xa, x8);
        Assert.Equal(ya, y8);
        for (int e = 0; e < 8; e++)
        {
            BigInteger v = y4[e] * w[e] * RInverse;
            Assert.True(Value(x8[e]) < 4 * P && Value(y8[e]) < 4 * P, $"DIT lane {e}");
            Assert.Equal(Mod(x4[e] + v), Mod(Value(x8[e])));
            Assert.Equal(Mod(x4[e] - v), Mod(Value(y8[e])));
        }
        // DIF: x, y in [0, 2p).
        BigInteger[] x2 = [.. x4.Select(v => v % (2 * P))];
        BigInteger[] y2 = [.. y4.Select(v => v % (2 * P))];
        x8 = x2.Select(Raw).ToArray();
        y8 = y2.Select(Raw).ToArray();
        xa = x2.Select(Raw).ToArray();
        ya = y2.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.DifButterfly8(ref Limbs(x8), ref Limbs(y8), ref Limbs(ws));
        Fp256Vector<Bn254Fr.Config>.DifButterfly4(ref Limbs(xa), ref Limbs(ya), ref Limbs(ws));
        Fp256Vector<Bn254Fr.Config>.DifButterfly4(ref Limbs(xa, 4), ref Limbs(ya, 4), ref Limbs(ws, 4));
        Assert.Equal(xa, x8);
        Assert.Equal(ya, y8);
        for (int e = 0; e < 8; e++)
        {
            Assert.True(Value(x8[e]) < 2 * P && Value(y8[e]) < 2 * P, $"DIF lane {e}");
            Assert.Equal(Mod(x2[e] + y2[e]), Mod(Value(x8[e])));
            Assert.Equal(Mod((x2[e] - y2[e]) * w[e] * RInverse), Mod(Value(y8[e])));
        }
        // Product (y below 4p, canonical result) and normalisation (below 4p to canonical), r aliasing y.
        var p8 = y4.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.Mul8(ref Limbs(p8), ref Limbs(ws), ref Limbs(p8));
        var n8 = x4.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.Normalize8(ref Limbs(n8));
        for (int e = 0; e < 8; e++)
        {
            Assert.Equal(Mod(y4[e] * w[e] * RInverse), Value(p8[e]));
            Assert.Equal(x4[e] % P, Value(n8[e]));
        }
    }

    /// <summary>Range edges in each lane position against random operands in the others.</summary>
    [Property]
    public void EightLaneKernelsEqualFourLaneKernelsAndExactButterflies(Operand ox, Operand oy, Operand ow, int seed)
    {
        if (!Supported) return;
        var rng = new Random(seed);
        int lane = (int)((uint)seed % 8);
        CheckKernels(Lanes(rng, ox, lane, 4 * P), Lanes(rng, oy, (lane + 3) % 8, 4 * P), Lanes(rng, ow, (lane + 5) % 8, P));
    }

    /// <summary>Every pair of range edges, eight pairs a call.</summary>
    [Fact]
    public void EightLaneKernelsOnAllEdgePairs()
    {
        if (!Supported) return;
        BigInteger[] wEdges = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, (BigInteger.One << 52) - 1, (BigInteger.One << 104) + 1];
        var pairs = (from a in Edges4P from b in Edges4P from c in wEdges select (a, b, c)).ToList();
        for (int i = 0; i + 8 <= pairs.Count; i += 8)
        {
            var chunk = pairs.Skip(i).Take(8).ToArray();
            CheckKernels([.. chunk.Select(t => t.a)], [.. chunk.Select(t => t.b)], [.. chunk.Select(t => t.c)]);
        }
    }

    /// <summary>
    /// The fused first two DIT and last two DIF stages over 32 elements (eight groups of four, one per lane) give the
    /// four-lane kernels' limbs exactly (two 16-element passes), inputs below 2p with range edges at random places.
    /// </summary>
    [Property(MaxTest = 100)]
    public void FusedTwoStageKernelsEqualFourLaneKernels(Operand o1, Operand o2, int seed)
    {
        if (!Supported) return;
        var rng = new Random(seed);
        var input = Enumerable.Range(0, 32).Select(_ => RandomBelow(rng, 2 * P)).ToArray();
        input[rng.Next(32)] = (o1.Edge < Operand.EdgeCount ? Edges4P[o1.Edge % Edges4P.Length] : o1.Raw) % (2 * P);
        input[rng.Next(32)] = (o2.Edge < Operand.EdgeCount ? Edges4P[o2.Edge % Edges4P.Length] : o2.Raw) % (2 * P);
        var w4 = Unsafe.As<Bn254Fr, Fp256<Bn254Fr.Config>>(ref Unsafe.AsRef(in FourthRoot));
        var w8 = Enumerable.Repeat(w4, 8).ToArray();
        var wFour = Enumerable.Repeat(w4, 4).ToArray();
        var dit8 = input.Select(Raw).ToArray();
        var dit4 = input.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.FirstTwoDitStages32(ref Limbs(dit8), ref Limbs(w8));
        Fp256Vector<Bn254Fr.Config>.FirstTwoDitStages16(ref Limbs(dit4), ref Limbs(wFour));
        Fp256Vector<Bn254Fr.Config>.FirstTwoDitStages16(ref Limbs(dit4, 16), ref Limbs(wFour));
        Assert.Equal(dit4, dit8);
        var dif8 = input.Select(Raw).ToArray();
        var dif4 = input.Select(Raw).ToArray();
        Fp256Vector512<Bn254Fr.Config>.LastTwoDifStages32(ref Limbs(dif8), ref Limbs(w8));
        Fp256Vector<Bn254Fr.Config>.LastTwoDifStages16(ref Limbs(dif4), ref Limbs(wFour));
        Fp256Vector<Bn254Fr.Config>.LastTwoDifStages16(ref Limbs(dif4, 16), ref Limbs(wFour));
        Assert.Equal(dif4, dif8);
    }

    private static readonly Bn254Fr FourthRoot = Bn254Fr.RootOfUnity(2);

    /// <summary>Plain radix-2 evaluation: out[i] = sum_j c[j] (shift omega^i)^j, canonical scalar arithmetic throughout.</summary>
    private static Bn254Fr[] Reference(Bn254Fr[] c, Bn254Fr omega, Bn254Fr shift)
    {
        int n = c.Length, log = BitOperations.Log2((uint)n);
        var a = new Bn254Fr[n];
        Bn254Fr s = Bn254Fr.One;
        for (int i = 0; i < n; i++) { a[NttTests<Bn254Fr>.Reverse(i, log)] = c[i] * s; s *= shift; }
        for (int m = 1; m < n; m <<= 1)
        {
            Bn254Fr step = omega;
            for (int k = m; k < n / 2; k <<= 1) step *= step; // omega^(n / 2m)
            for (int start = 0; start < n; start += 2 * m)
            {
                Bn254Fr t = Bn254Fr.One;
                for (int j = 0; j < m; j++)
                {
                    Bn254Fr u = a[start + j], v = a[start + j + m] * t;
                    a[start + j] = u + v;
                    a[start + j + m] = u - v;
                    t *= step;
                }
            }
        }
        return a;
    }

    private static Bn254Fr[] ReferenceInverse(Bn254Fr[] e, Bn254Fr shift)
    {
        int n = e.Length;
        var c = Reference(e, Bn254Fr.Inverse(Bn254Fr.RootOfUnity(BitOperations.Log2((uint)n))), Bn254Fr.One);
        Bn254Fr f = Bn254Fr.Inverse(Bn254Fr.FromBigInteger(n)), shiftInverse = Bn254Fr.Inverse(shift);
        for (int i = 0; i < n; i++) { c[i] *= f; f *= shiftInverse; }
        return c;
    }

    private static Bn254Fr[] BitReversed(Bn254Fr[] v)
    {
        int log = BitOperations.Log2((uint)v.Length);
        return [.. Enumerable.Range(0, v.Length).Select(i => v[NttTests<Bn254Fr>.Reverse(i, log)])];
    }

    /// <summary>
    /// Every transform of random data at a random size 2^1..2^12 (forward, inverse, both bit-reversed forms, coset forward
    /// and inverse in both orders, coset re-evaluation) equals the scalar reference exactly: canonical results are unique.
    /// </summary>
    [Property(MaxTest = 36)]
    public void TransformsEqualScalarReference(int seed) => CheckTransforms(seed, 1 + (int)((uint)seed % 12));

    /// <summary>Sizes above one local block (2^12), where the global stages run in column groups eight wide.</summary>
    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(16)]
    public void LargeTransformsEqualScalarReference(int log) => CheckTransforms(100 + log, log);

    private static void CheckTransforms(int seed, int log)
    {
        if (!Supported) return;
        var rng = new Random(seed);
        int n = 1 << log;
        var c = Enumerable.Range(0, n).Select(_ => Bn254Fr.Random(rng)).ToArray();
        if (seed % 5 == 0) c = [.. Enumerable.Repeat(-Bn254Fr.One, n)]; // largest lazy sums
        var ntt = Ntt<Bn254Fr>.Instance;
        Bn254Fr omega = Bn254Fr.RootOfUnity(log), shift = seed % 2 == 0 ? Bn254Fr.MultiplicativeGenerator : Bn254Fr.Random(rng);
        var forward = Reference(c, omega, Bn254Fr.One);
        var coset = Reference(c, omega, shift);
        var inverse = ReferenceInverse(c, Bn254Fr.One);
        var cosetInverse = ReferenceInverse(c, shift);

        Bn254Fr[] Run(Action<Bn254Fr[]> transform)
        {
            var v = (Bn254Fr[])c.Clone();
            transform(v);
            return v;
        }
        Assert.Equal(forward, Run(v => ntt.Forward(v)));
        Assert.Equal(BitReversed(forward), Run(v => ntt.ForwardToBitReversed(v)));
        Assert.Equal(inverse, Run(v => ntt.Inverse(v)));
        Assert.Equal(ReferenceInverse(BitReversed(c), Bn254Fr.One), Run(v => ntt.InverseFromBitReversed(v)));
        Assert.Equal(coset, Run(v => ntt.CosetForward(v, shift)));
        Assert.Equal(BitReversed(coset), Run(v => ntt.CosetForwardToBitReversed(v, shift)));
        Assert.Equal(cosetInverse, Run(v => ntt.CosetInverse(v, shift)));
        Assert.Equal(ReferenceInverse(BitReversed(c), shift), Run(v => ntt.CosetInverseFromBitReversed(v, shift)));
        Assert.Equal(Reference(inverse, omega, shift), Run(v => ntt.CosetReevaluate(v, shift)));
    }

    /// <summary>Products of whole spans (eight-lane body, four-lane and scalar tails) equal scalar products.</summary>
    [Property(MaxTest = 40)]
    public void MultiplyEqualsScalarProducts(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(0, 41);
        var values = Enumerable.Range(0, n).Select(_ => Bn254Fr.Random(rng)).ToArray();
        var factors = Enumerable.Range(0, n).Select(_ => Bn254Fr.Random(rng)).ToArray();
        var expected = values.Zip(factors, (a, b) => a * b).ToArray();
        Fp256Butterflies<Bn254Fr.Config>.Multiply(System.Runtime.InteropServices.MemoryMarshal.Cast<Bn254Fr, Fp256<Bn254Fr.Config>>(values.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.Cast<Bn254Fr, Fp256<Bn254Fr.Config>>(factors.AsSpan()));
        Assert.Equal(expected, values);
    }
}
