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
        int masked = leaves.Count(l => l.IsMasked);
        int stride = ZkStoredMaskGkr.Alignment(m + 1, masked);
        int length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(stride + ZkStoredMaskGkr.MaskEntries(m + 1, masked)));
        var region = Enumerable.Range(0, length).Select(_ => Goldilocks.Random(rng)).ToArray();

        var (fast, fastTranscript) = Prove(leaves, region, stride, generic: false);
        var (slow, slowTranscript) = Prove(leaves, region, stride, generic: true);

        Assert.Equal(slow.Steps.Length, fast.Steps.Length);
        for (int k = 0; k < slow.Steps.Length; k++) Assert.Equal(slow.Steps[k].ToBytes(), fast.Steps[k].ToBytes());
        Assert.Equal(slow.Values, fast.Values);
        Assert.Equal(slow.Reduction.Point.ToArray(), fast.Reduction.Point.ToArray());
        Assert.Equal(slow.Reduction.LeafValues.ToArray(), fast.Reduction.LeafValues.ToArray());
        Assert.Equal(slow.Claims.Length, fast.Claims.Length);
        for (int c = 0; c < slow.Claims.Length; c++) Assert.Equal(slow.Claims[c].Apply(region), fast.Claims[c].Apply(region));
        Assert.Equal(slowTranscript.ChallengeExt("after"), fastTranscript.ChallengeExt("after"));
    }

    [Fact]
    public void KernelRefusesDifferentEqPointsPastTheFirstStep()
    {
        var children = Enumerable.Range(0, 4).Select(_ => (ReadOnlyMemory<GoldilocksExt2>)new GoldilocksExt2[4]).ToArray();
        var terms = ZkFractionalSumGkr.Terms(GoldilocksExt2.One, GoldilocksExt2.One, 2);
        Assert.Throws<ArgumentException>(() => new ZkGkrStepKernel([GoldilocksExt2.One, GoldilocksExt2.Zero], [GoldilocksExt2.Zero, GoldilocksExt2.One], children, new GoldilocksExt2[]?[4],
            GoldilocksExt2.One, GoldilocksExt2.One, terms));
    }

    private static (ZkStoredMaskGkrResult Result, Transcript Transcript) Prove(ZkSumcheckFactor[] leaves, Goldilocks[] region, int offset, bool generic)
    {
        var transcript = NewTranscript();
        return (ZkStoredMaskGkr.ProveCore(transcript, leaves, region, offset, 0, generic), transcript);
    }
}
