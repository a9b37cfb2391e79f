using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The term kernel (<see cref="ZkSumcheckTermKernel"/>: a hub factor's two-factor terms combined, live lengths, the mask
/// round on two entries) gives exactly the generic prover's proof: same messages, finals, mask value and transcript.
/// </summary>
public class ZkSumcheckTermKernelTests
{
    /// <summary>Proves with both kernels and compares the proof bytes, the point and the transcripts' next challenge.</summary>
    private static void Same(ZkSumcheckShape shape, ZkSumcheckFactor[] factors, ZkSumcheckTerm[] terms, int seed)
    {
        var g = Naive.RandomPoint(new Random(seed + 1000), shape.MaskCoefficients);
        Assert.NotNull(ZkSumcheckTermKernel.TryCreate(shape, factors, terms));
        var fast = new Transcript("term kernel", Naive.Digest("same"));
        var expected = new Transcript("term kernel", Naive.Digest("same"));
        var a = ZkSumcheck.Prove(fast, shape, g, factors, terms);
        ZkSumcheckProverResult b;
        ZkSumcheck.UseGenericKernel = true;
        try
        {
            b = ZkSumcheck.Prove(expected, shape, g, factors, terms);
        }
        finally
        {
            ZkSumcheck.UseGenericKernel = false;
        }
        Assert.Equal(b.Proof.ToBytes(), a.Proof.ToBytes());
        Assert.Equal(b.Claim, a.Claim);
        Assert.Equal(b.Reduction.Point.ToArray(), a.Reduction.Point.ToArray());
        Assert.Equal(fast.ChallengeExt("after"), expected.ChallengeExt("after"));
        // And the proof verifies, with finals that are the factors' polynomials at the point.
        var verifier = new Transcript("term kernel", Naive.Digest("same"));
        Assert.True(ZkSumcheck.Verify(verifier, shape, terms, a.Claim, a.Proof, out var reduction));
        for (int j = 0; j < factors.Length; j++)
            Assert.Equal(factors[j].Evaluate(reduction.Point, shape.MaskVariable), reduction.Evaluations[j]);
    }

    private static GoldilocksExt2[] Lifted(Random rng, int variables, int live, int n)
    {
        var table = new GoldilocksExt2[1 << n];
        for (int x = 0; x < 1 << live; x++) table[x] = Goldilocks.Random(rng);
        return table;
    }

    private static GoldilocksExt2 Coefficient(Random rng, int kind) => kind switch
    {
        0 => GoldilocksExt2.One,
        1 => -GoldilocksExt2.One,
        2 => Goldilocks.FromUInt64(1UL << 20),
        _ => GoldilocksExt2.Random(rng),
    };

    /// <summary>
    /// A zero-check block's form: factors A', W' (masked, live on 2^kv), eq (extension, plain, live on 2^m), outputs
    /// (base, masked or plain, live on 2^m, one repeated), terms c A' W' + sum gamma eq f + degree-3 eq f f.
    /// </summary>
    [Theory]
    [InlineData(1, 0, 1, false, 1)]
    [InlineData(2, 1, 2, false, 2)]
    [InlineData(2, 2, 1, true, 3)]
    [InlineData(5, 3, 5, true, 4)]
    [InlineData(7, 7, 4, false, 5)]
    [InlineData(9, 4, 9, true, 6)]
    [InlineData(10, 3, 10, false, 7)]
    [InlineData(15, 6, 15, false, 8)]
    [InlineData(15, 15, 12, true, 9)]
    public void A_block_proof_equals_the_generic_provers(int n, int kv, int m, bool cubic, int seed)
    {
        var rng = new Random(seed);
        var factors = new List<ZkSumcheckFactor>();
        var terms = new List<ZkSumcheckTerm>();
        bool product = kv > 0;
        if (product)
        {
            factors.Add(ZkSumcheckFactor.Masked(Lifted(rng, kv, kv, n), [GoldilocksExt2.Random(rng)]));
            factors.Add(ZkSumcheckFactor.Masked(Lifted(rng, kv, kv, n), [GoldilocksExt2.Random(rng)]));
            terms.Add(new ZkSumcheckTerm(Goldilocks.FromUInt64(3), [0, 1]));
        }
        int eq = factors.Count;
        var eqTable = new GoldilocksExt2[1 << n];
        Multilinear.EqTable(Naive.RandomPoint(rng, m)).CopyTo(eqTable, 0);
        factors.Add(new ZkSumcheckFactor(eqTable));
        int outputs = 6;
        for (int i = 0; i < outputs; i++)
        {
            var table = Lifted(rng, m, m, n);
            if (i == 4)
                // A bias-like table repeated over the output's leading variables.
                for (int x = 0; x < 1 << m; x++) table[x] = table[x & ((1 << Math.Max(0, m - 2)) - 1)];
            if (i == 5) Array.Clear(table, 1 << Math.Max(0, m - 1), table.Length - (1 << Math.Max(0, m - 1)));
            var baseTable = table.Select(e => e.C0).ToArray();
            factors.Add(i % 3 == 2 ? new ZkSumcheckFactor(baseTable) : ZkSumcheckFactor.Masked(baseTable, [GoldilocksExt2.Random(rng)]));
        }
        for (int i = 0; i < outputs; i++) terms.Add(new ZkSumcheckTerm(Coefficient(rng, i % 4), [eq, eq + 1 + i]));
        terms.Add(new ZkSumcheckTerm(Coefficient(rng, 3), [eq + 1 + 1, eq]));
        if (cubic)
        {
            terms.Add(new ZkSumcheckTerm(Coefficient(rng, 3), [eq, eq + 1 + 1, eq + 1 + 1]));
            terms.Add(new ZkSumcheckTerm(Coefficient(rng, 1), [eq, eq + 1 + 1, eq + 1 + 0]));
        }
        int degree = cubic ? 3 : 2;
        int masked = factors.Count(f => f.IsMasked);
        var shape = new ZkSumcheckShape(n, factors.Count, masked, n - 1, degree, product ? 2 : cubic ? 2 : 1);
        Same(shape, [.. factors], [.. terms], seed);
    }

    /// <summary>Random factors and terms without structure (no hub, or the hub in a few terms), odd live lengths.</summary>
    [Theory]
    [InlineData(1, 3, 11)]
    [InlineData(2, 4, 12)]
    [InlineData(3, 3, 13)]
    [InlineData(6, 5, 14)]
    [InlineData(11, 4, 15)]
    public void Random_terms_give_the_generic_provers_proof(int n, int k, int seed)
    {
        var rng = new Random(seed);
        var factors = new ZkSumcheckFactor[k];
        for (int j = 0; j < k; j++)
        {
            var table = Lifted(rng, n, rng.Next(0, n + 1), n);
            // An odd-length nonzero prefix: the live length rounds it up.
            if (n > 1) table[(1 << n) - 1 - rng.Next(0, 1 << (n - 1))] = GoldilocksExt2.Random(rng);
            // Some tables in the extension field (the base path is for the others).
            if (j % 2 == 0) table = [.. table.Select(e => e == GoldilocksExt2.Zero ? e : GoldilocksExt2.Random(rng))];
            factors[j] = j == 0 ? new ZkSumcheckFactor(table) : j % 2 == 1 ? ZkSumcheckFactor.Masked(table, [GoldilocksExt2.Random(rng)]) : new ZkSumcheckFactor(table);
        }
        var terms = new List<ZkSumcheckTerm>();
        for (int t = 0; t < 7; t++)
        {
            int length = 1 + rng.Next(0, 3);
            int[] indices = [.. Enumerable.Range(0, length).Select(_ => rng.Next(0, k))];
            // At most min(masked, 2) masked factors a term (the round degree's bound): replace the others by factor 0.
            int cap = Math.Min(factors.Count(f => f.IsMasked), 2), seen = 0;
            indices = [.. indices.Select(j => factors[j].IsMasked && ++seen > cap ? 0 : j)];
            terms.Add(new ZkSumcheckTerm(Coefficient(rng, t % 4), indices));
        }
        terms.Add(new ZkSumcheckTerm(Coefficient(rng, 3), [0, 1]));
        terms.Add(new ZkSumcheckTerm(Coefficient(rng, 3), [k - 1, 0]));
        int masked = factors.Count(f => f.IsMasked);
        var shape = new ZkSumcheckShape(n, k, masked, n - 1, 3, Math.Max(1, Math.Min(masked, 2)));
        Same(shape, factors, [.. terms], seed);
    }

    [Fact]
    public void A_wide_mask_or_an_early_mask_variable_keeps_the_generic_kernel()
    {
        var rng = new Random(21);
        var table = Naive.RandomTable(rng, 4);
        ZkSumcheckFactor[] wide = [ZkSumcheckFactor.Masked(table, Naive.RandomPoint(rng, 4)), new(table)];
        ZkSumcheckTerm[] product = [new(GoldilocksExt2.One, [0, 1])];
        Assert.Null(ZkSumcheckTermKernel.TryCreate(new ZkSumcheckShape(4, 2, 1, 3), wide, product));
        ZkSumcheckFactor[] scalar = [ZkSumcheckFactor.Masked(table, [GoldilocksExt2.One]), new(table)];
        Assert.Null(ZkSumcheckTermKernel.TryCreate(new ZkSumcheckShape(4, 2, 1, 1), scalar, product));
    }
}
