using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The linear reduction's prover kernel (session 14: Lambda built in pair blocks with the inner product and each table's
/// first round summed in the same pass, unreduced products, chunked fold-then-sum blocks) against the frozen copy of the
/// code before it (<see cref="ReferenceZkLinearReduction"/>): the same Lambda tables, sums, round messages, point, finals
/// and mask values, on random instances (zero tails, tables of several sizes, eq terms wider than a block, dense and
/// scalar terms, the mask variable last or first of the smallest table) and on one shaped like the step's.
/// </summary>
public class ZkLinearReductionKernelTests
{
    private static GoldilocksExt2[] Point(Random rng, int n) => Naive.RandomPoint(rng, n);

    private static Goldilocks[] Table(Random rng, int variables, double live)
    {
        var table = Naive.RandomTable(rng, variables);
        Array.Clear(table, (int)(table.Length * live), table.Length - (int)(table.Length * live));
        return table;
    }

    /// <summary>Random claims on every table: eq terms on aligned regions of several sizes, dense terms, scalars.</summary>
    private static List<ZkLinearClaim> Claims(Random rng, int[] variables, int count)
    {
        var claims = new List<ZkLinearClaim>();
        for (int j = 0; j < count; j++)
        {
            var terms = new List<ZkLinearTerm>();
            for (int t = 1 + rng.Next(3); t > 0; t--)
            {
                int c = rng.Next(variables.Length), n = variables[c], kind = rng.Next(3);
                if (kind == 0)
                {
                    int size = rng.Next(n + 1);
                    terms.Add(ZkLinearTerm.Eq((long)rng.Next(1 << (n - size)) << size, GoldilocksExt2.Random(rng), Point(rng, size), c));
                }
                else if (kind == 1)
                {
                    int size = rng.Next(Math.Min(n, 8) + 1);
                    terms.Add(ZkLinearTerm.Dense((long)rng.Next(1 << (n - size)) << size, Point(rng, 1 + rng.Next(1 << size)), c));
                }
                else if (n >= 1) terms.Add(ZkLinearTerm.Scalar(2L * rng.Next(1 << (n - 1)), GoldilocksExt2.Random(rng), c));
            }
            claims.Add(new ZkLinearClaim([.. terms]));
        }
        return claims;
    }

    private static void AssertSame(int[] variables, int maskVariable, Goldilocks[][] tables, List<ZkLinearClaim> claims, int seed)
    {
        var rng = new Random(seed);
        var shape = ZkLinearReduction.Shape(variables, maskVariable);
        var g = Point(rng, shape.MaskCoefficients);
        var beta = Point(rng, claims.Count);
        var masks = variables.Select(n => Point(rng, 1 << Math.Min(n, 1 + rng.Next(4)))).ToArray();
        int k = variables.Length;

        var referenceSums = new GoldilocksExt2[k];
        var referenceLambdas = ReferenceZkLinearReduction.Lambdas(claims, beta, variables, tables, referenceSums);
        var sums = new GoldilocksExt2[k];
        var first = new GoldilocksExt2[2 * k];
        var lambdas = ZkLinearReduction.Lambdas(claims, beta, variables, tables, sums, first);
        Assert.Equal(referenceSums, sums);
        for (int c = 0; c < k; c++) Assert.Equal(referenceLambdas[c], lambdas[c]);
        var plain = lambdas.Select(l => (GoldilocksExt2[])l.Clone()).ToArray();

        var referenceTranscript = new Transcript("ZkMl.Sumcheck.Tests.ZkLinearKernel", [1]);
        var expected = ReferenceZkLinearReduction.Prove(referenceTranscript, shape, variables, g, tables, referenceLambdas, [.. masks.Select(m => (GoldilocksExt2[])m.Clone())], referenceSums);
        var check = referenceTranscript.ChallengeExt("check");
        // With the Lambda pass's first rounds, and without them (the plain rounds, as the adversarial tests call it).
        foreach (var firstRounds in new[] { first, null })
        {
            var transcript = new Transcript("ZkMl.Sumcheck.Tests.ZkLinearKernel", [1]);
            var actual = ZkLinearReductionSumcheck.Prove(transcript, shape, variables, g, tables, firstRounds is null ? plain : lambdas,
                [.. masks.Select(m => (GoldilocksExt2[])m.Clone())], sums, firstRounds);
            Assert.Equal(expected.Messages, actual.Messages);
            Assert.Equal(expected.Point, actual.Point);
            Assert.Equal(expected.Finals, actual.Finals);
            Assert.Equal(expected.MaskSum, actual.MaskSum);
            Assert.Equal(expected.MaskValue, actual.MaskValue);
            Assert.Equal(check, transcript.ChallengeExt("check"));
        }
    }

