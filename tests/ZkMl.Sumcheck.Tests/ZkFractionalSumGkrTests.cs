using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The zero-knowledge fractional-sum GKR: honest trees summing to zero verify and hand back the leaf factors' masked
/// values; trees that do not sum to zero, forged and corrupted proofs are refused; every visible value changes with
/// the prover's randomness and none is an unmasked evaluation of a layer or a leaf table.
/// </summary>
public class ZkFractionalSumGkrTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkGkr", Naive.Digest("gkr"));

    private sealed record Tree(GoldilocksExt2[] P, GoldilocksExt2[] Q, ZkSumcheckFactor[] Leaves, int Masked);

    private static GoldilocksExt2 Ext(Random rng) => new(Goldilocks.Random(rng), Goldilocks.Random(rng));

    /// <summary>Random leaves over n variables with sum p / q = 0 (the last numerator solved for), halves p(0, .) and q(1, .) plain, p(1, .) and q(0, .) masked as a LogUp's would be.</summary>
    private static Tree ZeroSumTree(Random rng, int n)
    {
        int size = 1 << n, half = size / 2;
        var p = new GoldilocksExt2[size];
        var q = new GoldilocksExt2[size];
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < size; i++)
        {
            q[i] = Ext(rng);
            if (i == size - 1) break;
            p[i] = Ext(rng);
            sum += p[i] * GoldilocksExt2.Inverse(q[i]);
        }
        p[size - 1] = -(sum * q[size - 1]);
        return WithLeaves(rng, p, q);
    }

    private static Tree WithLeaves(Random rng, GoldilocksExt2[] p, GoldilocksExt2[] q)
    {
        int half = p.Length / 2, maskLength = Math.Min(half, 2);
        GoldilocksExt2[] RandomMask() => [.. Enumerable.Range(0, maskLength).Select(_ => Ext(rng))];
        ZkSumcheckFactor[] leaves =
        [
            new(p.AsSpan(0, half)),
            ZkSumcheckFactor.Masked(p.AsSpan(half, half), RandomMask()),
            ZkSumcheckFactor.Masked(q.AsSpan(0, half), RandomMask()),
            new(q.AsSpan(half, half)),
        ];
        return new Tree(p, q, leaves, 2);
    }

    private static GoldilocksExt2 NaiveSum(GoldilocksExt2[] p, GoldilocksExt2[] q)
    {
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = 0; i < p.Length; i++) sum += p[i] * GoldilocksExt2.Inverse(q[i]);
        return sum;
    }

    private static bool Verifies(Tree tree, int n, byte[] bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkFractionalSumReduction? reduction) =>
        ZkFractionalSumGkr.Verify(NewTranscript(), Parameters, n, tree.Masked, bytes, out reduction);

    private static ZkFractionalSumGkrProverResult Prove(Tree tree, Random? random) => ZkFractionalSumGkr.Prove(NewTranscript(), Parameters, tree.Leaves, random);

    [Property(MaxTest = 8)]
    public void AnHonestZeroSumVerifiesAndHandsBackTheLeafValues(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(2, 6);
        var tree = ZeroSumTree(rng, n);
        Assert.Equal(GoldilocksExt2.Zero, NaiveSum(tree.P, tree.Q));
        var result = Prove(tree, rng);
        Assert.True(Verifies(tree, n, result.Proof.ToBytes(), out var reduction));
        Assert.Equal(result.Reduction.Point.ToArray(), reduction.Point.ToArray());
        for (int i = 0; i < 4; i++) Assert.Equal(tree.Leaves[i].Evaluate(reduction.Point, 0), reduction.LeafValues[i]);
    }

    [Fact]
    public void AWrongNumeratorOrDenominatorIsRefused()
    {
        var rng = new Random(11);
        const int n = 4;
        var tree = ZeroSumTree(rng, n);
        for (int side = 0; side < 2; side++)
        {
            var (p, q) = (tree.P.ToArray(), tree.Q.ToArray());
            (side == 0 ? p : q)[rng.Next(p.Length)] += GoldilocksExt2.One;
            var wrong = WithLeaves(rng, p, q);
            Assert.NotEqual(GoldilocksExt2.Zero, NaiveSum(p, q));
            Assert.False(Verifies(wrong, n, Prove(wrong, rng).Proof.ToBytes(), out _));
        }
    }

    [Fact]
    public void AProofForOtherLeavesFailsTheCallersLeafCheck()
    {
        var rng = new Random(12);
        const int n = 3;
        var tree = ZeroSumTree(rng, n);
        var other = ZeroSumTree(rng, n);
        Assert.True(Verifies(tree, n, Prove(tree, rng).Proof.ToBytes(), out var reduction));
        Assert.Contains(Enumerable.Range(0, 4), i => other.Leaves[i].Evaluate(reduction.Point, 0) != reduction.LeafValues[i]);
    }

    [Fact]
    public void AForgedRootStepIsRefused()
    {
        // A prover that claims P = 0 for a tree whose P is not: it keeps the honest rounds of the other steps but must
        // send step 1 for its real claim, which the verifier replays with claim 0.
        var rng = new Random(13);
        const int n = 3;
        var tree = ZeroSumTree(rng, n);
        var p = tree.P.ToArray();
        p[0] += GoldilocksExt2.One;
        var wrong = WithLeaves(rng, p, tree.Q);
        var proof = Prove(wrong, rng).Proof;
        var root = proof.Steps[0];
        var forged = new ZkSumcheckProof(root.Variables, root.MaskSum, root.RoundMessages, root.FinalEvaluations, root.MaskValue + GoldilocksExt2.One);
        var bytes = new ZkFractionalSumGkrProof(proof.MaskCommitment, proof.LayerCommitment, [forged, .. proof.Steps.Skip(1)], proof.MaskOpening, proof.LayerOpening).ToBytes();
        Assert.False(Verifies(wrong, n, bytes, out _));
        Assert.False(Verifies(wrong, n, proof.ToBytes(), out _));
    }

    [Fact]
    public void CorruptedTruncatedAndReorderedProofsAreRefused()
    {
        var rng = new Random(14);
        const int n = 4;
        var tree = ZeroSumTree(rng, n);
        var proof = Prove(tree, rng).Proof;
        var bytes = proof.ToBytes();
        Assert.True(Verifies(tree, n, bytes, out _));
        for (int trial = 0; trial < 60; trial++)
        {
            var flipped = bytes.ToArray();
            flipped[rng.Next(flipped.Length)] ^= (byte)(1 << rng.Next(8));
            Assert.False(Verifies(tree, n, flipped, out _));
        }
        foreach (int length in new[] { 0, 3, bytes.Length / 2, bytes.Length - 1 })
            Assert.False(Verifies(tree, n, bytes[..length], out _));
        Assert.False(Verifies(tree, n, [.. bytes, 0], out _));
        var steps = proof.Steps.ToArray();
        (steps[1], steps[2]) = (steps[2], steps[1]);
        Assert.False(Verifies(tree, n, new ZkFractionalSumGkrProof(proof.MaskCommitment, proof.LayerCommitment, steps, proof.MaskOpening, proof.LayerOpening).ToBytes(), out _));
        Assert.False(Verifies(tree, n, new ZkFractionalSumGkrProof(proof.LayerCommitment, proof.MaskCommitment, proof.Steps, proof.MaskOpening, proof.LayerOpening).ToBytes(), out _));
        Assert.False(Verifies(tree, n, new ZkFractionalSumGkrProof(proof.MaskCommitment, proof.LayerCommitment, proof.Steps, proof.LayerOpening, proof.MaskOpening).ToBytes(), out _));
        Assert.False(Verifies(tree, n + 1, bytes, out _));
        Assert.False(ZkFractionalSumGkr.Verify(NewTranscript(), Parameters, n, tree.Masked + 1, bytes, out _));
        Assert.False(ZkFractionalSumGkr.Verify(NewTranscript(), new LigeroParameters(2, 11, true), n, tree.Masked, bytes, out _));
    }

    [Fact]
    public void EveryVisibleValueChangesWithTheMasksAndNoneIsAnUnmaskedEvaluation()
    {
        var rng = new Random(15);
        const int n = 4;
        var tree = ZeroSumTree(rng, n);
        var a = Prove(tree, new Random(1)).Proof;
        var b = Prove(tree, new Random(2)).Proof;
        Assert.False(a.MaskCommitment.Root.SequenceEqual(b.MaskCommitment.Root));
        Assert.False(a.LayerCommitment.Root.SequenceEqual(b.LayerCommitment.Root));
        for (int s = 0; s < n; s++)
        {
            var (x, y) = (a.Steps[s], b.Steps[s]);
            Assert.NotEqual(x.MaskSum, y.MaskSum);
            Assert.NotEqual(x.MaskValue, y.MaskValue);
            for (int i = 0; i < x.RoundMessages.Length; i++) Assert.NotEqual(x.RoundMessages[i], y.RoundMessages[i]);
            for (int i = 0; i < x.FinalEvaluations.Length; i++) Assert.NotEqual(x.FinalEvaluations[i], y.FinalEvaluations[i]);
        }
        for (int i = 0; i < a.LayerOpening.Points; i++) Assert.NotEqual(a.LayerOpening.EvaluationRow(i)[i], b.LayerOpening.EvaluationRow(i)[i]);

        // The unmasked values a plain GKR would show at this proof's own points: every layer's children, their folds, the root.
        var layersP = new GoldilocksExt2[n + 1][];
        var layersQ = new GoldilocksExt2[n + 1][];
        (layersP[n], layersQ[n]) = (tree.P, tree.Q);
        for (int k = n; k >= 1; k--)
        {
            int half = 1 << (k - 1);
            layersP[k - 1] = [.. Enumerable.Range(0, half).Select(i => layersP[k][i] * layersQ[k][i + half] + layersP[k][i + half] * layersQ[k][i])];
            layersQ[k - 1] = [.. Enumerable.Range(0, half).Select(i => layersQ[k][i] * layersQ[k][i + half])];
        }
        Assert.True(ZkFractionalSumGkr.Verify(NewTranscript(), Parameters, n, tree.Masked, a, out var reduction));
        var points = reduction.StepPoints;
        var unmasked = new HashSet<GoldilocksExt2> { layersP[0][0], layersQ[0][0] };
        foreach (var v in layersP[1].Concat(layersQ[1])) unmasked.Add(v);
        GoldilocksExt2 r0 = points[0][0];
        unmasked.Add(Naive.Evaluate(layersP[1], [r0]));
        unmasked.Add(Naive.Evaluate(layersQ[1], [GoldilocksExt2.One - r0]));
        for (int k = 2; k <= n; k++)
        {
            var r = points[k - 1];
            foreach (var table in new[] { layersP[k], layersQ[k] })
            {
                int half = table.Length / 2;
                // The plain leaf halves p(0, .) and q(1, .) are public tables: only the witness halves count there.
                if (k < n || table == layersQ[n]) unmasked.Add(Naive.Evaluate(table[..half], r));
                if (k < n || table == layersP[n]) unmasked.Add(Naive.Evaluate(table[half..], r));
                if (k < n) unmasked.Add(Naive.Evaluate(table, [reduction.Folds[k - 2], .. r]));
            }
        }
        Assert.Equal(4 + 2 + 2 + 6 * (n - 2) + 2, unmasked.Count);
        foreach (var step in a.Steps)
        {
            Assert.DoesNotContain(step.MaskSum, unmasked);
            Assert.DoesNotContain(step.MaskValue, unmasked);
            foreach (var v in step.RoundMessages.ToArray().Concat(step.FinalEvaluations.ToArray())) Assert.DoesNotContain(v, unmasked);
        }
    }

    /// <summary>
    /// A LogUp range lookup made zero knowledge with the GKR: one tree over (witness side, table side), leaves
    /// 1 / (alpha - w) and -m / (alpha - t); w and m committed hiding, their halves masked with their slots' masks
    /// (mask variable 0), their leaf values checked by hiding openings at the GKR's point. A row outside the table cannot
    /// be proven.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARangeLookupIsZeroKnowledgeWithTheGkr(bool outOfRange)
    {
        var rng = new Random(21);
        const int rows = 4;
        var w = Enumerable.Range(0, 1 << rows).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(16))).ToArray();
        if (outOfRange) w[3] = Goldilocks.FromUInt64(16);
        var t = Enumerable.Range(0, 1 << rows).Select(i => Goldilocks.FromUInt64((ulong)i)).ToArray();
        var m = new Goldilocks[1 << rows];
        foreach (var value in w)
            if (value.Value < 16) m[value.Value] += Goldilocks.One;
        var commitW = LigeroPcs.Commit(Parameters, w, rng);
        var commitM = LigeroPcs.Commit(Parameters, m, rng);

        var prover = NewTranscript();
        commitW.Commitment.AbsorbInto(prover);
        commitM.Commitment.AbsorbInto(prover);
        GoldilocksExt2 alpha = prover.ChallengeExt("alpha");
        GoldilocksExt2[] Negated(GoldilocksExt2[] mask) => [.. mask.Select(x => -x)];
        ZkSumcheckFactor[] leaves =
        [
            new([.. Enumerable.Repeat(GoldilocksExt2.One, 1 << rows)]),
            ZkSumcheckFactor.Masked([.. m.Select(x => -(GoldilocksExt2)x)], Negated(commitM.EvaluationMask(0))),
            ZkSumcheckFactor.Masked([.. w.Select(x => alpha - x)], Negated(commitW.EvaluationMask(0))),
            new([.. t.Select(x => alpha - x)]),
        ];
        var result = ZkFractionalSumGkr.Prove(prover, Parameters, leaves, rng);
        var point = result.Reduction.Point.ToArray();
        var openW = LigeroPcs.OpenHiding(prover, commitW, point, 0, 0, out GoldilocksExt2 wValue);
        var openM = LigeroPcs.OpenHiding(prover, commitM, point, 0, 0, out GoldilocksExt2 mValue);
        Assert.Equal(alpha - wValue, result.Reduction.LeafValues[2]);
        Assert.Equal(-mValue, result.Reduction.LeafValues[1]);
        Assert.NotEqual(Naive.Evaluate(w, point), wValue);
        Assert.NotEqual(Naive.Evaluate(m, point), mValue);

        var verifier = NewTranscript();
        commitW.Commitment.AbsorbInto(verifier);
        commitM.Commitment.AbsorbInto(verifier);
        GoldilocksExt2 alphaV = verifier.ChallengeExt("alpha");
        bool ok = ZkFractionalSumGkr.Verify(verifier, Parameters, rows + 1, 2, result.Proof.ToBytes(), out var reduction);
        Assert.Equal(!outOfRange, ok);
        if (outOfRange) return;
        var r = reduction!.Point.ToArray();
        var values = reduction.LeafValues;
        Assert.Equal(GoldilocksExt2.One, values[0]);
        Assert.Equal(alphaV - Naive.Evaluate(t, r), values[3]);
        Assert.True(LigeroPcs.VerifyHiding(verifier, commitW.Commitment, r, 0, 0, alphaV - values[2], openW));
        Assert.True(LigeroPcs.VerifyHiding(verifier, commitM.Commitment, r, 0, 0, -values[1], openM));
    }
}
