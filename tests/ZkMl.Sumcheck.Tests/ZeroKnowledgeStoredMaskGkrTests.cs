using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkStoredMaskGkr"/>: a LogUp range check whose witness, multiplicities, leaf masks and every GKR mask live
/// in ONE hiding commitment, proven by the zero-knowledge GKR plus one <see cref="ZkLinearReduction"/> (one opening and
/// the reduction's mask set, instead of the GKR's two commitments and the leaves' openings).
/// </summary>
public class ZeroKnowledgeStoredMaskGkrTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);
    private const int Rows = 4, TableVariables = 9, OffsetW = 0, OffsetM = 16, MaskW = 32, MaskM = 34, Region = 128;

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkStoredGkr", Naive.Digest("stored-gkr"));

    private sealed record Instance(Goldilocks[] W, Goldilocks[] M, Goldilocks[] T, Goldilocks[] Table, LigeroProverData Data, ZkSumcheckMaskSet Masks);

    private static Instance NewInstance(bool outOfRange, Random masking)
    {
        var rng = new Random(21);
        var w = Enumerable.Range(0, 1 << Rows).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(16))).ToArray();
        if (outOfRange) w[3] = Goldilocks.FromUInt64(16);
        var t = Enumerable.Range(0, 1 << Rows).Select(i => Goldilocks.FromUInt64((ulong)i)).ToArray();
        var m = new Goldilocks[1 << Rows];
        foreach (var value in w)
            if (value.Value < 16) m[value.Value] += Goldilocks.One;
        Assert.Equal(1 << TableVariables, Region + ZkStoredMaskGkr.MaskEntries(Rows + 1, 2));
        Assert.Equal(0, Region % ZkStoredMaskGkr.Alignment(Rows + 1, 2));
        var table = new Goldilocks[1 << TableVariables];
        w.CopyTo(table, OffsetW);
        m.CopyTo(table, OffsetM);
        Naive.RandomTable(masking, TableVariables).AsSpan(MaskW, table.Length - MaskW).CopyTo(table.AsSpan(MaskW));
        return new Instance(w, m, t, table, LigeroPcs.Commit(Parameters, table, 1, masking),
            ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(TableVariables, 0)], masking));
    }

    /// <summary>The leaf claims: q'(0, r) = alpha - (w~(r) + z c_w) and p'(1, r) = -(m~(r) + z c_m), as functionals w~(r) + z c_w and m~(r) + z c_m.</summary>
    private static (ZkLinearClaim[] Claims, GoldilocksExt2[] Values) LeafClaims(GoldilocksExt2 alpha, ZkFractionalSumReduction reduction)
    {
        var r = reduction.Point.ToArray();
        GoldilocksExt2 z = r[^1] * (GoldilocksExt2.One - r[^1]); // the last step's mask variable is its last
        return ([new(ZkLinearTerm.Eq(OffsetW, GoldilocksExt2.One, r), ZkLinearTerm.Scalar(MaskW, z)), new(ZkLinearTerm.Eq(OffsetM, GoldilocksExt2.One, r), ZkLinearTerm.Scalar(MaskM, z))],
            [alpha - reduction.LeafValues[2], -reduction.LeafValues[1]]);
    }

    private sealed record Run(GoldilocksExt2 Alpha, ZkStoredMaskGkrResult Gkr, ZkLinearReductionProof Reduction, LigeroOpening MaskOpening);

    private static Run Prove(Instance instance)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        instance.Data.Commitment.AbsorbInto(transcript);
        GoldilocksExt2 alpha = transcript.ChallengeExt("alpha");
        var table = instance.Table;
        ZkSumcheckFactor[] leaves =
        [
            new([.. Enumerable.Repeat(GoldilocksExt2.One, 1 << Rows)]),
            ZkSumcheckFactor.Masked([.. instance.M.Select(x => -(GoldilocksExt2)x)], [-new GoldilocksExt2(table[MaskM], table[MaskM + 1])]),
            ZkSumcheckFactor.Masked([.. instance.W.Select(x => alpha - x)], [-new GoldilocksExt2(table[MaskW], table[MaskW + 1])]),
            new([.. instance.T.Select(x => alpha - x)]),
        ];
        var gkr = ZkStoredMaskGkr.Prove(transcript, leaves, table, Region);
        var (leafClaims, leafValues) = LeafClaims(alpha, gkr.Reduction);
        var reduction = ZkLinearReduction.Prove(transcript, instance.Data, 0, 0, instance.Masks, 0, [.. leafClaims, .. gkr.Claims], [.. leafValues, .. gkr.Values], out var result);
        var maskOpening = instance.Masks.Open(transcript, [result.Point.ToArray()], new GoldilocksExt2[1]);
        return new Run(alpha, gkr, reduction, maskOpening);
    }

    private static bool Verify(Instance instance, ZkSumcheckProof[] steps, ZkLinearReductionProof reductionProof, LigeroOpening maskOpening, int forge = -1)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        instance.Data.Commitment.AbsorbInto(transcript);
        GoldilocksExt2 alpha = transcript.ChallengeExt("alpha");
        if (!ZkStoredMaskGkr.Verify(transcript, Rows + 1, 2, steps, Region, 0, out var gkr, out var claims, out var values)) return false;
        var r = gkr.Point.ToArray();
        if (gkr.LeafValues[0] != GoldilocksExt2.One || gkr.LeafValues[3] != alpha - Naive.Evaluate(instance.T, r)) return false;
        var (leafClaims, leafValues) = LeafClaims(alpha, gkr);
        GoldilocksExt2[] allValues = [.. leafValues, .. values];
        if (forge >= 0) allValues[forge] += GoldilocksExt2.One;
        if (!ZkLinearReduction.Verify(transcript, instance.Data.Commitment, 0, 0, ZkLinearReduction.Shape(TableVariables, 0), [.. leafClaims, .. claims], allValues,
            reductionProof, out var result)) return false;
        return ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [result.Point.ToArray()], [result.MaskValue], maskOpening);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARangeLookupWithEveryMaskInOneCommitmentVerifiesExactlyWhenInRange(bool outOfRange)
    {
        var instance = NewInstance(outOfRange, new Random(5));
        if (outOfRange)
        {
            // The honest prover's reduction refuses nothing (the claims are true of the table); the GKR's root sum is not 0.
            var run = Prove(instance);
            Assert.False(Verify(instance, run.Gkr.Steps, run.Reduction, run.MaskOpening));
            return;
        }
        var honest = Prove(instance);
        Assert.True(Verify(instance, honest.Gkr.Steps, honest.Reduction, honest.MaskOpening));
        // Every claimed value (leaf, Libra, carried mask) altered: the reduction refuses.
        for (int j = 0; j < 2 + honest.Gkr.Values.Length; j += 2) Assert.False(Verify(instance, honest.Gkr.Steps, honest.Reduction, honest.MaskOpening, j));
        // A step's carried mask final moved (the sumcheck's own check then fails), or two steps exchanged.
        var last = honest.Gkr.Steps[^1];
        var finals = last.FinalEvaluations.ToArray();
        finals[6] += GoldilocksExt2.One;
        ZkSumcheckProof[] moved = [.. honest.Gkr.Steps[..^1], new ZkSumcheckProof(last.Variables, last.MaskSum, last.RoundMessages, finals, last.MaskValue)];
        Assert.False(Verify(instance, moved, honest.Reduction, honest.MaskOpening));
        ZkSumcheckProof[] swapped = [.. honest.Gkr.Steps];
        (swapped[1], swapped[2]) = (swapped[2], swapped[1]);
        Assert.False(Verify(instance, swapped, honest.Reduction, honest.MaskOpening));
        Assert.Throws<ArgumentException>(() => ZkStoredMaskGkr.Verify(NewTranscript(), Rows + 1, 2, honest.Gkr.Steps, Region + 2, 0, out _, out _, out _));
    }

    [Fact]
    public void EveryValueTheVerifierSeesChangesWithTheMasksAndNoLeafValueIsUnmasked()
    {
        var first = NewInstance(false, new Random(100));
        var second = NewInstance(false, new Random(200));
        var (x, y) = (Prove(first), Prove(second));
        for (int s = 0; s < x.Gkr.Steps.Length; s++)
        {
            var (a, b) = (x.Gkr.Steps[s], y.Gkr.Steps[s]);
            Assert.NotEqual(a.MaskSum, b.MaskSum);
            for (int i = 0; i < a.RoundMessages.Length; i++) Assert.NotEqual(a.RoundMessages[i], b.RoundMessages[i]);
            // Every masked final: the root's two halves; the middle steps' children and carried mask; the last step's two masked leaves and carried mask.
            int[] masked = s == 0 ? [0, 1] : s == x.Gkr.Steps.Length - 1 ? [3, 4, 6] : [2, 3, 4, 5, 6];
            foreach (int j in masked) Assert.NotEqual(a.FinalEvaluations[j], b.FinalEvaluations[j]);
            Assert.NotEqual(a.MaskValue, b.MaskValue);
        }
        for (int j = 0; j < x.Gkr.Values.Length; j++) Assert.NotEqual(x.Gkr.Values[j], y.Gkr.Values[j]);
        var r = x.Gkr.Reduction.Point.ToArray();
        Assert.NotEqual(x.Alpha - Naive.Evaluate(first.W, r), x.Gkr.Reduction.LeafValues[2]);
        Assert.NotEqual(-Naive.Evaluate(first.M, r), x.Gkr.Reduction.LeafValues[1]);
        var opening = (x.Reduction.Openings[0], y.Reduction.Openings[0]);
        for (int c = 0; c < opening.Item1.MessageLength; c++) Assert.NotEqual(opening.Item1.EvaluationRow(0)[c], opening.Item2.EvaluationRow(0)[c]);
    }
}
