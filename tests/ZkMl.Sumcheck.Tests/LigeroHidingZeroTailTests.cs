using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Hiding commitments of a table with a public zero tail (<see cref="LigeroPcs.CommitZeroTail(LigeroParameters, ReadOnlySpan{Goldilocks}, int, int, Random)"/>):
/// only the rows the table reaches are committed, the opening and the zero-knowledge reduction treat the rest as zero.
/// </summary>
public class LigeroHidingZeroTailTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.HidingTail", Naive.Digest("hiding-tail"));

    [Fact]
    public void AHidingZeroTailCommitmentOpensThePaddedPolynomial()
    {
        var rng = new Random(21);
        var table = Naive.RandomTable(rng, 10)[..700];
        var data = LigeroPcs.CommitZeroTail(Parameters, table, 10, 1, rng);
        var commitment = data.Commitment;
        Assert.True(commitment.DataRows < 1 << commitment.RowVariables);
        Assert.Equal(commitment.DataRows + 4, commitment.Rows);
        var full = LigeroPcs.Commit(Parameters, [.. table, .. new Goldilocks[1024 - 700]], 1, new Random(1));
        Assert.True(commitment.Rows < full.Commitment.Rows || commitment.RowLength != full.Commitment.RowLength);

        // The commitment's bytes round-trip (hiding byte | 0x40, then the data rows).
        var writer = new ProofWriter("TEST", 1);
        commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        var read = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal((commitment.DataRows, commitment.RowVariables, commitment.EvaluationMasks, commitment.Parameters), (read.DataRows, read.RowVariables, read.EvaluationMasks, read.Parameters));

        var point = Naive.RandomPoint(rng, 10);
        var transcript = NewTranscript();
        commitment.AbsorbInto(transcript);
        var opening = LigeroPcs.OpenHiding(transcript, data, point, 0, 0, out var value);
        Assert.Equal(commitment.Rows, opening.Rows);
        // f'(r) = f~(r) + r_0 (1 - r_0) R~(r_col) for the table padded with zeros.
        var padded = new Goldilocks[1024];
        table.CopyTo(padded, 0);
        var mask = data.EvaluationMask(0);
        GoldilocksExt2 z = point[0] * (GoldilocksExt2.One - point[0]);
        Assert.Equal(Naive.Evaluate(padded, point) + z * Naive.Evaluate(mask, point[commitment.RowVariables..]), value);

        bool Verify(LigeroCommitment c, GoldilocksExt2 v, LigeroOpening o)
        {
            var t = NewTranscript();
            c.AbsorbInto(t);
            return LigeroPcs.VerifyHiding(t, c, point, 0, 0, v, o);
        }
        Assert.True(Verify(read, value, LigeroOpening.FromBytes(opening.ToBytes())));
        Assert.False(Verify(read, value + GoldilocksExt2.One, opening));
        // The same root read as a full-rows commitment: not the canonical split of a full table, refused by its shape.
        Assert.Throws<LigeroShapeException>(() => Verify(new LigeroCommitment(Parameters, 10, commitment.RowVariables, commitment.Root), value, opening));
        // Refused inputs.
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(Parameters, table, 9, 1));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(new LigeroParameters(2, 12, false), table, 10, 1));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(Parameters, table, 10));
    }

    /// <summary>The same table and point under other masking randomness: every row entry, column value and the value differ.</summary>
    [Fact]
    public void EveryVisibleValueOfAZeroTailOpeningChangesWithTheMasks()
    {
        var table = Naive.RandomTable(new Random(23), 9)[..300];
        var point = Naive.RandomPoint(new Random(24), 9);
        LigeroOpening Open(int seed, out GoldilocksExt2 value)
        {
            var data = LigeroPcs.CommitZeroTail(Parameters, table, 9, 1, new Random(seed));
            var transcript = NewTranscript();
            data.Commitment.AbsorbInto(transcript);
            return LigeroPcs.OpenHiding(transcript, data, point, 0, 4, out value);
        }
        var a = Open(1, out var va);
        var b = Open(2, out var vb);
        Assert.NotEqual(va, vb);
        Assert.NotEqual(Naive.Evaluate([.. table, .. new Goldilocks[512 - 300]], point), va);
        for (int k = 0; k < a.MessageLength; k++)
        {
            Assert.NotEqual(a.EvaluationRow(0)[k], b.EvaluationRow(0)[k]);
            Assert.NotEqual(a.ProximityRow[k], b.ProximityRow[k]);
        }
        for (int q = 0; q < Math.Min(a.OpenedColumns, b.OpenedColumns); q++)
            for (int k = 0; k < a.Rows; k++) Assert.NotEqual(a.Column(q)[k], b.Column(q)[k]);
    }

    [Fact]
    public void TheReductionOpensAZeroTailStackBesideAFullTable()
    {
        var rng = new Random(22);
        var stack = Naive.RandomTable(rng, 12)[..2900];
        var weights = Naive.RandomTable(rng, 6);
        var data = new[] { LigeroPcs.CommitZeroTail(Parameters, stack, 12, 1, rng), LigeroPcs.Commit(Parameters, weights, 1, rng) };
        Assert.True(data[0].Commitment.DataRows < 1 << data[0].Commitment.RowVariables);
        var paddedStack = new Goldilocks[1 << 12];
        stack.CopyTo(paddedStack, 0);
        Goldilocks[][] tables = [paddedStack, weights];
        var shape = ZkLinearReduction.Shape([12, 6], 11);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], rng);
        var claims = new List<ZkLinearClaim>
        {
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 12))),
            new(ZkLinearTerm.Eq(2048, GoldilocksExt2.One, Naive.RandomPoint(rng, 11)), ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 6), table: 1)),
            // A dense claim inside the zero tail: its value is 0.
            new(ZkLinearTerm.Dense(4000, Naive.RandomPoint(rng, 8))),
        };
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        Assert.Equal(GoldilocksExt2.Zero, values[2]);

        var transcript = NewTranscript();
        masks.Commitment.AbsorbInto(transcript);
        foreach (var d in data) d.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, data, [0, 0], [0, 0], masks, 0, claims, values, out var reduction);
        var maskOpening = masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        var bytes = proof.ToBytes();

        bool Verify(GoldilocksExt2[] v)
        {
            var t = NewTranscript();
            masks.Commitment.AbsorbInto(t);
            foreach (var d in data) d.Commitment.AbsorbInto(t);
            return ZkLinearReduction.Verify(t, [.. data.Select(d => d.Commitment)], [0, 0], [0, 0], shape, claims, v, ZkLinearReductionProof.FromBytes(bytes), out var r)
                && ZkSumcheckMaskSet.Verify(t, masks.Commitment, masks.Shapes, [r.Point.ToArray()], [r.MaskValue], maskOpening);
        }
        Assert.True(Verify(values));
        for (int j = 0; j < values.Length; j++)
        {
            var forged = (GoldilocksExt2[])values.Clone();
            forged[j] += GoldilocksExt2.One;
            Assert.False(Verify(forged));
        }
        // The prover refuses a nonzero value in the tail.
        var wrong = (GoldilocksExt2[])values.Clone();
        wrong[2] = GoldilocksExt2.One;
        var fresh = new[] { LigeroPcs.CommitZeroTail(Parameters, stack, 12, 1, rng), LigeroPcs.Commit(Parameters, weights, 1, rng) };
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Prove(NewTranscript(), fresh, [0, 0], [0, 0], ZkSumcheckMaskSet.Commit(Parameters, [shape], rng), 0, claims, wrong, out _));
    }
}
