using System.Runtime.Intrinsics.X86;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The GKR's AVX-512 loops (<c>ZkGkrStepKernel.Ext4</c>): lane arithmetic equal to <see cref="GoldilocksExt2"/>'s at
/// random and edge values (0, 1, p - 1, 2^32 boundaries, 7-multiples near p), and the stored-mask GKR's proof, layers
/// and claims the same with the vector loops on and off (the scalar loops are the generic prover's reference in the
/// other kernel tests; this holds the vector ones to them on machines with AVX-512).
/// </summary>
public class ZkGkrStepKernelExt4Tests
{
    private static readonly ulong[] Edges = [0, 1, 2, 7, Goldilocks.P - 1, Goldilocks.P - 2, Goldilocks.P - 7, 0xFFFF_FFFF, 0x1_0000_0000, 0xFFFF_FFFF_0000_0000, 0x8000_0000_0000_0000, 0x2492_4924_9249_2492];

    [Fact]
    public void LaneArithmeticEqualsTheScalarField()
    {
        if (!Avx512F.IsSupported) return;
        var rng = new Random(5);
        var values = Edges.SelectMany(c0 => Edges.Select(c1 => new GoldilocksExt2(Goldilocks.FromUInt64(c0), Goldilocks.FromUInt64(c1))))
            .Concat(Enumerable.Range(0, 256).Select(_ => GoldilocksExt2.Random(rng))).ToArray();
        var a = values;
        var b = values.Select((_, i) => values[(i * 37 + 11) % values.Length]).ToArray();
        int n = a.Length / 4 * 4;
        var product = new GoldilocksExt2[n];
        var sum = new GoldilocksExt2[n];
        var difference = new GoldilocksExt2[n];
        var two = new GoldilocksExt2[n];
        for (int i = 0; i < n; i += 4)
        {
            var (x, y) = (ZkGkrStepKernel.Ext4.Load(a, i), ZkGkrStepKernel.Ext4.Load(b, i));
            ZkGkrStepKernel.Ext4.Store(product, i, ZkGkrStepKernel.Ext4.Mul(x, y));
            ZkGkrStepKernel.Ext4.Store(sum, i, ZkGkrStepKernel.Ext4.Add(x, y));
            ZkGkrStepKernel.Ext4.Store(difference, i, ZkGkrStepKernel.Ext4.Sub(x, y));
            ZkGkrStepKernel.Ext4.Store(two, i, ZkGkrStepKernel.Ext4.AtTwo(x, y));
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(a[i] * b[i], product[i]);
            Assert.Equal(a[i] + b[i], sum[i]);
            Assert.Equal(a[i] - b[i], difference[i]);
            Assert.Equal(b[i] + (b[i] - a[i]), two[i]);
            Assert.True(product[i].C0.Value < Goldilocks.P && product[i].C1.Value < Goldilocks.P);
        }
        Assert.Equal(a[0] + a[1] + a[2] + a[3], ZkGkrStepKernel.Ext4.Sum(ZkGkrStepKernel.Ext4.Load(a, 0)));
    }

    [Fact]
    public void BroadcastAndScalarProductsMatch()
    {
        if (!Avx512F.IsSupported) return;
        var rng = new Random(6);
        GoldilocksExt2 c = GoldilocksExt2.Random(rng);
        var x = Enumerable.Range(0, 4).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var (seven, swapped) = ZkGkrStepKernel.Ext4.Prepare(ZkGkrStepKernel.Ext4.Broadcast(c));
        var result = new GoldilocksExt2[4];
        ZkGkrStepKernel.Ext4.Store(result, 0, ZkGkrStepKernel.Ext4.Mul(ZkGkrStepKernel.Ext4.Load(x, 0), seven, swapped));
        for (int i = 0; i < 4; i++) Assert.Equal(c * x[i], result[i]);
    }

    /// <summary>The lookup's leaves (constant tails, as the step builds them) at sizes through the parallel passes and odd chunk ends.</summary>
    [Theory]
    [InlineData(5, 19, 3, 41)]
    [InlineData(9, 301, 4, 42)]
    [InlineData(13, 5000, 10, 43)]
    [InlineData(15, 20001, 12, 44)]
    public void VectorLoopsGiveTheScalarProof(int m, int used, int tv, int seed)
    {
        var rng = new Random(seed);
        GoldilocksExt2 alpha = GoldilocksExt2.Random(rng);
        var leaves = Enumerable.Range(0, 4).Select(_ => new GoldilocksExt2[1 << m]).ToArray();
        leaves[0].AsSpan().Fill(GoldilocksExt2.One);
        leaves[2].AsSpan().Fill(alpha);
        for (int x = 0; x < used; x++) leaves[2][x] = alpha - Goldilocks.FromUInt64((ulong)rng.Next(1 << tv));
        leaves[3].AsSpan().Fill(GoldilocksExt2.One);
        for (int x = 0; x < 1 << tv; x++) (leaves[1][x], leaves[3][x]) = (-(GoldilocksExt2)Goldilocks.FromUInt64((ulong)rng.Next(5)), alpha - Goldilocks.FromUInt64((ulong)x));
        ZkSumcheckFactor[] factors = [new(leaves[0]), ZkSumcheckFactor.Masked(leaves[1], [GoldilocksExt2.Random(rng)]), ZkSumcheckFactor.Masked(leaves[2], [GoldilocksExt2.Random(rng)]), new(leaves[3])];
        int stride = ZkStoredMaskGkr.Alignment(m + 1, 2);
        var region = Enumerable.Range(0, stride + ZkStoredMaskGkr.MaskEntries(m + 1, 2)).Select(_ => Goldilocks.Random(rng)).ToArray();
        bool enabled = ZkGkrStepKernel.Ext4.Enabled;
        try
        {
            var results = new[] { false, true }.Select(vectors =>
            {
                ZkGkrStepKernel.Ext4.Enabled = vectors && Avx512F.IsSupported;
                var transcript = new Transcript("ZkMl.Sumcheck.Tests.Ext4", [1]);
                var result = ZkStoredMaskGkr.ProveCore(transcript, factors, region, stride, 0, generic: false);
                return (Bytes: result.Steps.SelectMany(s => s.ToBytes()).ToArray(), result.Values, After: transcript.ChallengeExt("after"));
            }).ToArray();
            Assert.Equal(results[0].Bytes, results[1].Bytes);
            Assert.Equal(results[0].Values, results[1].Values);
            Assert.Equal(results[0].After, results[1].After);
        }
        finally
        {
            ZkGkrStepKernel.Ext4.Enabled = enabled;
        }
    }
}
