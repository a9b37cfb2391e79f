namespace ZkMl.Field.Tests;

/// <summary>Generic NTT checks, instantiated per field by the classes at the bottom.</summary>
public abstract class NttTests<T> where T : struct, ITwoAdicField<T>
{
    private static readonly Ntt<T> Ntt = Ntt<T>.Instance;

    protected static T[] RandomVector(Random rng, int n)
    {
        var v = new T[n];
        for (int i = 0; i < n; i++) v[i] = T.Random(rng);
        return v;
    }

    /// <summary>O(n^2) reference: out[i] = sum_j c[j] * (shift * omega^i)^j.</summary>
    internal static T[] NaiveEvaluate(T[] coefficients, T omega, T shift)
    {
        int n = coefficients.Length;
        var result = new T[n];
        T x = shift;
        for (int i = 0; i < n; i++)
        {
            T acc = T.Zero;
            for (int j = n - 1; j >= 0; j--) acc = acc * x + coefficients[j];
            result[i] = acc;
            x *= omega;
        }
        return result;
    }

    internal static int Reverse(int i, int log)
    {
        int r = 0;
        for (int b = 0; b < log; b++) r |= ((i >> b) & 1) << (log - 1 - b);
        return r;
    }

    [Fact]
    public void RootOfUnityHasExactOrder()
    {
        for (int k = 0; k <= T.TwoAdicity; k++)
        {
            T w = T.RootOfUnity(k);
            // w^(2^k) = 1 and, for k > 0, w^(2^(k-1)) = -1.
            T p = w;
            for (int i = 0; i < k - 1; i++) p = T.Square(p);
            if (k > 0) Assert.Equal(-T.One, p);
            if (k > 0) p = T.Square(p);
            Assert.Equal(T.One, k == 0 ? w : p);
            if (k > 0) Assert.Equal(T.RootOfUnity(k - 1), T.Square(w));
        }
    }

    [Fact]
    public void ForwardEqualsNaiveDftUpTo256()
    {
        var rng = new Random(1);
        for (int log = 0; log <= 8; log++)
        {
            int n = 1 << log;
            T[] c = RandomVector(rng, n);
            T[] expected = NaiveEvaluate(c, T.RootOfUnity(log), T.One);
            T[] actual = (T[])c.Clone();
            Ntt.Forward(actual);
            Assert.Equal(expected, actual);

            T[] bitReversed = (T[])c.Clone();
            Ntt.ForwardToBitReversed(bitReversed);
            for (int i = 0; i < n; i++) Assert.Equal(expected[Reverse(i, log)], bitReversed[i]);
        }
    }

