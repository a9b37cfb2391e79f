using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Gpu.Tests;

[Collection(CpuAcceleratorCollection.Name)]
public class MsmTests(CpuAcceleratorFixture fixture)
{
    /// <summary>Bases a_i*G with known discrete logs, so sum s_i (a_i G) must equal (sum s_i a_i) G.</summary>
    private static (G1Affine[] Bases, Bn254Fr[] Logs) KnownBases(int n, Random rng)
    {
        var logs = new Bn254Fr[n];
        var projective = new G1Projective[n];
        for (int i = 0; i < n; i++)
        {
            logs[i] = Bn254Fr.FromUInt64((ulong)rng.NextInt64(1, long.MaxValue));
            projective[i] = G1Projective.Generator.Multiply(logs[i]);
        }
        var bases = new G1Affine[n];
        G1Projective.BatchToAffine(projective, bases);
        return (bases, logs);
    }

    private static Bn254Fr[] RandomScalars(int n, Random rng)
    {
        var s = new Bn254Fr[n];
        for (int i = 0; i < n; i++) s[i] = Bn254Fr.Random(rng);
        return s;
    }

    private static G1Projective Expected(Bn254Fr[] logs, Bn254Fr[] scalars, G1Affine[]? bases = null)
    {
        Bn254Fr sum = Bn254Fr.Zero;
        for (int i = 0; i < scalars.Length; i++)
            if (bases is null || !bases[i].IsInfinity) sum += logs[i] * scalars[i];
        return G1Projective.Generator.Multiply(sum);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(12)]
    public void MatchesDiscreteLogReference(int logN)
    {
        var rng = new Random(logN);
        int n = 1 << logN;
        var (bases, logs) = KnownBases(n, rng);
        var scalars = RandomScalars(n, rng);
        var msm = fixture.Gpu.CreateMsm();
        Assert.IsType<GpuMsm>(msm);
        Assert.Equal(Expected(logs, scalars), msm.Compute(bases, scalars));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(12)]
    public void BitIdenticalToCpuPippengerInAffine(int logN)
    {
        var rng = new Random(200 + logN);
        int n = 1 << logN;
        var (bases, _) = KnownBases(n, rng);
        var scalars = RandomScalars(n, rng);
        G1Affine cpu = ZkMl.Snark.Msm.PippengerMsm.Default.Compute(bases, scalars).ToAffine();
        G1Affine gpu = fixture.Gpu.CreateMsm().Compute(bases, scalars).ToAffine();
        Assert.Equal(cpu.ToUncompressed(), gpu.ToUncompressed());
    }

    [Fact]
    public void MatchesNaiveDoubleAndAddOnOddSizes()
    {
        var rng = new Random(77);
        var msm = fixture.Gpu.CreateMsm();
        foreach (int n in new[] { 3, 17, 100 })
        {
            var (bases, _) = KnownBases(n, rng);
            var scalars = RandomScalars(n, rng);
            G1Projective naive = G1Projective.Infinity;
            for (int i = 0; i < n; i++) naive += bases[i].Multiply(scalars[i]);
            Assert.Equal(naive, msm.Compute(bases, scalars));
        }
    }

    [Fact]
    public void HandlesEdgeCases()
    {
        var rng = new Random(5);
        const int n = 64;
        var (bases, logs) = KnownBases(n, rng);
        var scalars = RandomScalars(n, rng);
        scalars[0] = Bn254Fr.Zero;
        scalars[1] = -Bn254Fr.One;                 // r - 1: every window digit nonzero
        scalars[2] = Bn254Fr.One;
        bases[3] = G1Affine.Infinity;
        // Equal bases with equal scalars land in the same buckets: exercises doubling inside a bucket.
        bases[5] = bases[4]; logs[5] = logs[4]; scalars[5] = scalars[4];
        // P and -P with equal scalars: exercises P + (-P) = infinity inside a bucket.
        bases[7] = bases[6].Negate(); logs[7] = -logs[6]; scalars[7] = scalars[6];
        // Many copies of one scalar: one long bucket per window.
        for (int i = 8; i < 40; i++) scalars[i] = scalars[8];
        var msm = fixture.Gpu.CreateMsm();
        Assert.Equal(Expected(logs, scalars, bases), msm.Compute(bases, scalars));

        Assert.True(msm.Compute([], []).IsInfinity);
        Assert.True(msm.Compute(bases, new Bn254Fr[n]).IsInfinity);
        Assert.Throws<ArgumentException>(() => msm.Compute(bases, scalars.AsSpan(1)));
    }

    [Fact]
    public void ChunksAndResidentBasesAgree()
    {
        var rng = new Random(9);
        const int n = 300;
        var (bases, logs) = KnownBases(n, rng);
        var scalars = RandomScalars(n, rng);
        G1Projective expected = Expected(logs, scalars);

        GpuContext gpu = fixture.Gpu;
        long saved = gpu.MemoryBudgetBytes;
        GpuMsm msm = gpu.TryCreateGpuMsm()!;
        using (GpuResidentBases resident = msm.LoadBases(bases))
        {
            Assert.True(resident.IsResident);
            Assert.Equal(expected, resident.Compute(scalars));
            Assert.Equal(Expected(logs[10..50], scalars[10..50]), resident.Compute(10, scalars.AsSpan(10, 40)));
            Assert.Throws<ArgumentException>(() => resident.Compute(290, scalars.AsSpan(0, 20)));
        }

        // A budget too small for everything at once: chunked runs and streamed (non-resident) bases.
        gpu.MemoryBudgetBytes = 400_000;
        try
        {
            Assert.Equal(expected, msm.Compute(bases, scalars));
            using GpuResidentBases streamed = msm.LoadBases(bases);
            Assert.False(streamed.IsResident);
            Assert.Equal(expected, streamed.Compute(scalars));
        }
        finally
        {
            gpu.MemoryBudgetBytes = saved;
        }
    }
}
