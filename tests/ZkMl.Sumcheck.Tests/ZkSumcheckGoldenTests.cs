using System.Security.Cryptography;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The generic <see cref="ZkSumcheck"/> prover's bytes pinned: seeded sums of products (plain factors, scalar masks, mask
/// tables over the last variables; the mask variable first, in the middle, last; sizes through the parallel rounds)
/// hashed with the transcript's next challenge. The digest was recorded before the round loop was reworked (claim fused
/// into round 0, mask kinds decided once per round), so any change of a proof byte fails here.
/// </summary>
public class ZkSumcheckGoldenTests
{
    [Fact]
    public void GenericProofsKeepTheirBytes()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (n, v, seed) in new[] { (1, 0, 1), (3, 0, 2), (4, 3, 3), (6, 2, 4), (10, 9, 5), (15, 0, 6), (16, 7, 7), (16, 15, 8) })
        {
            var rng = new Random(seed);
            // eq A B + c A S + d B (S scalar-masked, A masked by a table over the last variables, B plain).
            var eq = Naive.RandomPoint(rng, n);
            var factors = new[]
            {
                new ZkSumcheckFactor(Multilinear.EqTable(eq)),
                ZkSumcheckFactor.Masked(RandomTable(rng, n), RandomTable(rng, Math.Min(n, 3))),
                new ZkSumcheckFactor(RandomTable(rng, n)),
                ZkSumcheckFactor.Masked(RandomTable(rng, n), [GoldilocksExt2.Random(rng)]),
            };
            var terms = new[]
            {
                new ZkSumcheckTerm(GoldilocksExt2.One, [0, 1, 2]),
                new ZkSumcheckTerm(GoldilocksExt2.Random(rng), [1, 3]),
                new ZkSumcheckTerm(GoldilocksExt2.Random(rng), [2]),
                new ZkSumcheckTerm(GoldilocksExt2.Random(rng), [0, 3, 3]),
            };
            var shape = new ZkSumcheckShape(n, 4, 2, v, TermFactors: 3, TermMaskedFactors: 2);
            var mask = RandomTable(rng, 0).Concat(Enumerable.Range(0, shape.MaskCoefficients - 1).Select(_ => GoldilocksExt2.Random(rng))).ToArray();
            var transcript = new Transcript("ZkMl.Sumcheck.Tests.Golden", Naive.Digest("golden"));
            var result = ZkSumcheck.Prove(transcript, shape, mask, factors, terms);
            hash.AppendData(result.Proof.ToBytes());
            var after = new byte[16];
            transcript.ChallengeExt("after").WriteBytes(after);
            hash.AppendData(after);
        }
        Assert.Equal(Golden, Convert.ToHexString(hash.GetHashAndReset()));
    }

    private const string Golden = "3422F4942CF7DEC94C3D6D5D6F7ABFA718CE27A12387A08C1FC1F416A2D4FB4C";

    private static GoldilocksExt2[] RandomTable(Random rng, int n) => [.. Enumerable.Range(0, 1 << n).Select(_ => GoldilocksExt2.Random(rng))];
}
