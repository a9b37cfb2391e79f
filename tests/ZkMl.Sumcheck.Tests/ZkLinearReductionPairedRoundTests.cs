using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The linear reduction's round 0 taken from the Lambda pass (block pairs of a table over all n variables, the four inner
/// products of a pair) instead of its own pass: the proof verifies and a forged value fails, at sizes that take the path
/// (2^16 entries: blocks of 2^14 in the lower half) beside a smaller table that does not.
/// </summary>
public class ZkLinearReductionPairedRoundTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkLinearPaired", Naive.Digest("paired"));

    [Theory]
    [InlineData(16, 3, 1)]
    [InlineData(16, 0, 2)]
    [InlineData(15, 9, 3)]
    public void Round_zero_from_the_lambda_pass_verifies(int n, int maskVariable, int seed)
    {
        var rng = new Random(seed);
        var stack = Naive.RandomTable(rng, n);
        var small = Naive.RandomTable(rng, 5);
        Goldilocks[][] tables = [stack, small];
        var parameters = new LigeroParameters(2, 12, true);
        var data = new[] { LigeroPcs.Commit(parameters, stack, 1, rng), LigeroPcs.Commit(new LigeroParameters(2, 12, true, 2), small, rng) };
        var shape = ZkLinearReduction.Shape([n, 5], Math.Max(maskVariable, n - 5));
        var masks = ZkSumcheckMaskSet.Commit(parameters, [shape], rng);
        var claims = new List<ZkLinearClaim>
        {
            // Eq terms over the whole table, one half, blocks in either half, a small region; dense terms; the small table.
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.Random(rng), Naive.RandomPoint(rng, n))),
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.Random(rng), Naive.RandomPoint(rng, n - 1)), ZkLinearTerm.Scalar(6, GoldilocksExt2.Random(rng))),
            new(ZkLinearTerm.Eq(1L << (n - 1), GoldilocksExt2.One, Naive.RandomPoint(rng, n - 1))),
            new(ZkLinearTerm.Eq(3L << (n - 3), GoldilocksExt2.One, Naive.RandomPoint(rng, n - 3)), ZkLinearTerm.Dense(1L << (n - 1), Naive.RandomPoint(rng, 3))),
            new(ZkLinearTerm.Eq(5L << 9, GoldilocksExt2.One, Naive.RandomPoint(rng, 9))),
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 5), table: 1), ZkLinearTerm.Eq(7L << 12, GoldilocksExt2.One, Naive.RandomPoint(rng, 12))),
        };
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        var transcript = NewTranscript();
        masks.Commitment.AbsorbInto(transcript);
        foreach (var d in data) d.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, data, [0, 1], [0, 1], masks, 0, claims, values, out var result);
        var maskOpening = masks.Open(transcript, [result.Point.ToArray()], new GoldilocksExt2[1]);

        bool Verify(GoldilocksExt2[] v)
        {
            var t = NewTranscript();
            masks.Commitment.AbsorbInto(t);
            foreach (var d in data) d.Commitment.AbsorbInto(t);
            return ZkLinearReduction.Verify(t, [.. data.Select(d => d.Commitment)], [0, 1], [0, 1], shape, claims, v, proof, out var r)
                && ZkSumcheckMaskSet.Verify(t, masks.Commitment, masks.Shapes, [r.Point.ToArray()], [r.MaskValue], maskOpening);
        }

        Assert.True(Verify(values));
        var forged = (GoldilocksExt2[])values.Clone();
        forged[2] += GoldilocksExt2.One;
        Assert.False(Verify(forged));
    }
}