    [Fact]
    public void InverseEqualsNaiveInverseDftUpTo256()
    {
        var rng = new Random(2);
        for (int log = 0; log <= 8; log++)
        {
            int n = 1 << log;
            T[] evaluations = RandomVector(rng, n);
            T nInverse = T.Inverse(T.FromUInt64((ulong)n));
            T[] expected = NaiveEvaluate(evaluations, T.Inverse(T.RootOfUnity(log)), T.One);
            for (int i = 0; i < n; i++) expected[i] *= nInverse;
            T[] actual = (T[])evaluations.Clone();
            Ntt.Inverse(actual);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>CosetReevaluate equals Inverse then CosetForward (serial and parallel sizes, two shifts so the factor cache is replaced).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    public void CosetReevaluateEqualsInverseThenCosetForward(int log)
    {
        var rng = new Random(40 + log);
        foreach (T shift in new[] { T.MultiplicativeGenerator, T.RootOfUnity(log + 1) })
        {
            T[] values = RandomVector(rng, 1 << log);
            T[] expected = (T[])values.Clone();
            Ntt.Inverse(expected);
            Ntt.CosetForward(expected, shift);
            Ntt.CosetReevaluate(values, shift);
            Assert.Equal(expected, values);
        }
    }

    [Fact]
    public void CosetForwardEqualsNaiveEvaluationOnCoset()
    {
        var rng = new Random(3);
        T shift = T.MultiplicativeGenerator;
        for (int log = 0; log <= 8; log++)
        {
            int n = 1 << log;
            T[] c = RandomVector(rng, n);
            T[] expected = NaiveEvaluate(c, T.RootOfUnity(log), shift);
            T[] actual = (T[])c.Clone();
            Ntt.CosetForward(actual, shift);
            Assert.Equal(expected, actual);
            Ntt.CosetInverse(actual, shift);
            Assert.Equal(c, actual);

            T[] bitReversed = (T[])c.Clone();
            Ntt.CosetForwardToBitReversed(bitReversed, shift);
            for (int i = 0; i < n; i++) Assert.Equal(expected[Reverse(i, log)], bitReversed[i]);
            Ntt.CosetInverseFromBitReversed(bitReversed, shift);
            Assert.Equal(c, bitReversed);
        }
    }

    [Fact]
    public void InverseOfForwardIsIdentityUpTo65536()
    {
        var rng = new Random(4);
        T shift = T.Random(rng);
        for (int log = 0; log <= 16; log++)
        {
            T[] x = RandomVector(rng, 1 << log);
            T[] y = (T[])x.Clone();
            Ntt.Forward(y);
            Ntt.Inverse(y);
            Assert.Equal(x, y);
            Ntt.ForwardToBitReversed(y);
            Ntt.InverseFromBitReversed(y);
            Assert.Equal(x, y);
            Ntt.CosetForward(y, shift);
            Ntt.CosetInverse(y, shift);
            Assert.Equal(x, y);
        }
    }

    [Theory]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(16)]
    public void ParallelSizesMatchHornerAtSampledPoints(int log)
    {
        var rng = new Random(5 + log);
        int n = 1 << log;
        T[] c = RandomVector(rng, n);
        var poly = new Polynomial<T>(c);
        T omega = T.RootOfUnity(log);
        T shift = T.MultiplicativeGenerator;
        T[] plain = (T[])c.Clone();
        Ntt.Forward(plain);
        T[] coset = (T[])c.Clone();
        Ntt.CosetForward(coset, shift);
        T[] bitReversed = (T[])c.Clone();
        Ntt.ForwardToBitReversed(bitReversed);
        foreach (int i in new[] { 0, 1, 2, n / 2 - 1, n / 2, n - 1, rng.Next(n), rng.Next(n) })
        {
            T x = FieldMath.Pow(omega, (ulong)i);
            Assert.Equal(poly.Evaluate(x), plain[i]);
            Assert.Equal(poly.Evaluate(shift * x), coset[i]);
            Assert.Equal(plain[i], bitReversed[Reverse(i, log)]);
        }
    }

    [Fact]
    public void BitReversePermuteMatchesIndexReversal()
    {
        foreach (int log in new[] { 0, 1, 2, 3, 5, 9, 10, 11, 12, 15 })
        {
            int n = 1 << log;
            var v = new T[n];
            for (int i = 0; i < n; i++) v[i] = T.FromUInt64((ulong)i);
            Ntt<T>.BitReversePermute(v);
            for (int i = 0; i < n; i++) Assert.Equal(T.FromUInt64((ulong)Reverse(i, log)), v[i]);
        }
    }

    [Fact]
    public void ColumnsMatchSingleTransforms()
    {
        var rng = new Random(6);
        T shift = T.MultiplicativeGenerator;
        var columns = Enumerable.Range(0, 5).Select(i => RandomVector(rng, 1 << (3 + i))).ToList();
        var expected = columns.Select(c => (T[])c.Clone()).ToList();
        foreach (var e in expected) Ntt.CosetForward(e, shift);
        Ntt.CosetForwardColumns(columns, shift);
        for (int i = 0; i < columns.Count; i++) Assert.Equal(expected[i], columns[i]);
        Ntt.CosetInverseColumns(columns, shift);
        foreach (var e in expected) Ntt.CosetInverse(e, shift);
        for (int i = 0; i < columns.Count; i++) Assert.Equal(expected[i], columns[i]);
        Ntt.ForwardColumns(columns);
        Ntt.InverseColumns(columns);
        for (int i = 0; i < columns.Count; i++) Assert.Equal(expected[i], columns[i]);
    }

    [Fact]
    public void RejectsNonPowerOfTwoLengths()
    {
        Assert.Throws<ArgumentException>(() => Ntt.Forward(new T[3]));
        Assert.Throws<ArgumentException>(() => Ntt.Inverse(new T[0]));
        Assert.Throws<ArgumentException>(() => Ntt.CosetForward(new T[6], T.One));
        Assert.Throws<ArgumentException>(() => Ntt.ForwardColumns([new T[4], new T[5]]));
    }

    /// <summary>Coefficients with about half of them zero (CosetExtend skips the butterflies of zero pairs).</summary>
    private static T[] SparseVector(Random rng, int n)
    {
        var v = RandomVector(rng, n);
        for (int i = 0; i < n; i++) if (rng.Next(2) == 0) v[i] = T.Zero;
        return v;
    }

    /// <summary>
    /// CosetExtend equals the coset transform of the zero-padded coefficients for every count at every size up to 2^7
    /// (shift one and a random shift; random and half-zero coefficients), so each first-stage pattern (zero and nonzero
    /// pairs, odd counts, counts just above a power of two) is covered.
    /// </summary>
    [Fact]
    public void CosetExtendMatchesPaddedCosetForwardExhaustively()
    {
        var rng = new Random(16);
        for (int log = 1; log <= 7; log++)
        {
            int size = 1 << log;
            for (int count = 1; count <= size; count++)
                foreach (bool sparse in new[] { false, true })
                    foreach (T shift in new[] { T.One, T.Random(rng) })
                    {
                        var c = sparse ? SparseVector(rng, count) : RandomVector(rng, count);
                        var expected = new T[size];
                        c.CopyTo(expected, 0);
                        Ntt.CosetForward(expected, shift);
                        var actual = RandomVector(rng, size); // stale contents must not leak through
                        Ntt.CosetExtend(c, actual, shift, allowParallel: false);
                        Assert.Equal(expected, actual);
                    }
        }
    }

    /// <summary>Large extensions (parallel chunks of the first stages, a Ligero-like count just above a power of two, zeros) match the serial one and the padded transform.</summary>
    [Theory]
    [InlineData(8296, 1 << 16)]
    [InlineData(16384 + 3, 1 << 16)]
    [InlineData(2 * 4096 + 1, 1 << 15)]
    public void LargeCosetExtendsMatchSerialAndPadded(int count, int size)
    {
        var rng = new Random(count);
        foreach (bool sparse in new[] { false, true })
        {
            var c = sparse ? SparseVector(rng, count) : RandomVector(rng, count);
            var expected = new T[size];
            c.CopyTo(expected, 0);
            Ntt.CosetForward(expected, T.One);
            var parallel = RandomVector(rng, size);
            var serial = RandomVector(rng, size);
            Ntt.CosetExtend(c, parallel, T.One, allowParallel: true);
            Ntt.CosetExtend(c, serial, T.One, allowParallel: false);
            Assert.Equal(expected, parallel);
            Assert.Equal(expected, serial);
        }
    }
}

public sealed class GoldilocksNttTests : NttTests<Goldilocks>
{
    /// <summary>A size with 64 rows of column groups (cheap in Goldilocks; Bn254Fr stays at 2^16 to keep the suite fast).</summary>
    [Fact]
    public void Size2To18MatchesHornerAtSampledPoints() => ParallelSizesMatchHornerAtSampledPoints(18);

