using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="PoseidonSpongeZeroCheck"/>'s dedicated prover (<c>PoseidonSpongeKernel</c>) against the generic
/// <see cref="ZkSumcheck"/> over the eleven factor tables: the same proof bytes, claims, values and transcript, on honest
/// traces (rows of several shapes, packed and not, permutation counts far below a power of two so that dead pairs are
/// skipped) and on random tables (a false trace proven without the check, non-zero where the honest trace is zero), at
/// sizes through the parallel passes.
/// </summary>
public class PoseidonSpongeKernelTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.PoseidonSpongeKernel", Naive.Digest("kernel"));

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(2, 5, 1, true)]
    [InlineData(3, 20, 7, true)]
    [InlineData(5, 40, 1, true)]
    [InlineData(16, 100, 1, true)]
    [InlineData(64, 30, 1, true)]
    [InlineData(2, 128, 1, true)]   // K = 17 of 32 permutations: the rounds over k skip the dead pairs
    [InlineData(3, 135, 1, true)]   // K = 18
    [InlineData(4, 20, 1, false)]
    [InlineData(2, 128, 1, false)]  // random entries where the honest trace is zero: nothing skipped
    [InlineData(33, 70, 1, false)]
    public void KernelProofEqualsGenericProof(int rows, int values, int pack, bool honest)
    {
        var rng = new Random(rows * 1000 + values);
        int rowVariables = rows <= 1 ? 0 : System.Numerics.BitOperations.Log2((uint)rows - 1) + 1;
        int stride = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)values);
        int variables = PoseidonSpongeLayout.TableVariables(rows, (values + pack - 1) / pack);
        long salts = 4L << variables;
        long valuesAt = Align(salts + (8L << rowVariables), (long)stride << rowVariables);
        long masks = Align(valuesAt + ((long)stride << rowVariables), PoseidonSpongeLayout.LibraEntries(variables));
        var layout = new PoseidonSpongeLayout(rows, [new(salts, 8, 8), new(valuesAt, stride, values, pack, 256)], 0, masks);
        int tableVariables = Multilinear.VariableCount((int)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)layout.RequiredEntries));
        var table = new Goldilocks[1 << tableVariables];
        for (int i = 0; i < table.Length; i++) table[i] = honest ? Goldilocks.FromUInt64((ulong)rng.Next(256)) : Goldilocks.Random(rng);
        Goldilocks[][] digests = honest ? PoseidonSpongeZeroCheck.FillTrace(layout, table)
            : [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 4).Select(_ => Goldilocks.Random(rng)).ToArray())];
        PoseidonSpongeZeroCheck.FillMasks(layout, table, rng);

        var (fastTranscript, slowTranscript) = (NewTranscript(), NewTranscript());
        var fast = PoseidonSpongeZeroCheck.Prove(fastTranscript, layout, table, digests, honest, generic: false);
        var slow = PoseidonSpongeZeroCheck.Prove(slowTranscript, layout, table, digests, honest, generic: true);

        Assert.Equal(slow.Proof.ToBytes(), fast.Proof.ToBytes());
        Assert.Equal(slow.Values, fast.Values);
        Assert.Equal(slow.Point, fast.Point);
        Assert.Equal(slow.Claims.Length, fast.Claims.Length);
        for (int c = 0; c < slow.Claims.Length; c++) Assert.Equal(slow.Claims[c].Apply(table), fast.Claims[c].Apply(table));
        Assert.Equal(slowTranscript.ChallengeExt("after"), fastTranscript.ChallengeExt("after"));
        if (honest) Assert.True(PoseidonSpongeZeroCheck.Verify(NewTranscript(), layout, digests, fast.Proof, out _, out _));
    }

    private static long Align(long at, long alignment) => (at + alignment - 1) / alignment * alignment;
}