    [Theory]
    [InlineData(1, new[] { 10 }, 1.0, false)]
    [InlineData(2, new[] { 15, 15 }, 0.6, false)]
    [InlineData(3, new[] { 16, 12, 5 }, 0.51, false)]
    [InlineData(4, new[] { 16, 12, 5 }, 0.3, true)]
    [InlineData(5, new[] { 9, 9, 1 }, 1.0, false)]
    [InlineData(6, new[] { 17, 3 }, 0.7, true)]
    [InlineData(7, new[] { 2, 1 }, 0.5, false)]
    public void Kernel_matches_the_reference_on_random_instances(int seed, int[] variables, double live, bool maskFirstOfSmallest)
    {
        var rng = new Random(seed);
        var tables = variables.Select(n => Table(rng, n, live)).ToArray();
        var claims = Claims(rng, variables, 12);
        int n = variables.Max();
        AssertSame(variables, maskFirstOfSmallest ? n - variables.Min() : n - 1, tables, claims, seed);
    }

    /// <summary>The 784-128-10/64 step's reduction scaled down by 2^4: a stack and two weight tables with zero tails, eq terms with scalars, dense terms.</summary>
    [Fact]
    public void Kernel_matches_the_reference_on_a_step_shaped_instance()
    {
        var rng = new Random(16);
        int[] variables = [18, 14, 14];
        double[] live = [2642432 / 4194304.0, 132352 / 262144.0, 132352 / 262144.0];
        var tables = variables.Select((n, c) => Table(rng, n, live[c])).ToArray();
        var claims = new List<ZkLinearClaim>();
        void Eq(int table, int size, long region, int scalars)
        {
            var terms = new List<ZkLinearTerm> { ZkLinearTerm.Eq(region << size, GoldilocksExt2.Random(rng), Point(rng, size), table) };
            for (int s = 0; s < scalars; s++) terms.Add(ZkLinearTerm.Scalar(160_000 + 2 * claims.Count + 500 * s, GoldilocksExt2.Random(rng)));
            claims.Add(new ZkLinearClaim([.. terms]));
        }
        Eq(0, 16, 1, 1);
        for (int i = 0; i < 4; i++) Eq(0, 14, 3 + i, 2);
        for (int i = 0; i < 12; i++) Eq(0, 13, i, 2);
        for (int i = 0; i < 10; i++) Eq(0, 12, i, 2);
        for (int i = 0; i < 20; i++) Eq(0, 9, i, 2);
        for (int i = 0; i < 10; i++) claims.Add(new ZkLinearClaim(ZkLinearTerm.Dense((300L + i) << 7, Point(rng, 1 << 7))));
        Eq(1, 13, 0, 0);
        Eq(1, 7, 70, 0);
        Eq(2, 13, 0, 0);
        claims.Add(new ZkLinearClaim(ZkLinearTerm.Dense(70L << 7, Point(rng, 100), 2)));
        AssertSame(variables, 17, tables, claims, 17);
    }

    /// <summary>The unreduced accumulator at the edges: products of p - 1, and 2^16 of them (carries out of 128 bits).</summary>
    [Fact]
    public void Accumulator_sums_like_the_field()
    {
        var rng = new Random(3);
        ulong[] edges = [0, 1, Goldilocks.P - 1, Goldilocks.P - 2, 1UL << 32, (1UL << 63) + 5];
        ZkLinearAccumulator accumulator = default;
        Goldilocks expected = Goldilocks.Zero;
        for (int i = 0; i < 1 << 16; i++)
        {
            ulong a = i < 4096 ? edges[i % edges.Length] : Goldilocks.Random(rng).Value, b = i < 4096 ? edges[i / edges.Length % edges.Length] : Goldilocks.P - 1;
            accumulator.Add(a, b);
            expected += Goldilocks.FromCanonical(a) * Goldilocks.FromCanonical(b);
        }
        Assert.Equal(expected, accumulator.Value);
    }

    /// <summary>The unreduced extension sum (the sponge kernel's, the term kernel's and the linear reduction's) against the field's products, edge values included.</summary>
    [Fact]
    public void Extension_accumulator_sums_like_the_field()
    {
        var rng = new Random(4);
        ulong[] edges = [0, 1, Goldilocks.P - 1, Goldilocks.P - 2, 1UL << 32, (1UL << 63) + 5];
        ZkLinearExtAccumulator accumulator = default, baseAccumulator = default;
        GoldilocksExt2 expected = GoldilocksExt2.Zero, expectedBase = GoldilocksExt2.Zero;
        for (int i = 0; i < 1 << 15; i++)
        {
            GoldilocksExt2 a = i < 1296 ? new(Goldilocks.FromCanonical(edges[i % 6]), Goldilocks.FromCanonical(edges[i / 6 % 6])) : GoldilocksExt2.Random(rng);
            GoldilocksExt2 b = i < 1296 ? new(Goldilocks.FromCanonical(edges[i / 36 % 6]), Goldilocks.FromCanonical(edges[i / 216 % 6])) : new(Goldilocks.FromCanonical(Goldilocks.P - 1), Goldilocks.Random(rng));
            accumulator.Add(a, b);
            expected += a * b;
            baseAccumulator.AddBase(a, b.C1);
            expectedBase += a * b.C1;
        }
        Assert.Equal(expected, accumulator.Value);
        Assert.Equal(expectedBase, baseAccumulator.Value);
    }
}