    private static readonly ulong[] EdgeValues =
        [0, 1, 2, Goldilocks.P - 1, Goldilocks.P - 2, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL, 0xFFFF_FFFE_FFFF_FFFFUL, 0xFFFF_FFFF_0000_0000UL, 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL];

    /// <summary>The AVX-512 lanes agree with the scalar field on edge values and random values.</summary>
    [Fact]
    public void VectorArithmeticMatchesScalar()
    {
        if (!GoldilocksVector.IsSupported) return;
        var rng = new Random(7);
        var a = new List<ulong>();
        var b = new List<ulong>();
        foreach (var x in EdgeValues) foreach (var y in EdgeValues) { a.Add(x); b.Add(y); }
        for (int i = 0; i < 4000; i++) { a.Add(Goldilocks.Random(rng).Value); b.Add(Goldilocks.Random(rng).Value); }
        while (a.Count % GoldilocksVector.Lanes != 0) { a.Add(1); b.Add(Goldilocks.P - 1); }
        for (int i = 0; i < a.Count; i += GoldilocksVector.Lanes)
        {
            var va = System.Runtime.Intrinsics.Vector512.Create(a.GetRange(i, 8).ToArray());
            var vb = System.Runtime.Intrinsics.Vector512.Create(b.GetRange(i, 8).ToArray());
            var mul = GoldilocksVector.Mul(va, vb);
            var add = GoldilocksVector.Add(va, vb);
            var sub = GoldilocksVector.Sub(va, vb);
            for (int l = 0; l < 8; l++)
            {
                var x = Goldilocks.FromCanonical(a[i + l]);
                var y = Goldilocks.FromCanonical(b[i + l]);
                Assert.Equal((x * y).Value, mul[l]);
                Assert.Equal((x + y).Value, add[l]);
                Assert.Equal((x - y).Value, sub[l]);
            }
        }
    }

