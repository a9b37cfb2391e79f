using ZkMl.Field;

namespace ZkMl.Gpu.Tests;

[Collection(CpuAcceleratorCollection.Name)]
public class NttTests(CpuAcceleratorFixture fixture)
{
    /// <summary>O(n^2) evaluation at shift * w^i: the independent reference.</summary>
    private static T[] NaiveDft<T>(T[] coefficients, T shift) where T : struct, ITwoAdicField<T>
    {
        int n = coefficients.Length;
        T w = T.RootOfUnity(System.Numerics.BitOperations.Log2((uint)n));
        var result = new T[n];
        T x = shift;
        for (int i = 0; i < n; i++)
        {
            T acc = T.Zero;
            for (int j = n - 1; j >= 0; j--) acc = acc * x + coefficients[j];
            result[i] = acc;
            x *= w;
        }
        return result;
    }

    private static T[] RandomVector<T>(int n, int seed) where T : struct, IField<T>
    {
        var rng = new Random(seed);
        var v = new T[n];
        for (int i = 0; i < n; i++) v[i] = T.Random(rng);
        return v;
    }

    public static IEnumerable<object[]> DftSizes => [[0], [1], [2], [4], [6], [8]];

    [Theory]
    [MemberData(nameof(DftSizes))]
    public void GoldilocksMatchesNaiveDft(int logN) => MatchesNaiveDft<Goldilocks>(logN);

    [Theory]
    [MemberData(nameof(DftSizes))]
    public void FrMatchesNaiveDft(int logN) => MatchesNaiveDft<Bn254Fr>(logN);

    private void MatchesNaiveDft<T>(int logN) where T : struct, ITwoAdicField<T>
    {
        int n = 1 << logN;
        var ntt = fixture.Gpu.CreateNtt<T>();
        Assert.IsType<GpuNtt<T>>(ntt);
        var coefficients = RandomVector<T>(n, logN);
        T shift = T.MultiplicativeGenerator;

        var values = (T[])coefficients.Clone();
        ntt.Forward(values);
        Assert.Equal(NaiveDft(coefficients, T.One), values);
        ntt.Inverse(values);
        Assert.Equal(coefficients, values);

        ntt.CosetForward(values, shift);
        Assert.Equal(NaiveDft(coefficients, shift), values);
        ntt.CosetInverse(values, shift);
        Assert.Equal(coefficients, values);
    }

    [Theory]
    [InlineData(10)]
    public void GoldilocksRoundTripsLargerSizes(int logN) => RoundTrips<Goldilocks>(logN);

    [Theory]
    [InlineData(10)]
    public void FrRoundTripsLargerSizes(int logN) => RoundTrips<Bn254Fr>(logN);

    private void RoundTrips<T>(int logN) where T : struct, ITwoAdicField<T>
    {
        var ntt = fixture.Gpu.CreateNtt<T>();
        var coefficients = RandomVector<T>(1 << logN, 100 + logN);
        var values = (T[])coefficients.Clone();
        ntt.CosetForward(values, T.MultiplicativeGenerator);
        // Spot-check a few evaluations against Horner.
        T w = T.RootOfUnity(logN);
        foreach (int i in new[] { 0, 1, 7, (1 << logN) - 1 })
        {
            T x = T.MultiplicativeGenerator * Pow(w, i);
            T acc = T.Zero;
            for (int j = coefficients.Length - 1; j >= 0; j--) acc = acc * x + coefficients[j];
            Assert.Equal(acc, values[i]);
        }
        ntt.CosetInverse(values, T.MultiplicativeGenerator);
        Assert.Equal(coefficients, values);
    }

    private static T Pow<T>(T x, int e) where T : struct, IField<T>
    {
        T r = T.One;
        for (; e > 0; e >>= 1, x *= x) if ((e & 1) != 0) r *= x;
        return r;
    }

    public static IEnumerable<object[]> CpuSizes => [[4], [5], [7], [9], [11], [12]];

    [Theory]
    [MemberData(nameof(CpuSizes))]
    public void GoldilocksBitIdenticalToCpuNtt(int logN) => BitIdenticalToCpuNtt<Goldilocks>(logN);

