using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The zero-knowledge primitives: hiding Ligero openings sized for several openings, the zero-knowledge sumcheck over
/// masked factors and its committed mask set. Each is checked against brute force, for completeness, for every visible
/// value changing with the prover's randomness and never being an unmasked witness evaluation, and against forgeries.
/// </summary>
public class ZeroKnowledgeTests
{
    private static readonly LigeroParameters TwoOpenings = new(2, 12, true, 2);
    private static readonly LigeroParameters MaskParameters = new(2, 12, true);

    private static Transcript NewTranscript(string statement = "zk") => new("ZkMl.Sumcheck.Tests.Zk", Naive.Digest(statement));

    /// <summary>f'_slot(r) from the definition: f~(r) + r_v (1 - r_v) R~_slot(r_col).</summary>
    private static GoldilocksExt2 MaskedValue(LigeroProverData data, Goldilocks[] table, GoldilocksExt2[] point, int slot, int v) =>
        Naive.Evaluate(table, point) + point[v] * (GoldilocksExt2.One - point[v]) * Naive.Evaluate(data.EvaluationMask(slot), point[data.Commitment.RowVariables..]);

    private static bool VerifiesHiding(LigeroCommitment commitment, GoldilocksExt2[] point, int slot, int v, GoldilocksExt2 value, byte[] bytes, string statement = "zk")
    {
        try
        {
            return LigeroPcs.VerifyHiding(NewTranscript(statement), commitment, point, slot, v, value, bytes);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 20)]
    public void EachSlotOpensItsMaskedExtensionOnce(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 8);
        var table = Naive.RandomTable(rng, n);
        var data = LigeroPcs.Commit(TwoOpenings, table, rng);
        Assert.Equal(data.Commitment.DataRows + 8, data.Commitment.Rows);
        for (int slot = 0; slot < 2; slot++)
        {
            var point = Naive.RandomPoint(rng, n);
            int v = rng.Next(n);
            var opening = LigeroPcs.OpenHiding(NewTranscript(), data, point, slot, v, out var value);
            Assert.Equal(MaskedValue(data, table, point, slot, v), value);
            var bytes = opening.ToBytes();
            Assert.True(VerifiesHiding(data.Commitment, point, slot, v, value, bytes));
            Assert.False(VerifiesHiding(data.Commitment, point, 1 - slot, v, value, bytes));
            Assert.False(VerifiesHiding(data.Commitment, point, slot, (v + 1) % n, value, bytes) && n > 1);
            Assert.False(VerifiesHiding(data.Commitment, point, slot, v, value + GoldilocksExt2.One, bytes));
            Assert.False(VerifiesHiding(data.Commitment, point, slot, v, value, bytes, "another statement"));
            Assert.Throws<InvalidOperationException>(() => LigeroPcs.OpenHiding(NewTranscript(), data, point, slot, v, out _));
        }
    }

    [Fact]
    public void HidingOpeningsRejectBitFlipsTruncationsAndReorderedParts()
    {
        var rng = new Random(3);
        var table = Naive.RandomTable(rng, 6);
        var data = LigeroPcs.Commit(TwoOpenings, table, rng);
        var point = Naive.RandomPoint(rng, 6);
        var bytes = LigeroPcs.OpenHiding(NewTranscript(), data, point, 1, 2, out var value).ToBytes();
        Assert.True(VerifiesHiding(data.Commitment, point, 1, 2, value, bytes));
        for (int i = 6; i < bytes.Length; i += Math.Max(1, bytes.Length / 97))
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x10;
            Assert.False(VerifiesHiding(data.Commitment, point, 1, 2, value, flipped));
        }
        Assert.False(VerifiesHiding(data.Commitment, point, 1, 2, value, bytes[..^1]));
        Assert.False(VerifiesHiding(data.Commitment, point, 1, 2, value, [.. bytes, 0]));
        var opening = LigeroOpening.FromBytes(bytes);
        // The proximity row sent as the evaluation row and vice versa.
        var swapped = new LigeroOpening(1, opening.MessageLength, opening.Rows, true, opening.ProximityRow.ToArray(), opening.EvaluationRow(0).ToArray(),
            Enumerable.Range(0, opening.OpenedColumns).SelectMany(q => opening.Column(q).ToArray()).ToArray(),
            Enumerable.Range(0, opening.OpenedColumns).SelectMany(q => opening.Salt(q).ToArray()).ToArray(), [.. opening.MerkleProof]);
        Assert.False(VerifiesHiding(data.Commitment, point, 1, 2, value, swapped.ToBytes()));
        // The first two opened columns exchanged.
        var columns = Enumerable.Range(0, opening.OpenedColumns).Select(q => opening.Column(q).ToArray()).ToArray();
        (columns[0], columns[1]) = (columns[1], columns[0]);
        var reordered = new LigeroOpening(1, opening.MessageLength, opening.Rows, true, opening.EvaluationRow(0).ToArray(), opening.ProximityRow.ToArray(),
            columns.SelectMany(c => c).ToArray(), Enumerable.Range(0, opening.OpenedColumns).SelectMany(q => opening.Salt(q).ToArray()).ToArray(), [.. opening.MerkleProof]);
        Assert.False(VerifiesHiding(data.Commitment, point, 1, 2, value, reordered.ToBytes()));
        // A commitment read back keeps its slots; a non-hiding commitment has none.
        var writer = new ProofWriter("TEST", 1);
        data.Commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        var back = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal(2, back.Parameters.Openings);
        Assert.True(VerifiesHiding(back, point, 1, 2, value, bytes));
        Assert.Throws<InvalidOperationException>(() => LigeroPcs.OpenHiding(NewTranscript(), LigeroPcs.Commit(LigeroParameters.Default, table), point, 0, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LigeroParameters(2, 12, false, 2).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => LigeroPcs.OpenHiding(NewTranscript(), data, point, 2, 0, out _));
    }

    /// <summary>
    /// Two openings of one commitment (the chain's weights: step t and step t + 1): every value the verifier sees
    /// changes with the masking randomness, no evaluation row is eq(r_row)^T M of the data, no value is f~(r), and the
    /// two evaluation rows are not related by a base-field combination of the data rows (each slot has its own
    /// extension-field mask: their difference after removing the data is uniform).
    /// </summary>
    [Fact]
    public void TwoOpeningsRevealOnlyMaskedValues()
    {
        var rng = new Random(7);
        var table = Naive.RandomTable(rng, 5);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 5), Naive.RandomPoint(rng, 5)];
        var a = LigeroPcs.Commit(TwoOpenings, table, new Random(100));
        var b = LigeroPcs.Commit(TwoOpenings, table, new Random(200));
        Assert.NotEqual(a.Commitment.Root.ToArray(), b.Commitment.Root.ToArray());
        var shape = a.Commitment;
        for (int slot = 0; slot < 2; slot++)
        {
            var openA = LigeroPcs.OpenHiding(NewTranscript(), a, points[slot], slot, 0, out var valueA);
            var openB = LigeroPcs.OpenHiding(NewTranscript(), b, points[slot], slot, 0, out var valueB);
            Assert.NotEqual(valueA, valueB);
            Assert.NotEqual(Naive.Evaluate(table, points[slot]), valueA);
            var eqRow = Naive.EqTable(points[slot][..shape.RowVariables]);
            for (int col = 0; col < shape.MessageLength; col++)
            {
                GoldilocksExt2 unmasked = GoldilocksExt2.Zero;
                if (col < shape.RowLength)
                    for (int k = 0; k < shape.DataRows; k++) unmasked += eqRow[k] * table[k * shape.RowLength + col];
                if (col < shape.RowLength) Assert.NotEqual(unmasked, openA.EvaluationRow(0)[col]);
                Assert.NotEqual(openA.EvaluationRow(0)[col], openB.EvaluationRow(0)[col]);
                Assert.NotEqual(openA.ProximityRow[col], openB.ProximityRow[col]);
            }
            for (int q = 0; q < Math.Min(openA.OpenedColumns, openB.OpenedColumns); q++)
                for (int k = 0; k < openA.Rows; k++) Assert.NotEqual(openA.Column(q)[k], openB.Column(q)[k]);
        }
    }

    /// <summary>
    /// The leak a single base-field mask row had: with u = E M + z rho (rho base-field), u's two coordinates give
    /// Im(z) Re(u) - Re(z) Im(u), a base-field combination of the data rows alone. With extension-field masks this
    /// combination is uniform: across masks it changes, while for a fixed witness the leaked combination would not.
    /// </summary>
    [Fact]
    public void TheCoordinateCombinationOfAnEvaluationRowIsMasked()
    {
        var rng = new Random(11);
        var table = Naive.RandomTable(rng, 4);
        var point = Naive.RandomPoint(rng, 4);
        var leaks = new HashSet<ulong>();
        for (int trial = 0; trial < 8; trial++)
        {
            var data = LigeroPcs.Commit(MaskParameters, table, new Random(trial));
            var opening = LigeroPcs.OpenHiding(NewTranscript(), data, point, 0, 0, out _);
            GoldilocksExt2 z = point[0] * (GoldilocksExt2.One - point[0]);
            var u = opening.EvaluationRow(0)[0];
            leaks.Add((z.C1 * u.C0 - z.C0 * u.C1).Value);
        }
        Assert.Equal(8, leaks.Count);
    }

    private sealed record Instance(Goldilocks[] A, Goldilocks[] B, GoldilocksExt2[] P, LigeroProverData CommitA, LigeroProverData CommitB, ZkSumcheckMaskSet Masks, ZkSumcheckShape Shape);

    /// <summary>sum_x eq(p, x) A'(x) B'(x) with A and B in hiding commitments (one slot each), mask variable v.</summary>
    private static Instance NewInstance(int seed, int n, int v, Random masking)
    {
        var rng = new Random(seed);
        var a = Naive.RandomTable(rng, n);
        var b = Naive.RandomTable(rng, n);
        var p = Naive.RandomPoint(rng, n);
        var shape = new ZkSumcheckShape(n, 3, 2, v);
        return new Instance(a, b, p, LigeroPcs.Commit(MaskParameters, a, masking), LigeroPcs.Commit(MaskParameters, b, masking),
            ZkSumcheckMaskSet.Commit(MaskParameters, [shape], masking), shape);
    }

    private static void AbsorbCommitments(Transcript transcript, Instance instance)
    {
        instance.Masks.Commitment.AbsorbInto(transcript);
        instance.CommitA.Commitment.AbsorbInto(transcript);
        instance.CommitB.Commitment.AbsorbInto(transcript);
    }

    private sealed record Run(ZkSumcheckProverResult Result, byte[] OpeningA, byte[] OpeningB, byte[] MaskOpening, GoldilocksExt2[] Values, GoldilocksExt2 MaskValue);

    /// <summary>The prover's whole flow: masks and commitments absorbed, the sumcheck, then the three openings at its point.</summary>
    private static Run Prove(Instance instance)
    {
        var transcript = NewTranscript();
        AbsorbCommitments(transcript, instance);
        var eq = Naive.EqTable(instance.P);
        var result = ZkSumcheck.Prove(transcript, instance.Masks, 0, new ZkSumcheckFactor(eq),
            ZkSumcheckFactor.Masked(instance.A, instance.CommitA.EvaluationMask(0)), ZkSumcheckFactor.Masked(instance.B, instance.CommitB.EvaluationMask(0)));
        var point = result.Reduction.Point.ToArray();
        int v = instance.Shape.MaskVariable;
        var openA = LigeroPcs.OpenHiding(transcript, instance.CommitA, point, 0, v, out var valueA).ToBytes();
        var openB = LigeroPcs.OpenHiding(transcript, instance.CommitB, point, 0, v, out var valueB).ToBytes();
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = instance.Masks.Open(transcript, [point], maskValues).ToBytes();
        return new Run(result, openA, openB, maskOpening, [valueA, valueB], maskValues[0]);
    }

    /// <summary>The verifier's whole flow; false on any failure or malformed bytes.</summary>
    private static bool Verify(Instance instance, GoldilocksExt2 claim, byte[] proof, byte[] openA, byte[] openB, byte[] maskOpening)
    {
        try
        {
            var transcript = NewTranscript();
            AbsorbCommitments(transcript, instance);
            if (!ZkSumcheck.Verify(transcript, instance.Shape, claim, proof, out var reduction)) return false;
            var point = reduction.Point.ToArray();
            int v = instance.Shape.MaskVariable;
            if (reduction.Evaluations[0] != Naive.Evaluate(Naive.EqTable(instance.P), point)) return false;
            if (!LigeroPcs.VerifyHiding(transcript, instance.CommitA.Commitment, point, 0, v, reduction.Evaluations[1], openA)) return false;
            if (!LigeroPcs.VerifyHiding(transcript, instance.CommitB.Commitment, point, 0, v, reduction.Evaluations[2], openB)) return false;
            return ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [point], [reduction.MaskValue], LigeroOpening.FromBytes(maskOpening));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 12)]
    public void TheZeroKnowledgeSumcheckProvesTheSumAndItsValuesAreTheMaskedExtensions(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 6), v = rng.Next(n);
        var instance = NewInstance(seed, n, v, rng);
        var run = Prove(instance);
        var eq = Naive.EqTable(instance.P);
        GoldilocksExt2 expected = GoldilocksExt2.Zero;
        for (int x = 0; x < eq.Length; x++) expected += eq[x] * instance.A[x] * instance.B[x];
        Assert.Equal(expected, run.Result.Claim);
        var point = run.Result.Reduction.Point.ToArray();
        var evaluations = run.Result.Reduction.Evaluations;
        Assert.Equal(MaskedValue(instance.CommitA, instance.A, point, 0, v), evaluations[1]);
        Assert.Equal(MaskedValue(instance.CommitB, instance.B, point, 0, v), evaluations[2]);
        Assert.Equal(run.Values[0], evaluations[1]);
        Assert.Equal(run.Values[1], evaluations[2]);
        Assert.Equal(run.MaskValue, run.Result.Reduction.MaskValue);
        Assert.True(Verify(instance, run.Result.Claim, run.Result.Proof.ToBytes(), run.OpeningA, run.OpeningB, run.MaskOpening));
    }

    [Fact]
    public void EveryValueTheVerifierSeesChangesWithTheMaskingRandomnessAndNoneIsAnUnmaskedEvaluation()
    {
        var first = NewInstance(5, 4, 1, new Random(100));
        var second = NewInstance(5, 4, 1, new Random(200));
        var x = Prove(first);
        var y = Prove(second);
        Assert.Equal(x.Result.Claim, y.Result.Claim);
        Assert.NotEqual(first.Masks.Commitment.Root.ToArray(), second.Masks.Commitment.Root.ToArray());
        Assert.NotEqual(x.Result.Proof.MaskSum, y.Result.Proof.MaskSum);
        // Round 0's first value already differs; later rounds differ in their points too, so compare every value.
        for (int i = 0; i < x.Result.Proof.RoundMessages.Length; i++) Assert.NotEqual(x.Result.Proof.RoundMessages[i], y.Result.Proof.RoundMessages[i]);
        for (int j = 1; j < 3; j++) Assert.NotEqual(x.Result.Proof.FinalEvaluations[j], y.Result.Proof.FinalEvaluations[j]);
        Assert.NotEqual(x.Result.Proof.MaskValue, y.Result.Proof.MaskValue);
        var point = x.Result.Reduction.Point.ToArray();
        Assert.NotEqual(Naive.Evaluate(first.A, point), x.Result.Proof.FinalEvaluations[1]);
        Assert.NotEqual(Naive.Evaluate(first.B, point), x.Result.Proof.FinalEvaluations[2]);
        // The round polynomials are not those of the unmasked product.
        var unmasked = ProductSumcheck.ProveInPlace(NewTranscript("unmasked"), Naive.EqTable(first.P), first.A.Select(v => (GoldilocksExt2)v).ToArray(),
            first.B.Select(v => (GoldilocksExt2)v).ToArray());
        Assert.NotEqual(unmasked.Proof.RoundMessages[0], x.Result.Proof.RoundMessages[0]);
        foreach (var (a, b) in new[] { (x.OpeningA, y.OpeningA), (x.OpeningB, y.OpeningB), (x.MaskOpening, y.MaskOpening) })
        {
            var (oa, ob) = (LigeroOpening.FromBytes(a), LigeroOpening.FromBytes(b));
            for (int c = 0; c < oa.MessageLength; c++)
            {
                Assert.NotEqual(oa.EvaluationRow(0)[c], ob.EvaluationRow(0)[c]);
                Assert.NotEqual(oa.ProximityRow[c], ob.ProximityRow[c]);
            }
            for (int q = 0; q < Math.Min(oa.OpenedColumns, ob.OpenedColumns); q++)
                for (int k = 0; k < oa.Rows; k++) Assert.NotEqual(oa.Column(q)[k], ob.Column(q)[k]);
        }
        // The mask opening's row shows g'(r) at the sumcheck's column and nothing of the coefficients.
        var maskRow = LigeroOpening.FromBytes(x.MaskOpening).EvaluationRow(0);
        Assert.Equal(x.MaskValue, maskRow[0]);
    }

    [Fact]
    public void ForgedClaimsBitFlipsTruncationsReorderingsAndSkippedChecksAreRejected()
    {
        var instance = NewInstance(9, 4, 2, new Random(1));
        var run = Prove(instance);
        var proof = run.Result.Proof;
        var bytes = proof.ToBytes();
        GoldilocksExt2 claim = run.Result.Claim;
        Assert.True(Verify(instance, claim, bytes, run.OpeningA, run.OpeningB, run.MaskOpening));
        Assert.False(Verify(instance, claim + GoldilocksExt2.One, bytes, run.OpeningA, run.OpeningB, run.MaskOpening));
        for (int i = 6; i < bytes.Length; i += 7)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 1;
            Assert.False(Verify(instance, claim, flipped, run.OpeningA, run.OpeningB, run.MaskOpening));
        }
        Assert.False(Verify(instance, claim, bytes[..^1], run.OpeningA, run.OpeningB, run.MaskOpening));
        Assert.False(Verify(instance, claim, [.. bytes, 0], run.OpeningA, run.OpeningB, run.MaskOpening));
        // Two round values exchanged; the factor openings exchanged.
        var rounds = proof.RoundMessages.ToArray();
        (rounds[0], rounds[1]) = (rounds[1], rounds[0]);
        Assert.False(Verify(instance, claim, new ZkSumcheckProof(4, proof.MaskSum, rounds, proof.FinalEvaluations, proof.MaskValue).ToBytes(), run.OpeningA, run.OpeningB, run.MaskOpening));
        Assert.False(Verify(instance, claim, bytes, run.OpeningB, run.OpeningA, run.MaskOpening));
        // A prover that skips the consistency of its final values with the commitments: scaling f'_A(r) by c and f'_B(r)
        // by 1 / c keeps the product (the sumcheck's own check passes) but the openings refuse.
        GoldilocksExt2 c = GoldilocksExt2.FromUInt64(3);
        var finals = proof.FinalEvaluations.ToArray();
        finals[1] *= c;
        finals[2] *= GoldilocksExt2.Inverse(c);
        var skipped = new ZkSumcheckProof(4, proof.MaskSum, proof.RoundMessages, finals, proof.MaskValue);
        var t = NewTranscript();
        AbsorbCommitments(t, instance);
        Assert.True(ZkSumcheck.Verify(t, instance.Shape, claim, skipped, out _));
        Assert.False(Verify(instance, claim, skipped.ToBytes(), run.OpeningA, run.OpeningB, run.MaskOpening));
        // A prover that skips the mask: the mask value moved (with the round values left) fails the final check, and a mask
        // value that is not the committed mask's fails its opening even when the rest is consistent.
        Assert.False(Verify(instance, claim, new ZkSumcheckProof(4, proof.MaskSum, proof.RoundMessages, proof.FinalEvaluations, proof.MaskValue + GoldilocksExt2.One).ToBytes(),
            run.OpeningA, run.OpeningB, run.MaskOpening));
        // The mask set refuses a second opening, another layout, and a wrong value.
        Assert.Throws<InvalidOperationException>(() => instance.Masks.Open(NewTranscript(), [run.Result.Reduction.Point.ToArray()], new GoldilocksExt2[1]));
        var other = new ZkSumcheckShape(4, 3, 2, 1);
        Assert.False(ZkSumcheckMaskSet.Verify(NewTranscript(), instance.Masks.Commitment, [other, other], [run.Result.Reduction.Point.ToArray(), run.Result.Reduction.Point.ToArray()],
            new GoldilocksExt2[2], LigeroOpening.FromBytes(run.MaskOpening)));
    }

    [Fact]
    public void SeveralSumchecksShareOneMaskOpening()
    {
        var rng = new Random(21);
        ZkSumcheckShape[] shapes = [new(3, 2, 0, 0), new(5, 1, 1, 4), new(2, 3, 1, 1)];
        var masks = ZkSumcheckMaskSet.Commit(MaskParameters, shapes, rng);
        var tables = shapes.Select(s => Enumerable.Range(0, s.Factors).Select(_ => Naive.RandomTable(rng, s.Variables)).ToArray()).ToArray();
        var prover = NewTranscript();
        masks.Commitment.AbsorbInto(prover);
        var results = new List<ZkSumcheckProverResult>();
        for (int s = 0; s < shapes.Length; s++)
        {
            var factors = tables[s].Select((t, j) => j < shapes[s].MaskedFactors
                ? ZkSumcheckFactor.Masked(t, Naive.RandomPoint(rng, Math.Min(2, shapes[s].Variables)))
                : new ZkSumcheckFactor(t)).ToArray();
            var result = ZkSumcheck.Prove(prover, masks, s, factors);
            Assert.Equal(Naive.SumOfProducts(tables[s]), result.Claim.C0);
            for (int j = 0; j < factors.Length; j++)
                Assert.Equal(factors[j].Evaluate(result.Reduction.Point, shapes[s].MaskVariable), result.Reduction.Evaluations[j]);
            results.Add(result);
        }
        var points = results.Select(r => r.Reduction.Point.ToArray()).ToArray();
        var values = new GoldilocksExt2[shapes.Length];
        var opening = masks.Open(prover, points, values);
        for (int s = 0; s < shapes.Length; s++) Assert.Equal(results[s].Reduction.MaskValue, values[s]);

        var verifier = NewTranscript();
        masks.Commitment.AbsorbInto(verifier);
        for (int s = 0; s < shapes.Length; s++) Assert.True(ZkSumcheck.Verify(verifier, shapes[s], results[s].Claim, results[s].Proof.ToBytes(), out _));
        Assert.True(ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, shapes, points, values, LigeroOpening.FromBytes(opening.ToBytes())));
        values[1] += GoldilocksExt2.One;
        var again = NewTranscript();
        masks.Commitment.AbsorbInto(again);
        foreach (var (shape, result) in shapes.Zip(results)) ZkSumcheck.Verify(again, shape, result.Claim, result.Proof, out _);
        Assert.False(ZkSumcheckMaskSet.Verify(again, masks.Commitment, shapes, points, values, opening));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZkSumcheckShape(3, 4, 3, 0).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZkSumcheckShape(3, 2, 0, 3).Validate());
    }

    /// <summary>
    /// A linear relation between committed tables proven on the hypercube as a sum of products (C = 2 Z + R as the
    /// zero-check sum_x eq(p, x) (C - 2 Z - R) = 0): it verifies with claim 0, the values are the masked extensions, and
    /// a C that breaks the relation at one entry cannot be proven with claim 0.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALinearRelationIsAZeroCheckOverASumOfProducts(bool broken)
    {
        var rng = new Random(31);
        int n = 4, v = 1;
        var z = Naive.RandomTable(rng, n);
        var r = Naive.RandomTable(rng, n);
        var c = z.Zip(r, (a, b) => a + a + b).ToArray();
        if (broken) c[5] += Goldilocks.One;
        var p = Naive.RandomPoint(rng, n);
        var commits = new[] { c, z, r }.Select(t => LigeroPcs.Commit(MaskParameters, t, rng)).ToArray();
        var shape = new ZkSumcheckShape(n, 4, 3, v, TermFactors: 2);
        var masks = ZkSumcheckMaskSet.Commit(MaskParameters, [shape], rng);
        ZkSumcheckTerm[] terms = [new(GoldilocksExt2.One, [0, 1]), new(-GoldilocksExt2.FromUInt64(2), [0, 2]), new(-GoldilocksExt2.One, [0, 3])];
        var prover = NewTranscript();
        masks.Commitment.AbsorbInto(prover);
        foreach (var commit in commits) commit.Commitment.AbsorbInto(prover);
        var tables = new[] { c, z, r };
        var factors = new[] { new ZkSumcheckFactor(Naive.EqTable(p)) }
            .Concat(tables.Select((t, j) => ZkSumcheckFactor.Masked(t, commits[j].EvaluationMask(0)))).ToArray();
        var result = ZkSumcheck.Prove(prover, masks, 0, factors, terms);
        Assert.Equal(broken, result.Claim != GoldilocksExt2.Zero);
        var point = result.Reduction.Point.ToArray();
        var openings = commits.Select(commit => LigeroPcs.OpenHiding(prover, commit, point, 0, v, out _)).ToArray();
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = masks.Open(prover, [point], maskValues);

        var verifier = NewTranscript();
        masks.Commitment.AbsorbInto(verifier);
        foreach (var commit in commits) commit.Commitment.AbsorbInto(verifier);
        bool ok = ZkSumcheck.Verify(verifier, shape, terms, GoldilocksExt2.Zero, result.Proof, out var reduction);
        Assert.Equal(!broken, ok);
        if (broken) return;
        Assert.Equal(Naive.Evaluate(Naive.EqTable(p), point), reduction!.Evaluations[0]);
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(MaskedValue(commits[j], tables[j], point, 0, v), reduction.Evaluations[j + 1]);
            Assert.NotEqual(Naive.Evaluate(tables[j], point), reduction.Evaluations[j + 1]);
            Assert.True(LigeroPcs.VerifyHiding(verifier, commits[j].Commitment, point, 0, v, reduction.Evaluations[j + 1], openings[j]));
        }
        Assert.True(ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, [shape], [point], [reduction.MaskValue], maskOpening));
        Assert.Throws<ArgumentException>(() => ZkSumcheck.Prove(NewTranscript(), masks, 0, factors, [new ZkSumcheckTerm(GoldilocksExt2.One, [0, 1, 2])]));
    }

    /// <summary>
    /// The matrix product C~(r, s) = sum_k A~(r, k) B~(k, s) over masked A and B: the factors are the committed
    /// polynomials with the fixed coordinates restricted (A'(r, .), B'(., s)) and the mask variable a summed one (a k
    /// variable of both), so the sum is the unmasked product's while the final values are A'(r, k*) and B'(k*, s), which
    /// the hiding openings of A and B at those points confirm.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AMatrixProductSumsMaskedFactorsOverTheInnerDimension(int v)
    {
        var rng = new Random(41 + v);
        int a = 2, b = 3, c = 1;
        var ma = Naive.RandomTable(rng, a + b);
        var mb = Naive.RandomTable(rng, b + c);
        var r = Naive.RandomPoint(rng, a);
        var s = Naive.RandomPoint(rng, c);
        var commitA = LigeroPcs.Commit(MaskParameters, ma, rng);
        var commitB = LigeroPcs.Commit(MaskParameters, mb, rng);
        // A's mask is over its column variables, the last (a + b - ra): fix the row coordinates among them to r.
        var maskA = commitA.EvaluationMask(0);
        int fixedA = Math.Max(0, a - commitA.Commitment.RowVariables);
        maskA = ZkSumcheckFactor.Restrict(maskA, 0, r.AsSpan(a - fixedA));
        var maskB = commitB.EvaluationMask(0);
        int columnsB = b + c - commitB.Commitment.RowVariables, fixedB = Math.Min(c, columnsB);
        maskB = ZkSumcheckFactor.Restrict(maskB, columnsB - fixedB, s.AsSpan(c - fixedB));
        var shape = new ZkSumcheckShape(b, 2, 2, v);
        var masks = ZkSumcheckMaskSet.Commit(MaskParameters, [shape], rng);
        var prover = NewTranscript();
        foreach (var commitment in new[] { masks.Commitment, commitA.Commitment, commitB.Commitment }) commitment.AbsorbInto(prover);
        var result = ZkSumcheck.Prove(prover, masks, 0,
            ZkSumcheckFactor.Masked(ZkSumcheckFactor.Restrict(ma, 0, r), maskA), ZkSumcheckFactor.Masked(ZkSumcheckFactor.Restrict(mb, b, s), maskB));
        var product = Naive.MatrixProduct(ma, mb, 1 << a, 1 << b, 1 << c);
        Assert.Equal(Naive.Evaluate(product, [.. r, .. s]), result.Claim);
        var k = result.Reduction.Point.ToArray();
        var openA = LigeroPcs.OpenHiding(prover, commitA, [.. r, .. k], 0, a + v, out var valueA);
        var openB = LigeroPcs.OpenHiding(prover, commitB, [.. k, .. s], 0, v, out var valueB);
        Assert.Equal(valueA, result.Reduction.Evaluations[0]);
        Assert.Equal(valueB, result.Reduction.Evaluations[1]);
        Assert.NotEqual(Naive.Evaluate(ma, [.. r, .. k]), valueA);
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = masks.Open(prover, [k], maskValues);

        var verifier = NewTranscript();
        foreach (var commitment in new[] { masks.Commitment, commitA.Commitment, commitB.Commitment }) commitment.AbsorbInto(verifier);
        Assert.True(ZkSumcheck.Verify(verifier, shape, result.Claim, result.Proof, out var reduction));
        Assert.True(LigeroPcs.VerifyHiding(verifier, commitA.Commitment, [.. r, .. reduction.Point], 0, a + v, reduction.Evaluations[0], openA));
        Assert.True(LigeroPcs.VerifyHiding(verifier, commitB.Commitment, [.. reduction.Point, .. s], 0, v, reduction.Evaluations[1], openB));
        Assert.True(ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, [shape], [k], [reduction.MaskValue], maskOpening));
    }

    [Fact]
    public void RestrictFixesAContiguousRangeOfVariables()
    {
        var rng = new Random(51);
        var table = Naive.RandomTable(rng, 5);
        var point = Naive.RandomPoint(rng, 5);
        var restricted = ZkSumcheckFactor.Restrict(table, 1, point.AsSpan(1, 2));
        Assert.Equal(Naive.Evaluate(table, point), Naive.Evaluate(restricted, [point[0], point[3], point[4]]));
    }

    /// <summary>
    /// A table claimed at several points (one evaluation slot each) opens them all under one query set; each value is
    /// that slot's masked extension, the slots and mask variables are bound, and every slot opens once.
    /// </summary>
    [Fact]
    public void SeveralPointsOfOneTableOpenUnderOneQuerySet()
    {
        var rng = new Random(61);
        int n = 6;
        var table = Naive.RandomTable(rng, n);
        var a = LigeroPcs.Commit(MaskParameters, table, 3, new Random(1));
        var b = LigeroPcs.Commit(MaskParameters, table, 3, new Random(2));
        Assert.Equal(3, a.Commitment.EvaluationMasks);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, n), Naive.RandomPoint(rng, n), Naive.RandomPoint(rng, n)];
        int[] slots = [2, 0, 1], variables = [0, 3, 5];
        var values = new GoldilocksExt2[3];
        var opening = LigeroPcs.OpenHiding(NewTranscript(), a, points, slots, variables, 0, values);
        var other = new GoldilocksExt2[3];
        var openingB = LigeroPcs.OpenHiding(NewTranscript(), b, points, slots, variables, 0, other);
        for (int p = 0; p < 3; p++)
        {
            Assert.Equal(MaskedValue(a, table, points[p], slots[p], variables[p]), values[p]);
            Assert.NotEqual(Naive.Evaluate(table, points[p]), values[p]);
            Assert.NotEqual(values[p], other[p]);
            for (int c = 0; c < opening.MessageLength; c++) Assert.NotEqual(opening.EvaluationRow(p)[c], openingB.EvaluationRow(p)[c]);
        }
        bool Verifies(int[] s, int[] v, GoldilocksExt2[] x) =>
            LigeroPcs.VerifyHiding(NewTranscript(), a.Commitment, points, s, v, 0, x, LigeroOpening.FromBytes(opening.ToBytes()));
        Assert.True(Verifies(slots, variables, values));
        Assert.False(Verifies([0, 2, 1], variables, values));
        Assert.False(Verifies(slots, [0, 3, 4], values));
        Assert.False(Verifies(slots, variables, [values[0], values[1], values[2] + GoldilocksExt2.One]));
        Assert.Throws<InvalidOperationException>(() => LigeroPcs.OpenHiding(NewTranscript(), a, [points[0]], [1], [0], 0, new GoldilocksExt2[1]));
        Assert.Throws<ArgumentException>(() => LigeroPcs.Commit(LigeroParameters.Default, table, 2));
        var writer = new ProofWriter("TEST", 1);
        a.Commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        Assert.Equal(3, LigeroCommitment.ReadFrom(ref reader).EvaluationMasks);
    }

    /// <summary>
    /// A range lookup made zero knowledge from these primitives (README, "Zero knowledge", rule 4): rows w in [0, 16)
    /// with multiplicities m over the table t = 0..15 (zero-padded), the inverses h = 1 / (alpha - w) and
    /// g = m / (alpha - t) committed hiding after alpha (each as its two base-field coordinates), and one ZkSumcheck with
    /// claim 0 over the random combination of eq(tau, .) (h (alpha - w) - 1), eq(tau, .) (g (alpha - t) - m) and h - g.
    /// Every final value is a masked extension checked by its hiding opening; a row outside the table cannot be proven.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARangeLookupIsZeroKnowledgeWithCommittedInverses(bool outOfRange)
    {
        var rng = new Random(71);
        const int n = 5, v = 1;
        var w = Enumerable.Range(0, 1 << n).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(16))).ToArray();
        if (outOfRange) w[3] = Goldilocks.FromUInt64(16);
        var t = Enumerable.Range(0, 1 << n).Select(i => Goldilocks.FromUInt64((ulong)(i < 16 ? i : 0))).ToArray();
        var m = new Goldilocks[1 << n];
        foreach (var value in w)
            if (value.Value < 16) m[value.Value] += Goldilocks.One;
        var shape = new ZkSumcheckShape(n, 8, 6, v, TermFactors: 3, TermMaskedFactors: 2);
        var masks = ZkSumcheckMaskSet.Commit(MaskParameters, [shape], rng);
        var commitW = LigeroPcs.Commit(MaskParameters, w, rng);
        var commitM = LigeroPcs.Commit(MaskParameters, m, rng);
        var prover = NewTranscript();
        foreach (var c in new[] { masks.Commitment, commitW.Commitment, commitM.Commitment }) c.AbsorbInto(prover);
        GoldilocksExt2 alpha = prover.ChallengeExt("alpha");
        var h = w.Select(x => GoldilocksExt2.Inverse(alpha - x)).ToArray();
        var g = m.Zip(t, (count, entry) => count * GoldilocksExt2.Inverse(alpha - entry)).ToArray();
        Goldilocks[][] coordinates = [[.. h.Select(x => x.C0)], [.. h.Select(x => x.C1)], [.. g.Select(x => x.C0)], [.. g.Select(x => x.C1)]];
        var commitInverses = coordinates.Select(table => LigeroPcs.Commit(MaskParameters, table, rng)).ToArray();
        foreach (var c in commitInverses) c.Commitment.AbsorbInto(prover);
        var (tau, terms) = Challenges(prover, alpha);
        // Factors: 0 eq, 1 h0, 2 h1, 3 w, 4 g0, 5 g1, 6 m, 7 t.
        var committed = new[] { (coordinates[0], commitInverses[0]), (coordinates[1], commitInverses[1]), (w, commitW),
            (coordinates[2], commitInverses[2]), (coordinates[3], commitInverses[3]), (m, commitM) };
        var factors = new[] { new ZkSumcheckFactor(Naive.EqTable(tau)) }
            .Concat(committed.Select(c => ZkSumcheckFactor.Masked(c.Item1, c.Item2.EvaluationMask(0))))
            .Append(new ZkSumcheckFactor(t)).ToArray();
        var result = ZkSumcheck.Prove(prover, masks, 0, factors, terms);
        Assert.Equal(outOfRange, result.Claim != GoldilocksExt2.Zero);
        var point = result.Reduction.Point.ToArray();
        var openings = committed.Select(c => LigeroPcs.OpenHiding(prover, c.Item2, point, 0, v, out _)).ToArray();
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = masks.Open(prover, [point], maskValues);
        for (int j = 0; j < committed.Length; j++) Assert.NotEqual(Naive.Evaluate(committed[j].Item1, point), result.Reduction.Evaluations[j + 1]);

        var verifier = NewTranscript();
        foreach (var c in new[] { masks.Commitment, commitW.Commitment, commitM.Commitment }) c.AbsorbInto(verifier);
        GoldilocksExt2 alphaV = verifier.ChallengeExt("alpha");
        foreach (var c in commitInverses) c.Commitment.AbsorbInto(verifier);
        var (tauV, termsV) = Challenges(verifier, alphaV);
        bool ok = ZkSumcheck.Verify(verifier, shape, termsV, GoldilocksExt2.Zero, result.Proof, out var reduction);
        Assert.Equal(!outOfRange, ok);
        if (outOfRange) return;
        var r = reduction!.Point.ToArray();
        Assert.Equal(Naive.Evaluate(Naive.EqTable(tauV), r), reduction.Evaluations[0]);
        Assert.Equal(Naive.Evaluate(t, r), reduction.Evaluations[7]);
        for (int j = 0; j < committed.Length; j++)
            Assert.True(LigeroPcs.VerifyHiding(verifier, committed[j].Item2.Commitment, r, 0, v, reduction.Evaluations[j + 1], openings[j]));
        Assert.True(ZkSumcheckMaskSet.Verify(verifier, masks.Commitment, [shape], [r], [reduction.MaskValue], maskOpening));
    }

    /// <summary>tau and beta after the inverses' commitments, and the lookup's terms over the factors eq, h0, h1, w, g0, g1, m, t.</summary>
    private static (GoldilocksExt2[] Tau, ZkSumcheckTerm[] Terms) Challenges(Transcript transcript, GoldilocksExt2 alpha)
    {
        var tau = new GoldilocksExt2[5];
        transcript.ChallengeExt("tau", tau);
        GoldilocksExt2 beta = transcript.ChallengeExt("beta"), beta2 = beta * beta, x = new(Goldilocks.Zero, Goldilocks.One), one = GoldilocksExt2.One;
        ZkSumcheckTerm[] terms =
        [
            new(alpha, [0, 1]), new(alpha * x, [0, 2]), new(-one, [0, 1, 3]), new(-x, [0, 2, 3]), new(-one, [0]),
            new(beta * alpha, [0, 4]), new(beta * alpha * x, [0, 5]), new(-beta, [0, 4, 7]), new(-beta * x, [0, 5, 7]), new(-beta, [0, 6]),
            new(beta2, [1]), new(beta2 * x, [2]), new(-beta2, [4]), new(-beta2 * x, [5]),
        ];
        return (tau, terms);
    }

    /// <summary>
    /// The chain's forgery against a hiding commitment opened by two proofs: a root over half of f's encoded columns
    /// (masks and salts included) and half of g's, opened by "step t" through slot 1 as f and by "step t + 1" through
    /// slot 0 as g. Neither opening verifies: the data rows are still checked in the unique-decoding regime.
    /// </summary>
    [Fact]
    public void AMixedHidingCommitmentOpensAsNeitherPolynomialThroughEitherSlot()
    {
        var rng = new Random(81);
        var parameters = new LigeroParameters(2, 40, true, 2);
        var f = Naive.RandomTable(rng, 7);
        var g = Naive.RandomTable(rng, 7);
        var fData = LigeroPcs.Commit(parameters, f, rng);
        var gData = LigeroPcs.Commit(parameters, g, rng);
        int columns = (int)fData.Commitment.ColumnCount, rows = fData.Commitment.Rows;
        var codewords = new Goldilocks[rows][];
        for (int k = 0; k < rows; k++) codewords[k] = [.. fData.Codewords[k].Take(columns / 2), .. gData.Codewords[k].Skip(columns / 2)];
        byte[] salts = [.. fData.Salts.Take(16 * columns), .. gData.Salts.Skip(16 * columns)];
        var tree = new Hashing.Blake3MerkleTree(columns, fData.Commitment.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
            {
                var leaf = destination.Slice(j * fData.Commitment.LeafBytes, fData.Commitment.LeafBytes);
                for (int k = 0; k < rows; k++) codewords[k][first + j].WriteBytes(leaf.Slice(8 * k, 8));
                salts.AsSpan(32 * (first + j), 32).CopyTo(leaf[(8 * rows)..]);
            }
        });
        var commitment = new LigeroCommitment(parameters, 7, fData.Commitment.RowVariables, tree.Root);
        foreach (var (messages, slot) in new[] { (fData.Messages, 1), (gData.Messages, 0) })
        {
            var point = Naive.RandomPoint(rng, 7);
            var forged = new LigeroProverData(commitment, messages, codewords, salts, tree);
            var opening = LigeroPcs.OpenHiding(NewTranscript(), forged, point, slot, 3, out var value);
            Assert.False(VerifiesHiding(commitment, point, slot, 3, value, opening.ToBytes()));
        }
        // The honest commitments open through both slots.
        var honestPoint = Naive.RandomPoint(rng, 7);
        var honest = LigeroPcs.OpenHiding(NewTranscript(), fData, honestPoint, 1, 3, out var honestValue);
        Assert.True(VerifiesHiding(fData.Commitment, honestPoint, 1, 3, honestValue, honest.ToBytes()));
    }

    /// <summary>A distinguisher telling the zero table from a random one by the data entries of the columns two openings reveal is at chance.</summary>
    [Fact]
    public void TheColumnsOfTwoOpeningsDoNotDistinguishTheZeroTable()
    {
        var rng = new Random(91);
        int correct = 0, trials = 200;
        for (int trial = 0; trial < trials; trial++)
        {
            bool zero = rng.Next(2) == 0;
            var table = zero ? new Goldilocks[16] : Naive.RandomTable(rng, 4);
            var data = LigeroPcs.Commit(TwoOpenings, table, rng);
            var first = LigeroPcs.OpenHiding(NewTranscript(), data, Naive.RandomPoint(rng, 4), 0, 0, out _);
            var second = LigeroPcs.OpenHiding(NewTranscript(), data, Naive.RandomPoint(rng, 4), 1, 1, out _);
            int dataRows = data.Commitment.DataRows;
            bool guess = first.Column(0)[..dataRows].ToArray().Concat(second.Column(0)[..dataRows].ToArray()).All(v => v == Goldilocks.Zero);
            if (guess == zero) correct++;
        }
        Assert.InRange((double)correct / trials, 0.35, 0.65);
    }

    /// <summary>Random corruptions of a ZK sumcheck proof and of a hiding opening are refused with false or <see cref="ProofFormatException"/>, nothing else.</summary>
    [Property(MaxTest = 40)]
    public void CorruptedProofsAreRefusedWithFalseOrAFormatError(int seed)
    {
        var instance = NewInstance(3, 3, 0, new Random(5));
        var run = Prove(instance);
        var rng = new Random(seed);
        var proof = run.Result.Proof.ToBytes();
        var opening = run.OpeningA;
        foreach (var target in new[] { 0, 1 })
        {
            var bytes = (byte[])(target == 0 ? proof : opening).Clone();
            int edits = rng.Next(1, 4);
            for (int e = 0; e < edits; e++)
                switch (rng.Next(3))
                {
                    case 0: bytes[rng.Next(bytes.Length)] ^= (byte)rng.Next(1, 256); break;
                    case 1: bytes = bytes[..rng.Next(bytes.Length)]; break;
                    default: bytes = [.. bytes, (byte)rng.Next(256)]; break;
                }
            if (bytes.Length == 0) continue;
            bool accepted = target == 0
                ? Verify(instance, run.Result.Claim, bytes, run.OpeningA, run.OpeningB, run.MaskOpening)
                : Verify(instance, run.Result.Claim, proof, bytes, run.OpeningB, run.MaskOpening);
            Assert.False(accepted && !bytes.AsSpan().SequenceEqual(target == 0 ? proof : opening));
        }
    }
}
