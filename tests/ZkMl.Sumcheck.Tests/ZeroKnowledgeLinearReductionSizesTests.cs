using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkLinearReduction"/> over many commitments of mixed sizes (version 2: each commitment's term costs its own
/// size, the sumcheck runs over the largest one's variables): completeness, false claims on the smallest table, forged
/// final values, reordered, truncated and bit-flipped proofs, the old format refused, and every visible value changing with
/// the masking randomness.
/// </summary>
public class ZeroKnowledgeLinearReductionSizesTests
{
    private static readonly LigeroParameters Parameters = new(2, 8, true);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkLinearSizes", Naive.Digest("zk-linear-sizes"));

    /// <summary>Commitments of the given sizes, two claims each (an eq term on a half and a dense term), and one spanning the first and last.</summary>
    private sealed record Instance(Goldilocks[][] Tables, LigeroProverData[] Data, ZkSumcheckMaskSet Masks, ZkSumcheckShape Shape, ZkLinearClaim[] Claims, GoldilocksExt2[] Values)
    {
        public LigeroCommitment[] Commitments => [.. Data.Select(d => d.Commitment)];
        public int[] Slots => new int[Data.Length];
    }

    private static Instance NewInstance(int[] sizes, int seed, Random masking)
    {
        var rng = new Random(seed);
        var tables = sizes.Select(n => Naive.RandomTable(rng, n)).ToArray();
        var data = tables.Select(t => LigeroPcs.Commit(Parameters, t, masking)).ToArray();
        int n = sizes.Max();
        var shape = ZkLinearReduction.Shape(sizes, n - 1);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], masking);
        var claims = new List<ZkLinearClaim>();
        for (int c = 0; c < sizes.Length; c++)
        {
            int half = sizes[c] - 1;
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq((c % 2) << half, Naive.RandomPoint(rng, 1)[0], Naive.RandomPoint(rng, half), table: c)));
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Dense(0, Naive.RandomPoint(rng, 2), table: c), ZkLinearTerm.Scalar(2, Naive.RandomPoint(rng, 1)[0], table: c)));
        }
        claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, sizes[0]), table: 0),
            ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, sizes[^1]), table: sizes.Length - 1)));
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        return new Instance(tables, data, masks, shape, [.. claims], values);
    }

    private sealed record Run(ZkLinearReductionProof Proof, ZkSumcheckReduction Reduction, LigeroOpening MaskOpening);

    private static Run Prove(Instance instance)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        foreach (var d in instance.Data) d.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, instance.Data, instance.Slots, instance.Slots, instance.Masks, 0, instance.Claims, instance.Values, out var reduction);
        var opening = instance.Masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        return new Run(proof, reduction, opening);
    }

    private static bool Verify(Instance instance, byte[] proof, LigeroOpening maskOpening, GoldilocksExt2[]? values = null, LigeroCommitment[]? commitments = null)
    {
        try
        {
            var transcript = NewTranscript();
            instance.Masks.Commitment.AbsorbInto(transcript);
            foreach (var d in instance.Data) d.Commitment.AbsorbInto(transcript);
            return ZkLinearReduction.Verify(transcript, commitments ?? instance.Commitments, instance.Slots, instance.Slots, instance.Shape, instance.Claims,
                    values ?? instance.Values, ZkLinearReductionProof.FromBytes(proof), out var r)
                && ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [r.Point.ToArray()], [r.MaskValue], maskOpening);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>33 commitments of 3..9 variables (eight layers with biases: 2L + 2L + 1), one sumcheck over 9 variables.</summary>
    [Fact]
    public void ThirtyThreeCommitmentsOfMixedSizesReduceToOneOpeningEach()
    {
        int[] sizes = [9, .. Enumerable.Range(0, 32).Select(i => 3 + i % 7)];
        var instance = NewInstance(sizes, 1, new Random(2));
        var run = Prove(instance);
        Assert.Equal(33, run.Proof.Openings.Count);
        Assert.Equal(33, run.Proof.FinalValues.Length);
        var bytes = run.Proof.ToBytes();
        Assert.True(Verify(instance, bytes, run.MaskOpening));
        // The final values are masked: none is its table's own value at its part of the point.
        var point = run.Reduction.Point.ToArray();
        for (int c = 0; c < sizes.Length; c++)
            Assert.NotEqual(Naive.Evaluate(instance.Tables[c], point[(point.Length - sizes[c])..]), run.Proof.FinalValues[c]);
        // A false value on each of a few commitments, the smallest among them.
        foreach (int j in new[] { 0, 3, 2 * Array.IndexOf(sizes, 3), 2 * Array.IndexOf(sizes, 3) + 1, instance.Values.Length - 1 })
        {
            var forged = (GoldilocksExt2[])instance.Values.Clone();
            forged[j] += GoldilocksExt2.One;
            Assert.False(Verify(instance, bytes, run.MaskOpening, forged));
        }
        // Two openings exchanged, two commitments exchanged.
        var openings = run.Proof.Openings.ToArray();
        (openings[5], openings[6]) = (openings[6], openings[5]);
        Assert.False(Verify(instance, run.Proof.WithOpenings(openings).ToBytes(), run.MaskOpening));
        var commitments = instance.Commitments;
        (commitments[1], commitments[8]) = (commitments[8], commitments[1]);
        Assert.False(Verify(instance, bytes, run.MaskOpening, commitments: commitments));
    }

    /// <summary>A table of 2^3 entries beside one of 2^12: a false claim on the small one, forged finals, flipped and cut bytes.</summary>
    [Fact]
    public void VeryDifferentSizesKeepEveryCheck()
    {
        var instance = NewInstance([12, 3, 5], 3, new Random(4));
        var run = Prove(instance);
        var bytes = run.Proof.ToBytes();
        Assert.True(Verify(instance, bytes, run.MaskOpening));

        // False claims on the 2^3 table (its eq claim, its dense claim).
        for (int j = 2; j < 4; j++)
        {
            var forged = (GoldilocksExt2[])instance.Values.Clone();
            forged[j] -= GoldilocksExt2.FromUInt64(7);
            Assert.False(Verify(instance, bytes, run.MaskOpening, forged));
        }
        // The prover refuses a false value before sending anything.
        var other = NewInstance([12, 3, 5], 3, new Random(5));
        var wrong = (GoldilocksExt2[])other.Values.Clone();
        wrong[3] += GoldilocksExt2.One;
        var transcript = NewTranscript();
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Prove(transcript, other.Data, other.Slots, other.Slots, other.Masks, 0, other.Claims, wrong, out _));

        // Forged final values, mask sum, mask value, a round message.
        var p = run.Proof;
        for (int c = 0; c < 3; c++)
        {
            var finals = p.FinalValues.ToArray();
            finals[c] += GoldilocksExt2.One;
            Assert.False(Verify(instance, new ZkLinearReductionProof(p.Variables, p.MaskSum, p.RoundMessages, finals, p.MaskValue, p.Openings).ToBytes(), run.MaskOpening));
        }
        Assert.False(Verify(instance, new ZkLinearReductionProof(p.Variables, p.MaskSum + GoldilocksExt2.One, p.RoundMessages, p.FinalValues, p.MaskValue, p.Openings).ToBytes(), run.MaskOpening));
        Assert.False(Verify(instance, new ZkLinearReductionProof(p.Variables, p.MaskSum, p.RoundMessages, p.FinalValues, p.MaskValue + GoldilocksExt2.One, p.Openings).ToBytes(), run.MaskOpening));
        var rounds = p.RoundMessages.ToArray();
        rounds[^1] += GoldilocksExt2.One;
        Assert.False(Verify(instance, new ZkLinearReductionProof(p.Variables, p.MaskSum, rounds, p.FinalValues, p.MaskValue, p.Openings).ToBytes(), run.MaskOpening));
        // Reordered openings, a missing one.
        Assert.False(Verify(instance, p.WithOpenings([p.Openings[0], p.Openings[2], p.Openings[1]]).ToBytes(), run.MaskOpening));
        Assert.False(Verify(instance, new ZkLinearReductionProof(p.Variables, p.MaskSum, p.RoundMessages, p.FinalValues[..2], p.MaskValue, p.Openings.Take(2).ToArray()).ToBytes(),
            run.MaskOpening));

        // Bit flips across the whole proof, truncation, a trailing byte, and the old format version.
        for (int i = 6; i < bytes.Length; i += 97)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x10;
            Assert.False(Verify(instance, flipped, run.MaskOpening));
        }
        Assert.False(Verify(instance, bytes[..^1], run.MaskOpening));
        Assert.False(Verify(instance, bytes[..(bytes.Length / 2)], run.MaskOpening));
        Assert.False(Verify(instance, [.. bytes, 0], run.MaskOpening));
        var old = (byte[])bytes.Clone();
        old[4] = 1;
        old[5] = 0;
        var e = Assert.Throws<ProofFormatException>(() => ZkLinearReductionProof.FromBytes(old));
        Assert.Contains("version 1", e.Message);
    }

    /// <summary>A 2^15 table whose eq terms span several blocks of the prover's parallel Lambda pass (blocks of 2^12).</summary>
    [Fact]
    public void TermsSpanningSeveralLambdaBlocksAreCompleteAndSound()
    {
        var instance = NewInstance([15, 4], 12, new Random(13));
        var run = Prove(instance);
        Assert.True(Verify(instance, run.Proof.ToBytes(), run.MaskOpening));
        var forged = (GoldilocksExt2[])instance.Values.Clone();
        forged[0] += GoldilocksExt2.One;
        Assert.False(Verify(instance, run.Proof.ToBytes(), run.MaskOpening, forged));
    }

    /// <summary>Commitments of one and two variables beside a 2^6 one (the mask round is then their first and only round).</summary>
    [Fact]
    public void OneVariableCommitmentsWork()
    {
        var rng = new Random(31);
        int[] sizes = [6, 1, 1, 2];
        var tables = sizes.Select(n => Naive.RandomTable(rng, n)).ToArray();
        var data = tables.Select(t => LigeroPcs.Commit(Parameters, t, rng)).ToArray();
        var shape = ZkLinearReduction.Shape(sizes, 5);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], rng);
        ZkLinearClaim[] claims =
        [
            new(ZkLinearTerm.Eq(0, Naive.RandomPoint(rng, 1)[0], Naive.RandomPoint(rng, 6))),
            new(ZkLinearTerm.Eq(1, GoldilocksExt2.One, [], table: 1), ZkLinearTerm.Dense(0, Naive.RandomPoint(rng, 2), table: 2)),
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 1), table: 1)),
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 2), table: 3)),
        ];
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        var instance = new Instance(tables, data, masks, shape, claims, values);
        var run = Prove(instance);
        var bytes = run.Proof.ToBytes();
        Assert.True(Verify(instance, bytes, run.MaskOpening));
        for (int j = 0; j < values.Length; j++)
        {
            var forged = (GoldilocksExt2[])values.Clone();
            forged[j] += GoldilocksExt2.One;
            Assert.False(Verify(instance, bytes, run.MaskOpening, forged));
        }
    }

    /// <summary>The same tables and claims under other masking randomness: every value the verifier sees differs.</summary>
    [Fact]
    public void EveryVisibleValueChangesWithTheMasks()
    {
        int[] sizes = [10, 3, 6, 6];
        var first = NewInstance(sizes, 9, new Random(10));
        var second = NewInstance(sizes, 9, new Random(11));
        Assert.Equal(first.Values, second.Values);
        var x = Prove(first).Proof;
        var y = Prove(second).Proof;
        Assert.NotEqual(x.MaskSum, y.MaskSum);
        Assert.NotEqual(x.MaskValue, y.MaskValue);
        Assert.Equal(x.RoundMessages.Length, y.RoundMessages.Length);
        for (int i = 0; i < x.RoundMessages.Length; i++) Assert.NotEqual(x.RoundMessages[i], y.RoundMessages[i]);
        for (int c = 0; c < sizes.Length; c++)
        {
            Assert.NotEqual(x.FinalValues[c], y.FinalValues[c]);
            var (a, b) = (x.Openings[c], y.Openings[c]);
            for (int k = 0; k < a.MessageLength; k++)
            {
                Assert.NotEqual(a.EvaluationRow(0)[k], b.EvaluationRow(0)[k]);
                Assert.NotEqual(a.ProximityRow[k], b.ProximityRow[k]);
            }
            for (int q = 0; q < Math.Min(a.OpenedColumns, b.OpenedColumns); q++)
                for (int k = 0; k < a.Rows; k++) Assert.NotEqual(a.Column(q)[k], b.Column(q)[k]);
        }
    }

    /// <summary>More than <see cref="ZkLinearReduction.MaxCommitments"/> commitments are refused before any work.</summary>
    [Fact]
    public void TheCommitmentLimitIsChecked()
    {
        Assert.Equal(64, ZkLinearReduction.MaxCommitments);
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Shape(Enumerable.Repeat(3, 65).ToArray(), 2));
        Assert.Equal(ZkLinearReduction.Shape(9, 8), ZkLinearReduction.Shape([9, .. Enumerable.Repeat(3, 63)], 8));
    }
}
