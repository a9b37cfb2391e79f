using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkLinearReduction"/>: masks stored as scalars in the committed table turn every masked final value into a
/// linear functional of that table, and any number of functionals reduce to one hiding opening. Checked for completeness
/// against the definitions, for every visible value changing with the prover's randomness and never being an unmasked
/// witness evaluation, and against forgeries.
/// </summary>
public class ZeroKnowledgeLinearReductionTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true);
    private static readonly GoldilocksExt2 X = new(Goldilocks.Zero, Goldilocks.One);
    private const int BlockVariables = 4, TableVariables = 7, BlockMaskVariable = 1, ReductionMaskVariable = 0;
    private const int OffsetA = 0, OffsetB = 16, MaskA = 32, MaskB = 34, Libra = 64;

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkLinear", Naive.Digest("zk-linear"));

    private static readonly ZkSumcheckShape BlockShape = new(BlockVariables, 3, 2, BlockMaskVariable);
    private static readonly ZkSumcheckShape ReductionShape = ZkLinearReduction.Shape(TableVariables, ReductionMaskVariable);

    /// <summary>
    /// F = [A (16) | B (16) | c_A, c_B as two base entries each, then random (32) | the block's Libra coefficients as base
    /// pairs, then random (64)], committed hiding with one slot; the block proves sum_x eq(p, x) A'(x) B'(x) with
    /// A' = A~ + x_v (1 - x_v) c_A, B' likewise, its Libra mask read from F; only the reduction's mask is in a mask set.
    /// </summary>
    private sealed record Instance(Goldilocks[] A, Goldilocks[] B, GoldilocksExt2[] P, Goldilocks[] Table, LigeroProverData Data, ZkSumcheckMaskSet Masks)
    {
        public GoldilocksExt2 MaskOf(int at) => new(Table[at], Table[at + 1]);
    }

    private static Instance NewInstance(int seed, Random masking)
    {
        var rng = new Random(seed);
        var a = Naive.RandomTable(rng, BlockVariables);
        var b = Naive.RandomTable(rng, BlockVariables);
        var p = Naive.RandomPoint(rng, BlockVariables);
        var table = new Goldilocks[1 << TableVariables];
        a.CopyTo(table, OffsetA);
        b.CopyTo(table, OffsetB);
        Naive.RandomTable(masking, 5).CopyTo(table, MaskA);
        Naive.RandomTable(masking, 6).CopyTo(table, Libra);
        return new Instance(a, b, p, table, LigeroPcs.Commit(Parameters, table, 1, masking), ZkSumcheckMaskSet.Commit(Parameters, [ReductionShape], masking));
    }

    /// <summary>The claims the block's finals are: f~(r) + r_v (1 - r_v) c, an eq term on the table's region plus the mask's two entries.</summary>
    private static ZkLinearClaim[] BlockClaims(GoldilocksExt2[] point)
    {
        GoldilocksExt2 z = point[BlockMaskVariable] * (GoldilocksExt2.One - point[BlockMaskVariable]);
        return
        [
            new(ZkLinearTerm.Eq(OffsetA, GoldilocksExt2.One, point), ZkLinearTerm.Scalar(MaskA, z)),
            new(ZkLinearTerm.Eq(OffsetB, GoldilocksExt2.One, point), ZkLinearTerm.Dense(MaskB, [z, z * X])),
            new(ZkLinearTerm.MaskValue(Libra, BlockShape, point)),
        ];
    }

    private sealed record Run(ZkSumcheckProverResult Block, ZkLinearReductionProof Reduction, ZkSumcheckReduction ReductionResult, byte[] MaskOpening, GoldilocksExt2[] MaskValues);

    private static void Absorb(Transcript transcript, Instance instance)
    {
        instance.Masks.Commitment.AbsorbInto(transcript);
        instance.Data.Commitment.AbsorbInto(transcript);
    }

    private static Run Prove(Instance instance)
    {
        var transcript = NewTranscript();
        Absorb(transcript, instance);
        var block = ZkSumcheck.Prove(transcript, BlockShape, ZkLinearTerm.ReadPairs(instance.Table, Libra, BlockShape.MaskCoefficients),
            [new ZkSumcheckFactor(Naive.EqTable(instance.P)), ZkSumcheckFactor.Masked(instance.A, [instance.MaskOf(MaskA)]), ZkSumcheckFactor.Masked(instance.B, [instance.MaskOf(MaskB)])],
            [new ZkSumcheckTerm(GoldilocksExt2.One, [0, 1, 2])]);
        var point = block.Reduction.Point.ToArray();
        var reduction = ZkLinearReduction.Prove(transcript, instance.Data, 0, 0, instance.Masks, 0, BlockClaims(point),
            [.. block.Reduction.Evaluations[1..], block.Reduction.MaskValue], out var result);
        var maskValues = new GoldilocksExt2[1];
        var maskOpening = instance.Masks.Open(transcript, [result.Point.ToArray()], maskValues).ToBytes();
        return new Run(block, reduction, result, maskOpening, maskValues);
    }

    private static bool Verify(Instance instance, GoldilocksExt2 claim, ZkSumcheckProof block, byte[] reduction, byte[] maskOpening)
    {
        try
        {
            var transcript = NewTranscript();
            Absorb(transcript, instance);
            if (!ZkSumcheck.Verify(transcript, BlockShape, claim, block, out var blockResult)) return false;
            var point = blockResult.Point.ToArray();
            if (blockResult.Evaluations[0] != Naive.Evaluate(Naive.EqTable(instance.P), point)) return false;
            if (!ZkLinearReduction.Verify(transcript, instance.Data.Commitment, 0, 0, ReductionShape, BlockClaims(point),
                [.. blockResult.Evaluations[1..], blockResult.MaskValue], reduction, out var result))
                return false;
            return ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [result.Point.ToArray()],
                [result.MaskValue], LigeroOpening.FromBytes(maskOpening));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 8)]
    public void MaskedFinalValuesAreLinearFunctionalsAndOneOpeningProvesThem(int seed)
    {
        var instance = NewInstance(seed, new Random(seed ^ 0x5a5a));
        var run = Prove(instance);
        var point = run.Block.Reduction.Point.ToArray();
        GoldilocksExt2 z = point[BlockMaskVariable] * (GoldilocksExt2.One - point[BlockMaskVariable]);
        Assert.Equal(Naive.Evaluate(instance.A, point) + z * instance.MaskOf(MaskA), run.Block.Reduction.Evaluations[1]);
        Assert.Equal(Naive.Evaluate(instance.B, point) + z * instance.MaskOf(MaskB), run.Block.Reduction.Evaluations[2]);
        var claims = BlockClaims(point);
        Assert.Equal(claims[0].Apply(instance.Table), run.Block.Reduction.Evaluations[1]);
        Assert.Equal(claims[1].Apply(instance.Table), run.Block.Reduction.Evaluations[2]);
        Assert.Equal(claims[2].Apply(instance.Table), run.Block.Reduction.MaskValue);
        Assert.Equal(run.MaskValues[0], run.ReductionResult.MaskValue);
        Assert.True(Verify(instance, run.Block.Claim, run.Block.Proof, run.Reduction.ToBytes(), run.MaskOpening));
    }

    /// <summary>Random eq and dense functionals at random points and regions of one table, reduced and opened once.</summary>
    private static (ZkLinearClaim[] Claims, GoldilocksExt2[] Values) RandomClaims(Random rng, Goldilocks[] table, int count)
    {
        int n = Multilinear.VariableCount(table.Length);
        var claims = new ZkLinearClaim[count];
        for (int j = 0; j < count; j++)
        {
            int k = rng.Next(0, n + 1), region = rng.Next(1 << (n - k));
            var eq = ZkLinearTerm.Eq((long)region << k, Naive.RandomPoint(rng, 1)[0], Naive.RandomPoint(rng, k));
            int weights = rng.Next(1, 5), w = System.Numerics.BitOperations.Log2(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)weights));
            var dense = ZkLinearTerm.Dense((long)rng.Next(1 << (n - w)) << w, Naive.RandomPoint(rng, weights));
            claims[j] = new ZkLinearClaim(eq, dense);
        }
        return (claims, [.. claims.Select(c => c.Apply(table))]);
    }

    private static bool VerifyAlone(LigeroCommitment commitment, ZkSumcheckMaskSet masks, ZkLinearClaim[] claims, GoldilocksExt2[] values, byte[] proof, byte[] maskOpening,
        int opening = 0, int slot = 0)
    {
        try
        {
            var transcript = NewTranscript();
            masks.Commitment.AbsorbInto(transcript);
            commitment.AbsorbInto(transcript);
            var shape = ZkLinearReduction.Shape(commitment.Variables, 2);
            if (!ZkLinearReduction.Verify(transcript, commitment, opening, slot, shape, claims, values, proof, out var result)) return false;
            return ZkSumcheckMaskSet.Verify(transcript, masks.Commitment, masks.Shapes, [result.Point.ToArray()], [result.MaskValue], LigeroOpening.FromBytes(maskOpening));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Fact]
    public void ForgedValuesFunctionalsBitFlipsTruncationsAndSkippedChecksAreRejected()
    {
        var rng = new Random(41);
        const int n = 7;
        var table = Naive.RandomTable(rng, n);
        var data = LigeroPcs.Commit(Parameters, table, 1, rng);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(n, 2)], rng);
        var (claims, values) = RandomClaims(rng, table, 9);
        var transcript = NewTranscript();
        masks.Commitment.AbsorbInto(transcript);
        data.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, data, 0, 0, masks, 0, claims, values, out var result);
        var maskValue = new GoldilocksExt2[1];
        var maskOpening = masks.Open(transcript, [result.Point.ToArray()], maskValue).ToBytes();
        var bytes = proof.ToBytes();
        var commitment = data.Commitment;
        Assert.True(VerifyAlone(commitment, masks, claims, values, bytes, maskOpening));

        // Each value altered; two values exchanged; a functional moved to another region or point.
        for (int j = 0; j < values.Length; j++)
        {
            var forged = (GoldilocksExt2[])values.Clone();
            forged[j] += GoldilocksExt2.One;
            Assert.False(VerifyAlone(commitment, masks, claims, forged, bytes, maskOpening));
        }
        var swapped = (GoldilocksExt2[])values.Clone();
        (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
        Assert.False(VerifyAlone(commitment, masks, claims, swapped, bytes, maskOpening));
        var moved = (ZkLinearClaim[])claims.Clone();
        moved[3] = new ZkLinearClaim(ZkLinearTerm.Dense(0, [GoldilocksExt2.One]));
        Assert.False(VerifyAlone(commitment, masks, moved, values, bytes, maskOpening));
        // The honest prover refuses a false value.
        var refused = (GoldilocksExt2[])values.Clone();
        refused[2] += GoldilocksExt2.One;
        var fresh = LigeroPcs.Commit(Parameters, table, 1, rng);
        var freshMasks = ZkSumcheckMaskSet.Commit(Parameters, [ZkLinearReduction.Shape(n, 2)], rng);
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Prove(NewTranscript(), fresh, 0, 0, freshMasks, 0, claims, refused, out _));
        // Another slot, another opening slot, another commitment.
        Assert.Throws<ArgumentOutOfRangeException>(() => VerifyAlone(commitment, masks, claims, values, bytes, maskOpening, slot: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => VerifyAlone(commitment, masks, claims, values, bytes, maskOpening, opening: 1));
        Assert.False(VerifyAlone(fresh.Commitment, masks, claims, values, bytes, maskOpening));

        for (int i = 6; i < bytes.Length; i += 11)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 1;
            Assert.False(VerifyAlone(commitment, masks, claims, values, flipped, maskOpening));
        }
        Assert.False(VerifyAlone(commitment, masks, claims, values, bytes[..^1], maskOpening));
        Assert.False(VerifyAlone(commitment, masks, claims, values, [.. bytes, 0], maskOpening));

        // A prover that skips a check. Lambda(r) is the verifier's own (not sent), so a scaled F'(r) fails the sumcheck's
        // final check; the opening of another point fails.
        GoldilocksExt2 c = GoldilocksExt2.FromUInt64(5);
        var finals = proof.FinalValues.ToArray();
        finals[0] *= c;
        var scaled = new ZkLinearReductionProof(n, proof.MaskSum, proof.RoundMessages, finals, proof.MaskValue, proof.Openings);
        Assert.False(VerifyAlone(commitment, masks, claims, values, scaled.ToBytes(), maskOpening));
        var other = ZkLinearReduction.Prove(NewTranscript(), fresh, 0, 0, freshMasks, 0, claims, values, out _);
        Assert.False(VerifyAlone(commitment, masks, claims, values, proof.WithOpenings(other.Openings).ToBytes(), maskOpening));
        // A second use of the slot is refused.
        Assert.Throws<InvalidOperationException>(() => ZkLinearReduction.Prove(NewTranscript(), data, 0, 0, freshMasks, 0, claims, values, out _));
    }

    [Fact]
    public void EveryValueTheVerifierSeesChangesWithTheMaskingRandomnessAndNoneIsAnUnmaskedEvaluation()
    {
        var first = NewInstance(3, new Random(100));
        var second = NewInstance(3, new Random(200));
        Assert.Equal(first.A, second.A);
        Assert.Equal(first.B, second.B);
        var x = Prove(first);
        var y = Prove(second);
        Assert.Equal(x.Block.Claim, y.Block.Claim);

        var (bx, by) = (x.Block.Proof, y.Block.Proof);
        Assert.NotEqual(bx.MaskSum, by.MaskSum);
        for (int i = 0; i < bx.RoundMessages.Length; i++) Assert.NotEqual(bx.RoundMessages[i], by.RoundMessages[i]);
        for (int j = 1; j < 3; j++) Assert.NotEqual(bx.FinalEvaluations[j], by.FinalEvaluations[j]);
        Assert.NotEqual(bx.MaskValue, by.MaskValue);
        var (rx, ry) = (x.Reduction, y.Reduction);
        Assert.NotEqual(rx.MaskSum, ry.MaskSum);
        for (int i = 0; i < rx.RoundMessages.Length; i++) Assert.NotEqual(rx.RoundMessages[i], ry.RoundMessages[i]);
        Assert.NotEqual(rx.FinalValues[0], ry.FinalValues[0]);
        Assert.NotEqual(rx.MaskValue, ry.MaskValue);
        foreach (var (a, b) in new[] { (x.Reduction.Openings[0], y.Reduction.Openings[0]), (LigeroOpening.FromBytes(x.MaskOpening), LigeroOpening.FromBytes(y.MaskOpening)) })
        {
            for (int c = 0; c < a.MessageLength; c++)
            {
                Assert.NotEqual(a.EvaluationRow(0)[c], b.EvaluationRow(0)[c]);
                Assert.NotEqual(a.ProximityRow[c], b.ProximityRow[c]);
            }
            for (int q = 0; q < Math.Min(a.OpenedColumns, b.OpenedColumns); q++)
                for (int k = 0; k < a.Rows; k++) Assert.NotEqual(a.Column(q)[k], b.Column(q)[k]);
        }

        // None of the values is an unmasked evaluation of the witness at the proof's own points, nor is a difference of two.
        var point = x.Block.Reduction.Point.ToArray();
        GoldilocksExt2 ya = bx.FinalEvaluations[1], yb = bx.FinalEvaluations[2];
        GoldilocksExt2 a0 = Naive.Evaluate(first.A, point), b0 = Naive.Evaluate(first.B, point);
        Assert.NotEqual(a0, ya);
        Assert.NotEqual(b0, yb);
        Assert.NotEqual(a0 - b0, ya - yb);
        var reductionPoint = x.ReductionResult.Point.ToArray();
        var witnessOnly = (Goldilocks[])first.Table.Clone();
        Array.Clear(witnessOnly, MaskA, witnessOnly.Length - MaskA);
        foreach (var f in new[] { first.Table, witnessOnly })
        {
            Assert.NotEqual(Naive.Evaluate(f, reductionPoint), rx.FinalValues[0]);
            Assert.NotEqual(Naive.Evaluate(f, reductionPoint), x.Reduction.Openings[0].EvaluationRow(0)[0]);
        }
        Assert.NotEqual(Naive.Evaluate(first.A, reductionPoint[(TableVariables - BlockVariables)..]), rx.FinalValues[0]);
    }

    /// <summary>
    /// Two commitments of 7 and 5 variables (a stack and a weight matrix whose claims keep their mask scalars in the
    /// stack): claims spanning both, one sumcheck, one opening each.
    /// </summary>
    [Fact]
    public void ClaimsOnSeveralCommitmentsReduceToOneOpeningEach()
    {
        var rng = new Random(77);
        var stack = Naive.RandomTable(rng, 7);
        var weights = Naive.RandomTable(rng, 5);
        Goldilocks[][] tables = [stack, weights];
        var data = new[] { LigeroPcs.Commit(Parameters, stack, 1, rng), LigeroPcs.Commit(new LigeroParameters(2, 12, true, 2), weights, rng) };
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Shape([7, 5], 1));
        var shape = ZkLinearReduction.Shape([7, 5], 3);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], rng);
        var claims = new List<ZkLinearClaim>();
        for (int j = 0; j < 6; j++)
        {
            var point = Naive.RandomPoint(rng, 5);
            GoldilocksExt2 z = point[1] * (GoldilocksExt2.One - point[1]);
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, point, table: 1), ZkLinearTerm.Scalar(64 + 2 * j, z)));
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq(32, GoldilocksExt2.One, point), ZkLinearTerm.Scalar(96 + 2 * j, z)));
        }
        var values = claims.Select(c => c.Apply(tables)).ToArray();

        var transcript = NewTranscript();
        masks.Commitment.AbsorbInto(transcript);
        foreach (var d in data) d.Commitment.AbsorbInto(transcript);
        // Slot 1 of the weight matrix: the role a step's after-weights play (the next step opens slot 0).
        var proof = ZkLinearReduction.Prove(transcript, data, [0, 1], [0, 1], masks, 0, claims, values, out var result);
        var maskValue = new GoldilocksExt2[1];
        var maskOpening = masks.Open(transcript, [result.Point.ToArray()], maskValue);
        Assert.Equal(2, proof.Openings.Count);
        var bytes = proof.ToBytes();

        bool Verify(GoldilocksExt2[] v, byte[] b, int[] slots, LigeroCommitment[]? commitments = null)
        {
            try
            {
                var t = NewTranscript();
                masks.Commitment.AbsorbInto(t);
                foreach (var d in data) d.Commitment.AbsorbInto(t);
                return ZkLinearReduction.Verify(t, commitments ?? [.. data.Select(d => d.Commitment)], slots, slots, shape, claims, v, ZkLinearReductionProof.FromBytes(b), out var r)
                    && ZkSumcheckMaskSet.Verify(t, masks.Commitment, masks.Shapes, [r.Point.ToArray()], [r.MaskValue], maskOpening);
            }
            catch (ProofFormatException)
            {
                return false;
            }
        }

        Assert.True(Verify(values, bytes, [0, 1]));
        for (int j = 0; j < values.Length; j += 3)
        {
            var forged = (GoldilocksExt2[])values.Clone();
            forged[j] -= GoldilocksExt2.One;
            Assert.False(Verify(forged, bytes, [0, 1]));
        }
        Assert.False(Verify(values, bytes, [0, 0]));
        var swapped = proof.WithOpenings([proof.Openings[1], proof.Openings[0]]).ToBytes();
        Assert.False(Verify(values, swapped, [0, 1]));
        Assert.False(Verify(values, new ZkLinearReductionProof(proof.Variables, proof.MaskSum, proof.RoundMessages, proof.FinalValues[..1], proof.MaskValue, [proof.Openings[0]]).ToBytes(), [0, 1]));
        Assert.False(Verify(values, bytes[..^2], [0, 1]));
        // The reduction's final values are masked evaluations: neither is the table's own value at the point.
        var point7 = result.Point.ToArray();
        Assert.NotEqual(Naive.Evaluate(stack, point7), proof.FinalValues[0]);
        Assert.NotEqual(Naive.Evaluate(weights, point7[2..]), proof.FinalValues[1]);
    }

    /// <summary>The reduction's own Libra mask down one column of the table: no mask set, one opening with two functionals.</summary>
    [Fact]
    public void TheReductionsOwnMaskCanLiveInTheTable()
    {
        var rng = new Random(88);
        const int n = 12;
        int rowLength = ZkLinearReduction.RowLength(Parameters, n);
        var table = Naive.RandomTable(rng, n);
        var data = LigeroPcs.Commit(Parameters, table, 2, rng);
        Assert.Equal(rowLength, data.Commitment.RowLength);
        var mask = new ZkReductionMask(1, rowLength - 1, 1);
        // The claims avoid the mask's column: eq terms on the first half, dense terms in row 0.
        var claims = new ZkLinearClaim[7];
        for (int j = 0; j < claims.Length; j++)
            claims[j] = new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, n - 1)), ZkLinearTerm.Scalar(2 * j, Naive.RandomPoint(rng, 1)[0]));
        var values = claims.Select(c => c.Apply(table)).ToArray();
        var transcript = NewTranscript();
        data.Commitment.AbsorbInto(transcript);
        var proof = ZkLinearReduction.Prove(transcript, [data], [0], [0], mask, 3, claims, values, out var result);
        Assert.Single(proof.Openings);
        Assert.Equal(2, proof.Openings[0].Points);
        var bytes = proof.ToBytes();

        bool Verify(GoldilocksExt2[] v, byte[] b, ZkReductionMask m)
        {
            try
            {
                var t = NewTranscript();
                data.Commitment.AbsorbInto(t);
                return ZkLinearReduction.Verify(t, [data.Commitment], [0], [0], m, 3, claims, v, ZkLinearReductionProof.FromBytes(b), out _);
            }
            catch (ProofFormatException)
            {
                return false;
            }
        }

        Assert.True(Verify(values, bytes, mask));
        var forged = (GoldilocksExt2[])values.Clone();
        forged[4] += GoldilocksExt2.One;
        Assert.False(Verify(forged, bytes, mask));
        Assert.False(Verify(values, bytes, mask with { Column = rowLength - 2 }));
        Assert.False(Verify(values, bytes, mask with { Row = 2 }));
        Assert.Throws<ArgumentException>(() => Verify(values, bytes, mask with { Slot = 0 }));
        // A mask value that is not the committed mask's: the sumcheck's own final check fails.
        var moved = new ZkLinearReductionProof(n, proof.MaskSum, proof.RoundMessages, proof.FinalValues, proof.MaskValue + GoldilocksExt2.One, proof.Openings);
        Assert.False(Verify(values, moved.ToBytes(), mask));
        // The revealed value is g'(r) = g(r) + r_v (1 - r_v) sigma, not the column's unmasked combination g(r).
        var point = result.Point.ToArray();
        var shape = ZkLinearReduction.Shape(n, 3);
        var powers = shape.PowerTable(point, shape.MaskCoefficients);
        GoldilocksExt2 unmasked = GoldilocksExt2.Zero;
        for (int t = 0; t < powers.Length; t++) unmasked += powers[t] * table[(mask.Row + t) * rowLength + mask.Column];
        Assert.NotEqual(unmasked, result.MaskValue);
        Assert.Equal(result.MaskValue, proof.MaskValue);
    }
}
