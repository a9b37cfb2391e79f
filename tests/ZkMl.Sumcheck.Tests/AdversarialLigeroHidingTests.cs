using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// A malicious committer against hiding Ligero openings (version 2, rows sent at SentLength = RL + kQ, the verifier
/// pads): it commits messages with nonzero coefficients where the verifier pads (data rows, the evaluation mask row,
/// the proximity mask row), or columns that are no codeword at all in a mask row, then opens honestly; and openings
/// checked under other slots than they were made for (a chain's slot 0 / slot 1).
/// </summary>
public class AdversarialLigeroHidingTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true, 2);
    private const int N = 10;

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.AdversarialLigero", Naive.Digest("adversarial-ligero"));

    /// <summary>Commits as <c>LigeroPcs.Commit</c> does, with a hook on the messages and one on the codewords before the Merkle tree.</summary>
    private static LigeroProverData CommitTampered(Goldilocks[] table, int evaluationMasks, int seed, Action<Goldilocks[][], LigeroCommitment>? messages = null,
        Action<Goldilocks[][], LigeroCommitment>? codewords = null)
    {
        var rng = new Random(seed);
        int n = Multilinear.VariableCount(table.Length);
        int rowVariables = LigeroPcs.ChooseRowVariables(Parameters, n);
        var shape = new LigeroCommitment(Parameters, n, rowVariables, new byte[32], evaluationMasks);
        int columns = checked((int)shape.ColumnCount);
        var m = new Goldilocks[shape.Rows][];
        for (int i = 0; i < shape.Rows; i++)
        {
            m[i] = new Goldilocks[shape.MessageLength];
            int from = 0;
            if (i < shape.DataRows)
            {
                table.AsSpan(i * shape.RowLength, shape.RowLength).CopyTo(m[i]);
                from = shape.RowLength;
            }
            for (int c = from; c < shape.SentLength; c++) m[i][c] = Goldilocks.Random(rng);
        }
        messages?.Invoke(m, shape);
        var w = new Goldilocks[shape.Rows][];
        for (int i = 0; i < shape.Rows; i++)
        {
            w[i] = new Goldilocks[columns];
            Ntt<Goldilocks>.Instance.CosetExtend(m[i], w[i], Goldilocks.One);
        }
        codewords?.Invoke(w, shape);
        var salts = new byte[32L * columns];
        rng.NextBytes(salts);
        var tree = new Blake3MerkleTree(columns, shape.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
            {
                var leaf = destination.Slice(j * shape.LeafBytes, shape.LeafBytes);
                for (int k = 0; k < w.Length; k++) System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(leaf.Slice(8 * k, 8), w[k][first + j].Value);
                salts.AsSpan(32 * (first + j), 32).CopyTo(leaf[(8 * w.Length)..]);
            }
        });
        return new LigeroProverData(new LigeroCommitment(Parameters, n, rowVariables, tree.Root, evaluationMasks), m, w, salts, tree);
    }

    private static (GoldilocksExt2[] Point, GoldilocksExt2 Value, LigeroOpening Opening) Open(LigeroProverData data, int seed, int opening = 0, int slot = 0)
    {
        var point = Naive.RandomPoint(new Random(seed), data.Commitment.Variables);
        var transcript = NewTranscript();
        data.Commitment.AbsorbInto(transcript);
        var values = new GoldilocksExt2[1];
        var proof = LigeroPcs.OpenHiding(transcript, data, [point], [slot], [0], opening, values);
        return (point, values[0], proof);
    }

    private static bool Verify(LigeroCommitment commitment, GoldilocksExt2[] point, GoldilocksExt2 value, LigeroOpening opening, int openingSlot = 0, int slot = 0)
    {
        var transcript = NewTranscript();
        commitment.AbsorbInto(transcript);
        return LigeroPcs.VerifyHiding(transcript, commitment, [point], [slot], [0], openingSlot, [value], LigeroOpening.FromBytes(opening.ToBytes()));
    }

    /// <summary>The tampering committer without tampering: its openings verify (the harness is faithful).</summary>
    [Fact]
    public void TheTamperingCommitterIsFaithfulWithoutTampering()
    {
        var table = Naive.RandomTable(new Random(1), N);
        var data = CommitTampered(table, 2, 2);
        var (point, value, opening) = Open(data, 3);
        Assert.True(Verify(data.Commitment, point, value, opening));
        Assert.Equal(Multilinear.Evaluate(table, point) + point[0] * (GoldilocksExt2.One - point[0]) * Multilinear.Evaluate(data.EvaluationMask(0), point.AsSpan(data.Commitment.RowVariables)), value);
    }

    /// <summary>
    /// A nonzero coefficient where the verifier pads (index SentLength .. MessageLength - 1) in a data row, in the opened
    /// evaluation mask row (either base half), or in the opening slot's proximity mask row: the honest opening sends the
    /// rows at SentLength, so the queried columns disagree with the padded rows' encodings and the opening is refused.
    /// </summary>
    [Theory]
    [InlineData("data", 0)]
    [InlineData("data", 1)]
    [InlineData("evaluation", 0)]
    [InlineData("evaluation", 1)]
    [InlineData("proximity", 0)]
    [InlineData("proximity", 1)]
    public void NonzeroCoefficientsWhereTheVerifierPadsAreRefused(string row, int which)
    {
        var table = Naive.RandomTable(new Random(4), N);
        foreach (bool last in new[] { false, true })
        {
            var data = CommitTampered(table, 2, 5, messages: (m, c) =>
            {
                int index = row switch
                {
                    "data" => which == 0 ? 0 : c.DataRows - 1,
                    "evaluation" => c.EvaluationMaskRow(0) + which,
                    _ => c.ProximityMaskRow(0) + which,
                };
                Assert.True(c.SentLength < c.MessageLength);
                m[index][last ? c.MessageLength - 1 : c.SentLength] = Goldilocks.FromUInt64(7);
            });
            var (point, value, opening) = Open(data, 6);
            Assert.False(Verify(data.Commitment, point, value, opening));
        }
    }

    /// <summary>
    /// Columns of the opened evaluation mask row that are no codeword (one column changed, then every column random):
    /// the proximity test weighs that row with its own random weight and refuses; a junk row in an unused slot (slot 1)
    /// is not opened and does not disturb slot 0.
    /// </summary>
    [Fact]
    public void ANonCodewordMaskRowIsRefusedWhenOpenedAndHarmlessWhenNot()
    {
        var table = Naive.RandomTable(new Random(7), N);
        var rng = new Random(8);
        foreach (bool every in new[] { false, true })
        {
            var data = CommitTampered(table, 2, 9, codewords: (w, c) =>
            {
                var row = w[c.EvaluationMaskRow(0) + 1];
                if (every)
                    for (int i = 0; i < row.Length; i++) row[i] = Goldilocks.Random(rng);
                else
                    for (int i = 0; i < row.Length; i += 1) row[i] += Goldilocks.One;
            });
            var (point, value, opening) = Open(data, 10);
            Assert.False(Verify(data.Commitment, point, value, opening));
        }
        var junkElsewhere = CommitTampered(table, 2, 11, codewords: (w, c) =>
        {
            foreach (int r in new[] { c.EvaluationMaskRow(1), c.EvaluationMaskRow(1) + 1, c.ProximityMaskRow(1) })
                for (int i = 0; i < w[r].Length; i++) w[r][i] = Goldilocks.Random(rng);
        });
        var (p2, v2, o2) = Open(junkElsewhere, 12);
        Assert.True(Verify(junkElsewhere.Commitment, p2, v2, o2));
    }

    /// <summary>
    /// An opening made with (opening slot 0, evaluation slot 0) checked as a chain's other slots (1/1, 0/1, 1/0) is
    /// refused; the prover cannot open a slot twice.
    /// </summary>
    [Fact]
    public void AnOpeningIsBoundToItsSlots()
    {
        var rng = new Random(13);
        var data = LigeroPcs.Commit(Parameters, Naive.RandomTable(rng, N), 2, rng);
        var (point, value, opening) = Open(data, 14);
        Assert.True(Verify(data.Commitment, point, value, opening));
        Assert.False(Verify(data.Commitment, point, value, opening, 1, 1));
        Assert.False(Verify(data.Commitment, point, value, opening, 0, 1));
        Assert.False(Verify(data.Commitment, point, value, opening, 1, 0));
        Assert.Throws<InvalidOperationException>(() => Open(data, 15));
        Assert.Throws<InvalidOperationException>(() => Open(data, 15, opening: 0, slot: 1));
        Assert.Throws<InvalidOperationException>(() => Open(data, 15, opening: 1, slot: 0));
        // The other slots still open once, and verify as what they are.
        var (p1, v1, o1) = Open(data, 16, opening: 1, slot: 1);
        Assert.True(Verify(data.Commitment, p1, v1, o1, 1, 1));
        Assert.False(Verify(data.Commitment, p1, v1, o1, 0, 0));
    }

    /// <summary>A value off by one, an evaluation row changed where it is not read for the value (the hiding tail), and the point moved: refused.</summary>
    [Fact]
    public void TheValueTheTailAndThePointAreBound()
    {
        var rng = new Random(17);
        var data = LigeroPcs.Commit(Parameters, Naive.RandomTable(rng, N), 1, rng);
        var (point, value, opening) = Open(data, 18);
        Assert.False(Verify(data.Commitment, point, value + GoldilocksExt2.One, opening));
        var row = opening.EvaluationRow(0).ToArray();
        row[^1] += GoldilocksExt2.One;
        var columns = Enumerable.Range(0, opening.OpenedColumns).SelectMany(q => opening.Column(q).ToArray()).ToArray();
        var salts = Enumerable.Range(0, opening.OpenedColumns).SelectMany(q => opening.Salt(q).ToArray()).ToArray();
        Assert.False(Verify(data.Commitment, point, value, new LigeroOpening(1, opening.MessageLength, opening.Rows, true, row, opening.ProximityRow.ToArray(), columns, salts, [.. opening.MerkleProof])));
        var moved = (GoldilocksExt2[])point.Clone();
        moved[^1] += GoldilocksExt2.One;
        Assert.False(Verify(data.Commitment, moved, value, opening));
    }
}
