using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkStoredMaskGkr"/>'s dedicated layer-step prover (<c>ZkGkrStepKernel</c>) against the generic
/// <see cref="ZkSumcheck"/> over the seven factor tables: the same proof bytes, claims, values and transcript on random
/// leaves (sums not zero: the prover does not check; the stored-mask GKR tests verify honest proofs), random mask regions and leaf masks of every kind (none, a scalar,
/// tables over the last 1..m variables), at sizes through the parallel passes.
/// </summary>
public class ZeroKnowledgeStoredMaskGkrKernelTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkStoredGkrKernel", Naive.Digest("kernel"));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    [InlineData(4, 5)]
    [InlineData(6, 6)]
    [InlineData(9, 7)]
    [InlineData(13, 8)]
    [InlineData(15, 9)]
    public void KernelProofEqualsGenericProof(int m, int seed)
    {
        var rng = new Random(seed);
        var leaves = new ZkSumcheckFactor[4];
        for (int i = 0; i < 4; i++)
        {
            var table = Enumerable.Range(0, 1 << m).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
            int kind = (i + seed) % 4; // plain, a scalar mask, a mask over the last variable, one over the last m variables
            int maskVariables = kind switch { 1 => 0, 2 => 1, _ => m };
            leaves[i] = kind == 0 ? new ZkSumcheckFactor(table) : ZkSumcheckFactor.Masked(table, [.. Enumerable.Range(0, 1 << maskVariables).Select(_ => GoldilocksExt2.Random(rng))]);
        }
        AssertSameProofs(rng, m, leaves);
    }

    /// <summary>
    /// Lookup-shaped leaves (as the zero-knowledge step builds them: p(0, .) = 1 on a region of 2^kv entries whose witness
    /// is zero past <c>used</c>, p(1, .) = -mult and q(1, .) = alpha - x on a table of 2^tv entries, padded with p = 0,
    /// q = 1; kv = -1: the witness side padded right after <c>used</c>) at used counts just below and above powers of two:
    /// the kernel skipping the constant tails, the kernel without the skip and the generic prover give the same proof.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 0, 0, 11)]
    [InlineData(2, 3, 2, 1, 12)]
    [InlineData(3, 5, -1, 1, 13)]
    [InlineData(4, 9, 4, 2, 14)]
    [InlineData(6, 33, -1, 3, 15)]
    [InlineData(8, 129, 8, 4, 16)]
    [InlineData(8, 127, -1, 4, 17)]
    [InlineData(10, 513, 10, 4, 18)]
    [InlineData(12, 2049, 12, 6, 19)]
    [InlineData(12, 2047, 12, 6, 20)]
    [InlineData(12, 4095, -1, 10, 21)]
    [InlineData(12, 4096, 12, 12, 22)]
    [InlineData(12, 2300, -1, 4, 23)]
    [InlineData(13, 4100, 13, 8, 24)]
    public void SkippedTailsGiveTheSameProof(int m, int used, int kv, int tv, int seed)
    {
        var rng = new Random(seed);
        var leaves = LookupLeaves(rng, m, used, kv, tv);
        AssertSameProofs(rng, m, leaves);
    }

    /// <summary>A tail that is not the padding (one entry changed, or the last entry changed) is not skipped wrongly: the same proof.</summary>
    [Theory]
    [InlineData(6, 33, 6, 3, 0, false, 31)]
    [InlineData(8, 129, 8, 4, 1, true, 32)]
    [InlineData(10, 513, -1, 4, 2, false, 33)]
    [InlineData(10, 300, 10, 4, 3, true, 34)]
    [InlineData(12, 2049, 12, 6, 0, true, 35)]
    [InlineData(12, 2049, 12, 6, 2, false, 36)]
    public void TamperedTailsGiveTheSameProof(int m, int used, int kv, int tv, int child, bool last, int seed)
    {
        var rng = new Random(seed);
        var leaves = LookupLeaves(rng, m, used, kv, tv);
        var table = leaves[child].Table;
        table[last ? table.Length - 1 : rng.Next(Math.Max(used, 1 << tv), table.Length)] = GoldilocksExt2.Random(rng);
        AssertSameProofs(rng, m, leaves);
    }

    [Fact]
    public void KernelRefusesDifferentEqPointsPastTheFirstStep()
    {
        var children = Enumerable.Range(0, 4).Select(_ => (ReadOnlyMemory<GoldilocksExt2>)new GoldilocksExt2[4]).ToArray();
        var terms = ZkFractionalSumGkr.Terms(GoldilocksExt2.One, GoldilocksExt2.One, 2);
        Assert.Throws<ArgumentException>(() => new ZkGkrStepKernel([GoldilocksExt2.One, GoldilocksExt2.Zero], [GoldilocksExt2.Zero, GoldilocksExt2.One], children, new GoldilocksExt2[]?[4],
            GoldilocksExt2.One, GoldilocksExt2.One, terms));
    }

    private static (ZkStoredMaskGkrResult Result, Transcript Transcript) Prove(ZkSumcheckFactor[] leaves, Goldilocks[] region, int offset, bool generic, bool skip = true)
    {
        var transcript = NewTranscript();
        return (ZkStoredMaskGkr.ProveCore(transcript, leaves, region, offset, 0, generic, skip), transcript);
    }

    /// <summary>The step's leaves (p(1, .) and q(0, .) with scalar masks), see <see cref="SkippedTailsGiveTheSameProof"/>.</summary>
    private static ZkSumcheckFactor[] LookupLeaves(Random rng, int m, int used, int kv, int tv)
    {
        GoldilocksExt2 alpha = GoldilocksExt2.Random(rng);
        var leaves = Enumerable.Range(0, 4).Select(_ => new GoldilocksExt2[1 << m]).ToArray();
        int region = kv < 0 ? used : 1 << kv;
        leaves[0].AsSpan(0, region).Fill(GoldilocksExt2.One);
        leaves[2].AsSpan().Fill(GoldilocksExt2.One);
        leaves[2].AsSpan(0, region).Fill(alpha);
        for (int x = 0; x < used; x++) leaves[2][x] = alpha - Goldilocks.FromUInt64((ulong)rng.Next(1 << tv));
        leaves[3].AsSpan().Fill(GoldilocksExt2.One);
        for (int x = 0; x < 1 << tv; x++) (leaves[1][x], leaves[3][x]) = (-(GoldilocksExt2)Goldilocks.FromUInt64((ulong)rng.Next(5)), alpha - Goldilocks.FromUInt64((ulong)x));
        return [new(leaves[0]), ZkSumcheckFactor.Masked(leaves[1], [GoldilocksExt2.Random(rng)]), ZkSumcheckFactor.Masked(leaves[2], [GoldilocksExt2.Random(rng)]), new(leaves[3])];
    }

    private static void AssertSameProofs(Random rng, int m, ZkSumcheckFactor[] leaves)
    {
        int masked = leaves.Count(l => l.IsMasked);
        int stride = ZkStoredMaskGkr.Alignment(m + 1, masked);
        int length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(stride + ZkStoredMaskGkr.MaskEntries(m + 1, masked)));
        var region = Enumerable.Range(0, length).Select(_ => Goldilocks.Random(rng)).ToArray();
        var (slow, slowTranscript) = Prove(leaves, region, stride, generic: true);
        GoldilocksExt2 after = slowTranscript.ChallengeExt("after");
        foreach (bool skip in new[] { true, false })
        {
            var (fast, fastTranscript) = Prove(leaves, region, stride, generic: false, skip);
            Assert.Equal(slow.Steps.Length, fast.Steps.Length);
            for (int k = 0; k < slow.Steps.Length; k++) Assert.Equal(slow.Steps[k].ToBytes(), fast.Steps[k].ToBytes());
            Assert.Equal(slow.Values, fast.Values);
            Assert.Equal(slow.Reduction.Point.ToArray(), fast.Reduction.Point.ToArray());
            Assert.Equal(slow.Reduction.LeafValues.ToArray(), fast.Reduction.LeafValues.ToArray());
            Assert.Equal(slow.Claims.Length, fast.Claims.Length);
            for (int c = 0; c < slow.Claims.Length; c++) Assert.Equal(slow.Claims[c].Apply(region), fast.Claims[c].Apply(region));
            Assert.Equal(after, fastTranscript.ChallengeExt("after"));
        }
    }
}