    [Theory]
    [MemberData(nameof(CpuSizes))]
    public void FrBitIdenticalToCpuNtt(int logN) => BitIdenticalToCpuNtt<Bn254Fr>(logN);

    private void BitIdenticalToCpuNtt<T>(int logN) where T : struct, ITwoAdicField<T>
    {
        var gpu = fixture.Gpu.CreateNtt<T>();
        var cpu = Ntt<T>.Instance;
        var input = RandomVector<T>(1 << logN, 1000 + logN);
        T shift = T.FromUInt64(3);
        foreach (var op in new Action<INtt<T>, T[]>[]
        {
            (ntt, v) => ntt.Forward(v), (ntt, v) => ntt.Inverse(v),
            (ntt, v) => ntt.CosetForward(v, shift), (ntt, v) => ntt.CosetInverse(v, shift),
        })
        {
            var expected = (T[])input.Clone();
            var actual = (T[])input.Clone();
            op(cpu, expected);
            op(gpu, actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void NoneContextHandsOutCpuImplementations()
    {
        using var none = GpuContext.Create(AcceleratorKind.None, _ => { });
        Assert.False(none.IsAccelerated);
        Assert.Same(Ntt<Goldilocks>.Instance, none.CreateNtt<Goldilocks>());
        Assert.IsNotType<GpuMsm>(none.CreateMsm());
        Assert.Null(none.TryCreateGpuNtt<Bn254Fr>());
    }

    [Fact]
    public void BatchedColumnsEqualPerColumnTransforms()
    {
        const int logN = 6, columns = 5;
        int n = 1 << logN;
        GpuNtt<Goldilocks> ntt = fixture.Gpu.TryCreateGpuNtt<Goldilocks>()!;
        var batch = RandomVector<Goldilocks>(n * columns, 7);
        Goldilocks shift = Goldilocks.FromUInt64(7);
        var perColumn = new Goldilocks[n * columns];
        for (int c = 0; c < columns; c++)
            NaiveDft(batch.AsSpan(c * n, n).ToArray(), shift).CopyTo(perColumn, c * n);

        var values = (Goldilocks[])batch.Clone();
        ntt.CosetForwardColumns(values, n, shift);
        Assert.Equal(perColumn, values);
        ntt.CosetInverseColumns(values, n, shift);
        Assert.Equal(batch, values);
    }

    [Fact]
    public void BatchesLargerThanTheMemoryBudgetAreChunked()
    {
        GpuContext gpu = fixture.Gpu;
        const int logN = 5, columns = 9;
        int n = 1 << logN;
        long saved = gpu.MemoryBudgetBytes;
        // Room for the twiddles and two columns only: the batch runs in five chunks.
        gpu.MemoryBudgetBytes = 2 * n * 32 + n * 32;
        try
        {
            GpuNtt<Bn254Fr> ntt = gpu.TryCreateGpuNtt<Bn254Fr>()!;
            var batch = RandomVector<Bn254Fr>(n * columns, 8);
            var values = (Bn254Fr[])batch.Clone();
            ntt.ForwardColumns(values, n);
            for (int c = 0; c < columns; c++)
                Assert.Equal(NaiveDft(batch.AsSpan(c * n, n).ToArray(), Bn254Fr.One), values.AsSpan(c * n, n).ToArray());
            ntt.InverseColumns(values, n);
            Assert.Equal(batch, values);
        }
        finally
        {
            gpu.MemoryBudgetBytes = saved;
        }
    }

    [Fact]
    public void RejectsBadLengths()
    {
        var ntt = fixture.Gpu.TryCreateGpuNtt<Goldilocks>()!;
        Assert.Throws<ArgumentException>(() => ntt.Forward(new Goldilocks[12]));
        Assert.Throws<ArgumentException>(() => ntt.ForwardColumns(new Goldilocks[24], 12));
        Assert.Throws<ArgumentException>(() => ntt.ForwardColumns(new Goldilocks[20], 8));
        Assert.Throws<ArgumentException>(() => ntt.CosetForward(new Goldilocks[8], Goldilocks.Zero));
    }
}
