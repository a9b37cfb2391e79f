using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Binding across two proofs for hiding commitments sized for two openings (a chain's after-weights: step t opens slot 1,
/// step t + 1 slot 0): the unique-decoding argument with the tail coefficients and mask rows in every column. A root over
/// a mix of two hiding codeword matrices (every second column, or every 64th, closer than 3/16 to the first) opens as
/// neither polynomial in either slot, and the honest root opens the same polynomial in both.
/// </summary>
public class ZeroKnowledgeChainBindingTests
{
    private static readonly LigeroParameters Chain = new(2, 371, true, 2);
    private const int Variables = 8;

    private static Transcript NewTranscript(string step) => new("ZkMl.Sumcheck.Tests.ZkChain", Naive.Digest(step));

    private static bool Opens(LigeroProverData data, LigeroCommitment commitment, GoldilocksExt2[] point, int slot, string step)
    {
        var opening = LigeroPcs.OpenHiding(NewTranscript(step), data, point, slot, 1, out var value);
        return LigeroPcs.VerifyHiding(NewTranscript(step), commitment, point, slot, 1, value, opening.ToBytes());
    }

    /// <summary>A prover holding <paramref name="messages"/> (f's or g's) and the mixed columns under one root.</summary>
    private static (LigeroCommitment Commitment, Func<Goldilocks[][], LigeroProverData> Prover) Mix(LigeroProverData f, LigeroProverData g, int period)
    {
        var shape = f.Commitment;
        int columns = (int)shape.ColumnCount, rows = shape.Rows;
        var codewords = new Goldilocks[rows][];
        for (int k = 0; k < rows; k++)
            codewords[k] = [.. Enumerable.Range(0, columns).Select(c => c % period == period - 1 ? g.Codewords[k][c] : f.Codewords[k][c])];
        var salts = new byte[32 * columns];
        for (int c = 0; c < columns; c++) (c % period == period - 1 ? g : f).Salts.AsSpan(32 * c, 32).CopyTo(salts.AsSpan(32 * c));
        Hashing.Blake3MerkleTree Tree() => new(columns, shape.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
            {
                var leaf = destination.Slice(j * shape.LeafBytes, shape.LeafBytes);
                for (int k = 0; k < rows; k++) codewords[k][first + j].WriteBytes(leaf.Slice(8 * k, 8));
                salts.AsSpan(32 * (first + j), 32).CopyTo(leaf[(8 * rows)..]);
            }
        });
        var commitment = new LigeroCommitment(Chain, Variables, shape.RowVariables, Tree().Root, shape.EvaluationMasks);
        return (commitment, messages => new LigeroProverData(commitment, messages, codewords, salts, Tree()));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(64)]
    public void AMixedHidingCodewordOpensAsNeitherPolynomialInEitherSlot(int period)
    {
        var rng = new Random(period);
        var f = Naive.RandomTable(rng, Variables);
        var g = Naive.RandomTable(rng, Variables);
        var fData = LigeroPcs.Commit(Chain, f, rng);
        var gData = LigeroPcs.Commit(Chain, g, rng);
        Assert.Equal(fData.Commitment.RowVariables, gData.Commitment.RowVariables);
        var point = Naive.RandomPoint(rng, Variables);
        var (commitment, prover) = Mix(fData, gData, period);
        // Step t opens the mixed root as its after-weights f (slot 1); step t + 1 as its before-weights g (slot 0).
        Assert.False(Opens(prover(fData.Messages), commitment, point, 1, "step 0"));
        Assert.False(Opens(prover(gData.Messages), commitment, point, 0, "step 1"));
        Assert.False(Opens(prover(fData.Messages), commitment, point, 0, "step 1"));
        Assert.False(Opens(prover(gData.Messages), commitment, point, 1, "step 0"));
        // Nor does g's message open f's honest root.
        var honestF = LigeroPcs.Commit(Chain, f, new Random(1));
        var gUnderF = new LigeroProverData(honestF.Commitment, gData.Messages, honestF.Codewords, honestF.Salts, honestF.Tree);
        Assert.False(Opens(gUnderF, honestF.Commitment, point, 0, "step 1"));
    }

    [Fact]
    public void TheHonestRootOpensTheSamePolynomialInBothSlots()
    {
        var rng = new Random(9);
        var f = Naive.RandomTable(rng, Variables);
        var data = LigeroPcs.Commit(Chain, f, rng);
        var point = Naive.RandomPoint(rng, Variables);
        var boolean = point.ToArray();
        boolean[1] = GoldilocksExt2.One;
        var after = LigeroPcs.OpenHiding(NewTranscript("step 0"), data, boolean, 1, 1, out var afterValue);
        var before = LigeroPcs.OpenHiding(NewTranscript("step 1"), data, point, 0, 1, out var beforeValue);
        Assert.True(LigeroPcs.VerifyHiding(NewTranscript("step 0"), data.Commitment, boolean, 1, 1, afterValue, after.ToBytes()));
        Assert.True(LigeroPcs.VerifyHiding(NewTranscript("step 1"), data.Commitment, point, 0, 1, beforeValue, before.ToBytes()));
        // With the mask variable boolean, f' = f~: the after-role's value is the polynomial's own (the masks vanish on the hypercube's faces).
        Assert.Equal(Naive.Evaluate(f, boolean), afterValue);
        Assert.NotEqual(Naive.Evaluate(f, point), beforeValue);
    }

    [Fact]
    public void TheNextProverRecomputesASeededCommitmentAndOpensTheSlotReservedForIt()
    {
        var rng = new Random(12);
        var f = Naive.RandomTable(rng, Variables);
        var seed = new byte[32];
        rng.NextBytes(seed);
        var producer = LigeroPcs.CommitSeeded(Chain, f, 2, seed);
        var consumer = LigeroPcs.CommitSeeded(Chain, f, 2, seed);
        Assert.Equal(producer.Commitment.Root.ToArray(), consumer.Commitment.Root.ToArray());
        var point = Naive.RandomPoint(rng, Variables);
        Assert.True(Opens(producer, producer.Commitment, point, 1, "step 0"));
        Assert.True(Opens(consumer, producer.Commitment, point, 0, "step 1"));
        // Another seed is another commitment, and the seeded masks are not the table's.
        seed[0] ^= 1;
        Assert.NotEqual(producer.Commitment.Root.ToArray(), LigeroPcs.CommitSeeded(Chain, f, 2, seed).Commitment.Root.ToArray());
        Assert.NotEqual(Naive.Evaluate(f, point), Naive.Evaluate(f, point) + point[1] * (GoldilocksExt2.One - point[1]) * Naive.Evaluate(producer.EvaluationMask(0), point[producer.Commitment.RowVariables..]));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitSeeded(Chain, f, 2, new byte[8]));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitSeeded(new LigeroParameters(2, 12, false), f, 1, seed));
    }

    [Fact]
    public void ASeededCommitmentWithAZeroTailCommitsOnlyTheUsedRowsAndOpensInBothSlots()
    {
        // A weight state: 2^7 + 2^5 used entries of 2^8 (the chain's one commitment per state commits only those rows).
        var rng = new Random(13);
        var used = Naive.RandomTable(rng, Variables)[..((1 << 7) + (1 << 5))];
        var f = new Goldilocks[1 << Variables];
        used.CopyTo(f, 0);
        var seed = new byte[32];
        rng.NextBytes(seed);
        var producer = LigeroPcs.CommitSeeded(Chain, used, Variables, 2, seed);
        var consumer = LigeroPcs.CommitSeeded(Chain, used, Variables, 2, seed);
        Assert.Equal(producer.Commitment.Root.ToArray(), consumer.Commitment.Root.ToArray());
        var canonical = LigeroCommitment.Canonical(Chain, Variables, used.Length, 2);
        Assert.Equal((canonical.RowVariables, canonical.DataRows), (producer.Commitment.RowVariables, producer.Commitment.DataRows));
        Assert.Equal((used.Length + (1 << (Variables - canonical.RowVariables)) - 1) >> (Variables - canonical.RowVariables), producer.Commitment.DataRows);
        var point = Naive.RandomPoint(rng, Variables);
        Assert.True(Opens(producer, producer.Commitment, point, 1, "step 0"));
        Assert.True(Opens(consumer, producer.Commitment, point, 0, "step 1"));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitSeeded(Chain, f, Variables - 1, 2, seed));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitSeeded(Chain, used, Variables, 2, new byte[8]));
    }
}
