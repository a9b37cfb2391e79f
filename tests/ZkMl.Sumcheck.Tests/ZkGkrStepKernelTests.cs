using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// One layer step of <c>ZkGkrStepKernel</c> against the generic <see cref="ZkSumcheck"/> over the seven factor tables
/// (eq_p, eq_q, p0, p1, q0, q1, E): the same proof bytes and reduction for eq points with zero and one coordinates (a
/// zero z_k takes the direct h(1) path instead of the claim's), 1-3 variable steps, constant tails starting at odd and
/// even indices (values 0, 1 and random, a whole constant table), with and without the tail skip, and work tables
/// holding stale values (round 1 must overwrite every entry), with the step's claim computed or given (round 0 then
/// derives h(1) from it, except where z_0 = 0).
/// </summary>
public class ZkGkrStepKernelTests
{
    [Theory]
    [InlineData(1, -1, -1, 1)]
    [InlineData(1, 0, -1, 2)]
    [InlineData(2, -1, -1, 3)]
    [InlineData(2, 0, 1, 4)]
    [InlineData(2, 1, 0, 5)]
    [InlineData(3, 1, -1, 6)]
    [InlineData(3, 0, 2, 7)]
    [InlineData(5, 2, 4, 8)]
    [InlineData(7, -1, -1, 9)]
    [InlineData(9, 3, 0, 10)]
    [InlineData(12, 5, 11, 11)]
    [InlineData(14, -1, -1, 12)]
    [InlineData(15, 13, 1, 13)]
    public void StepProofEqualsGenericProof(int v, int zeroAt, int oneAt, int seed)
    {
        var rng = new Random(seed);
        var zp = Enumerable.Range(0, v).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        if (zeroAt >= 0) zp[zeroAt] = GoldilocksExt2.Zero;
        if (oneAt >= 0) zp[oneAt] = GoldilocksExt2.One;
        GoldilocksExt2[] zq = v == 1 ? [GoldilocksExt2.One - zp[0]] : zp;
        int size = 1 << v;
        var children = new GoldilocksExt2[4][];
        for (int j = 0; j < 4; j++)
        {
            children[j] = Enumerable.Range(0, size).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
            // A constant tail from a random (odd or even) index, some tables wholly constant, values 0, 1 or random.
            int tail = (seed + j) % 5 == 0 ? 0 : rng.Next(size + 1);
            GoldilocksExt2 value = ((seed + j) % 3) switch { 0 => GoldilocksExt2.Zero, 1 => GoldilocksExt2.One, _ => GoldilocksExt2.Random(rng) };
            children[j].AsSpan(tail).Fill(value);
        }
        var masks = Enumerable.Range(0, 4).Select(_ => new[] { GoldilocksExt2.Random(rng) }).ToArray();
        GoldilocksExt2 carried = GoldilocksExt2.Random(rng), sigma = GoldilocksExt2.Random(rng), lambda = GoldilocksExt2.Random(rng), weight = GoldilocksExt2.Random(rng);
        var shape = ZkStoredMaskGkr.Shapes(v + 2, 2)[v];
        var libra = Enumerable.Range(0, shape.MaskCoefficients).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var terms = ZkFractionalSumGkr.Terms(lambda, weight, v);

        var constant = new GoldilocksExt2[size];
        Array.Fill(constant, carried);
        ZkSumcheckFactor[] factors = [new(Multilinear.EqTable(zp)), new(Multilinear.EqTable(zq)), .. Enumerable.Range(0, 4).Select(j => ZkSumcheckFactor.Masked(children[j], masks[j])),
            ZkSumcheckFactor.Masked(constant, [sigma])];
        var generic = ZkSumcheck.Prove(NewTranscript(), shape, libra, factors, terms);
        foreach (bool skip in new[] { true, false })
            foreach (bool stale in new[] { false, true })
            foreach (bool known in new[] { false, true })
            {
                GoldilocksExt2[][]? work = null;
                if (stale && v > 1)
                    work = [.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, size).Select(_ => GoldilocksExt2.Random(rng)).ToArray())];
                var kernel = new ZkGkrStepKernel(zp, zq, [.. children.Select(c => (ReadOnlyMemory<GoldilocksExt2>)c)], masks, carried, sigma, terms, skip, work, known ? generic.Claim : null);
                var fast = ZkSumcheck.Prove(NewTranscript(), shape, libra, kernel, terms);
                Assert.Equal(generic.Proof.ToBytes(), fast.Proof.ToBytes());
                Assert.Equal(generic.Claim, fast.Claim);
                Assert.Equal(generic.Reduction.Point.ToArray(), fast.Reduction.Point.ToArray());
                Assert.Equal(generic.Reduction.Evaluations.ToArray(), fast.Reduction.Evaluations.ToArray());
            }
    }

    /// <summary>A given claim is used, not recomputed: a wrong one changes the round messages (the verifier then rejects).</summary>
    [Fact]
    public void WrongGivenClaimChangesTheProof()
    {
        var rng = new Random(40);
        const int v = 6;
        var z = Enumerable.Range(0, v).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        var children = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 1 << v).Select(_ => GoldilocksExt2.Random(rng)).ToArray()).ToArray();
        var masks = Enumerable.Range(0, 4).Select(_ => new[] { GoldilocksExt2.Random(rng) }).ToArray();
        var terms = ZkFractionalSumGkr.Terms(GoldilocksExt2.Random(rng), GoldilocksExt2.Random(rng), v);
        var shape = ZkStoredMaskGkr.Shapes(v + 2, 2)[v];
        var libra = Enumerable.Range(0, shape.MaskCoefficients).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        GoldilocksExt2 carried = GoldilocksExt2.Random(rng), sigma = GoldilocksExt2.Random(rng);
        ZkSumcheckProverResult Run(GoldilocksExt2? claim) => ZkSumcheck.Prove(NewTranscript(), shape, libra,
            new ZkGkrStepKernel(z, z, [.. children.Select(c => (ReadOnlyMemory<GoldilocksExt2>)c)], masks, carried, sigma, terms, true, null, claim), terms);
        var honest = Run(null);
        Assert.Equal(honest.Proof.ToBytes(), Run(honest.Claim).Proof.ToBytes());
        Assert.NotEqual(honest.Proof.ToBytes(), Run(honest.Claim + GoldilocksExt2.One).Proof.ToBytes());
    }

    [Fact]
    public void KernelRefusesShortWorkTables()
    {
        var children = Enumerable.Range(0, 4).Select(_ => (ReadOnlyMemory<GoldilocksExt2>)new GoldilocksExt2[8]).ToArray();
        var terms = ZkFractionalSumGkr.Terms(GoldilocksExt2.One, GoldilocksExt2.One, 3);
        GoldilocksExt2[] z = [GoldilocksExt2.One, GoldilocksExt2.One, GoldilocksExt2.One];
        Assert.Throws<ArgumentException>(() => new ZkGkrStepKernel(z, z, children, new GoldilocksExt2[]?[4], GoldilocksExt2.One, GoldilocksExt2.One, terms, true,
            [.. Enumerable.Range(0, 4).Select(_ => new GoldilocksExt2[2])]));
    }

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkGkrStepKernel", Naive.Digest("step"));
}