    /// <summary>CosetExtend equals a coset transform of the zero-padded coefficients (serial and parallel sizes, odd counts).</summary>
    [Theory]
    [InlineData(1, 8)]
    [InlineData(5, 16)]
    [InlineData(8, 8)]
    [InlineData(64, 512)]
    [InlineData(1000, 8192)]
    [InlineData(4096, 32768)]
    [InlineData(2048, 1 << 17)]
    [InlineData(3, 1 << 16)]
    public void CosetExtendMatchesPaddedCosetForward(int count, int size)
    {
        var rng = new Random(count + size);
        var c = RandomVector(rng, count);
        var shift = Goldilocks.MultiplicativeGenerator;
        var expected = new Goldilocks[size];
        c.CopyTo(expected, 0);
        Ntt<Goldilocks>.Instance.CosetForward(expected, shift);
        var actual = Enumerable.Repeat(Goldilocks.One, size).ToArray(); // stale contents must not leak through
        Ntt<Goldilocks>.Instance.CosetExtend(c, actual, shift);
        Assert.Equal(expected, actual);
    }

    /// <summary>Edge values through a whole transform (vector and scalar stages) match the O(n^2) DFT.</summary>
    [Fact]
    public void EdgeValuesMatchNaiveDft()
    {
        foreach (int log in new[] { 4, 6, 9 })
        {
            int n = 1 << log;
            var c = Enumerable.Range(0, n).Select(i => Goldilocks.FromCanonical(EdgeValues[i % EdgeValues.Length])).ToArray();
            var shift = Goldilocks.MultiplicativeGenerator;
            var expected = NaiveEvaluate(c, Goldilocks.RootOfUnity(log), shift);
            var actual = (Goldilocks[])c.Clone();
            Ntt<Goldilocks>.Instance.CosetForward(actual, shift);
            Assert.Equal(expected, actual);
            Ntt<Goldilocks>.Instance.CosetInverse(actual, shift);
            Assert.Equal(c, actual);
        }
    }
}
public sealed class Bn254FrNttTests : NttTests<Bn254Fr>;
