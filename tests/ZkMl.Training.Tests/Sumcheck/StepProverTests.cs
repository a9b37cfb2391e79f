using ZkMl.Field;
using ZkMl.Training.Backends.Sumcheck;
using static ZkMl.Training.Tests.Sumcheck.ZeroKnowledgeBlocks;

namespace ZkMl.Training.Tests.Sumcheck;

/// <summary>
/// The step's shared machinery (<see cref="StepProver"/>, <see cref="StepVerifier"/>): the hiding stack with the shared
/// range lookup, every block's finals reduced by one joint reduction to one opening; out-of-range limbs, blocks proven on
/// another stacked table than the verifier's, and finals the commitment does not hold are rejected.
/// </summary>
public class StepProverTests
{
    private static readonly byte[] Digest = [.. Enumerable.Range(0, 32).Select(i => (byte)(9 * i))];
    private static readonly long[] Table0 = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly long[] Table1 = [-8, 7, -6, 5, -4, 3, -2, 1];
    private static readonly long[] Table2 = [0, 65535, 7, 9, 11, 0, 0, 1];
    private static readonly long[] Small0 = [3, -4, 5, 6];
    private static readonly long[] Small1 = [4, 3, 2, 1];

    private static long[] Minus(long[] a, long[] b) => [.. a.Zip(b, (x, y) => x - y)];

    /// <summary>
    /// Tables T0, T1, Y0, Table2 (8 entries), S0, S1, Y1 (4 entries) and one limb table holding Table2's values; blocks
    /// Y0 = X - T1 with Y0 in 32 bits (X = <paramref name="x"/>: 0 for T0, 3 for Table2, 7 for the limb table) and
    /// Y1 = S0 - S1 unchecked. The honest tables have Y0 = T0 - T1.
    /// </summary>
    private static (Goldilocks[][] Tables, Goldilocks[][][] Limbs) Toy(long[] y0, Action<Goldilocks[][]>? forgeLimbs = null)
    {
        var limbs = DifferenceArgument.LimbTables(32, y0);
        forgeLimbs?.Invoke(limbs);
        return ([F(Table0), F(Table1), F(y0), F(Table2), F(Small0), F(Small1), F(Minus(Small0, Small1))], [limbs, [F(Table2)]]);
    }

    private static Blocks Blocks(int x) => (t, l) =>
        [ZeroCheck.Difference(32, 3, x == 7 ? l[1][0] : t[x], t[1], t[2], l[0]), ZeroCheck.Difference(0, 2, t[4], t[5], t[6], [])];

    [Fact]
    public void HonestBlocksVerifyWithOneJointReduction()
    {
        var (tables, limbs) = Toy(Minus(Table0, Table1));
        var (tv, lv) = Sizes(tables, limbs);
        var proof = Prove(Digest, tables, limbs, Blocks(0));
        Assert.True(Verify(Digest, tv, lv, Blocks(0), proof));
        Assert.False(Verify(Digest, tv, lv, Blocks(0), proof[..^1]));
        var random = new Random(1);
        for (int i = 0; i < 8; i++) Assert.False(Verify(Digest, tv, lv, Blocks(0), Flip(proof, random, 8 + i)));
    }

    /// <summary>
    /// Y0's low limb moved by c 2^16 and the high limb by -c (every recomposition holds, a limb lands at 65536 + l, at
    /// l - 65536 &lt; 0, or near 2^40): only the shared lookup, whose multiplicities cannot count it, refuses.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(1L << 24)]
    public void ALimbOutsideTheRangeTableIsCaughtByTheSharedLookup(long c)
    {
        var (tables, limbs) = Toy(Minus(Table0, Table1), limbs =>
        {
            limbs[0][1] += Goldilocks.FromInt64(c << 16);
            limbs[1][1] -= Goldilocks.FromInt64(c);
        });
        Assert.False(ProveAndVerify(Digest, tables, limbs, Blocks(0)));
    }

    [Fact]
    public void ABlockProvenOnAnotherStackedTableIsRejected()
    {
        // Y0 = Table2 - T1 holds, and the prover proves that block; the verifier's block is Y0 = T0 - T1 (false): the
        // prover's finals are claims on Table2 (another slot of the same commitment), the verifier's on T0.
        var (tables, limbs) = Toy(Minus(Table2, Table1));
        Assert.True(ProveAndVerify(Digest, tables, limbs, Blocks(3)));
        Assert.False(ProveAndVerify(Digest, tables, limbs, Blocks(3), Blocks(0)));
        // ... or on a limb table holding the same values.
        Assert.True(ProveAndVerify(Digest, tables, limbs, Blocks(7)));
        Assert.False(ProveAndVerify(Digest, tables, limbs, Blocks(7), Blocks(0)));
    }

    /// <summary>
    /// After the stack is committed the prover runs its zero-checks on S0 and Y1 with their first entries moved by one
    /// (Y1 = S0 - S1 still holds on its tables): its finals state values of S0 and Y1 the commitment does not hold, and
    /// the joint reduction's prover refuses them (a typed exception). A forger of the reduction itself, proving false
    /// values anyway, is refused by its verifier: tests/ZkMl.Sumcheck.Tests/AdversarialZkLinearReductionTests.cs
    /// (AFalseValueChargedToATablesLeadRoundSumIsRefused, AFalseValueWithAPatchedFinalValueIsRefusedByTheOpening).
    /// </summary>
    [Fact]
    public void FinalsTheCommitmentDoesNotHoldCannotBeReduced()
    {
        var (tables, limbs) = Toy(Minus(Table0, Table1));
        Assert.Throws<ArgumentException>(() => ProveAndVerify(Digest, tables, limbs, Blocks(0), afterCommit: () =>
        {
            tables[4][0] += Goldilocks.One;
            tables[6][0] += Goldilocks.One;
        }));
        Assert.True(ProveAndVerify(Digest, tables, limbs, Blocks(0), afterCommit: () => { }));
    }
}
