using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// A malicious <see cref="ZkLinearReduction"/> (version 2) prover: it replays the prover's steps itself (claims, values,
/// beta, the lead-round shortcut, the openings), so every challenge is re-derived consistently, and cheats where the
/// honest prover would throw: a false value whose excess is charged to the smallest table's own sum (the one the lead
/// rounds send as (1 - X) sel S_C without reading the table), then final values patched to pass the combined check.
/// Also: the statement's shape (mask variable, commitment order and sizes) chosen by the prover, degree-bound violations
/// in the round messages, and count fields claiming gigabytes.
/// </summary>
public class AdversarialZkLinearReductionTests
{
    private static readonly LigeroParameters Parameters = new(2, 8, true);
    private static readonly int[] Sizes = [6, 3, 4];

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.AdversarialZkLinear", Naive.Digest("adversarial-zk-linear"));

    private sealed record Instance(Goldilocks[][] Tables, LigeroProverData[] Data, ZkSumcheckMaskSet Masks, ZkSumcheckShape Shape, ZkLinearClaim[] Claims, GoldilocksExt2[] Values)
    {
        public LigeroCommitment[] Commitments => [.. Data.Select(d => d.Commitment)];
        public int[] Slots => new int[Data.Length];
        public int[] Variables => [.. Data.Select(d => d.Commitment.Variables)];
    }

    private static Instance NewInstance(int seed, int[]? sizes = null)
    {
        sizes ??= Sizes;
        var rng = new Random(seed);
        var masking = new Random(seed + 100);
        var tables = sizes.Select(n => Naive.RandomTable(rng, n)).ToArray();
        var data = tables.Select(t => LigeroPcs.Commit(Parameters, t, masking)).ToArray();
        var shape = ZkLinearReduction.Shape(sizes, sizes.Max() - 1);
        var masks = ZkSumcheckMaskSet.Commit(Parameters, [shape], masking);
        var claims = new List<ZkLinearClaim>();
        for (int c = 0; c < sizes.Length; c++)
        {
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, sizes[c]), table: c)));
            claims.Add(new ZkLinearClaim(ZkLinearTerm.Dense(2, Naive.RandomPoint(rng, 2), table: c)));
        }
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        return new Instance(tables, data, masks, shape, [.. claims], values);
    }

    private static Transcript Started(Instance instance)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        foreach (var d in instance.Data) d.Commitment.AbsorbInto(transcript);
        return transcript;
    }

    private sealed record Forged(ZkLinearReductionProof Proof, LigeroOpening MaskOpening);

    /// <summary>
    /// The malicious prover: claims <paramref name="values"/> (possibly false); the difference between sum beta_j y_j and
    /// the tables' true combined sum is charged to table <paramref name="charged"/>'s sum S_C, which the lead rounds send
    /// without reading the table; with <paramref name="patch"/> it then sets that table's final value to whatever makes the
    /// verifier's combined check hold (before absorbing the finals, so the openings' challenges stay consistent).
    /// </summary>
    private static Forged Forge(Instance instance, GoldilocksExt2[] values, int charged, bool patch)
    {
        var transcript = Started(instance);
        var claims = instance.Claims;
        int k = instance.Data.Length, n = instance.Shape.Variables, v = instance.Shape.MaskVariable;
        var variables = instance.Variables;
        transcript.Absorb("zklr.claims", (ulong)claims.Length);
        foreach (var claim in claims) claim.AbsorbInto(transcript);
        transcript.Absorb("zklr.values", values);
        var beta = new GoldilocksExt2[claims.Length];
        transcript.ChallengeExt("zklr.beta", beta);
        var lambdas = new GoldilocksExt2[k][];
        var sums = new GoldilocksExt2[k];
        GoldilocksExt2 claimed = GoldilocksExt2.Zero, actual = GoldilocksExt2.Zero;
        for (int j = 0; j < claims.Length; j++) claimed += beta[j] * values[j];
        for (int c = 0; c < k; c++)
        {
            lambdas[c] = new GoldilocksExt2[1 << variables[c]];
            for (int j = 0; j < claims.Length; j++) claims[j].AddTo(c, lambdas[c], beta[j]);
            for (int i = 0; i < lambdas[c].Length; i++) sums[c] += lambdas[c][i] * instance.Tables[c][i];
            actual += sums[c];
        }
        sums[charged] += claimed - actual;
        var evaluationMasks = instance.Data.Select(d => d.EvaluationMask(0)).ToArray();
        // The rounds on a scratch copy of the transcript's state: the same absorptions on a fresh transcript.
        var scratch = Started(instance);
        scratch.Absorb("zklr.claims", (ulong)claims.Length);
        foreach (var claim in claims) claim.AbsorbInto(scratch);
        scratch.Absorb("zklr.values", values);
        scratch.ChallengeExt("zklr.beta", new GoldilocksExt2[claims.Length]);
        var result = ZkLinearReductionSumcheck.Prove(scratch, instance.Shape, variables, instance.Masks.Coefficients(0), instance.Tables, lambdas, evaluationMasks, sums);
        var finals = result.Finals.ToArray();
        GoldilocksExt2 claim0 = claimed;
        Assert.True(ZkLinearReductionSumcheck.Replay(NewReplay(instance, values), instance.Shape, variables, claim0, result.MaskSum, result.Messages, finals, result.MaskValue,
            out var point, out var running, out var rho));
        Assert.Equal(result.Point, point);
        if (patch)
        {
            GoldilocksExt2 rest = rho * result.MaskValue, own = GoldilocksExt2.Zero;
            for (int c = 0; c < k; c++)
            {
                GoldilocksExt2 lambda = GoldilocksExt2.Zero;
                for (int j = 0; j < claims.Length; j++) lambda += beta[j] * claims[j].Evaluate(c, point.AsSpan(n - variables[c]));
                lambda *= ZkLinearReductionSumcheck.Selector(point, variables[c]);
                if (c == charged) own = lambda;
                else rest += finals[c] * lambda;
            }
            finals[charged] = (running - rest) * GoldilocksExt2.Inverse(own);
        }
        // The real transcript: the rounds (the same messages, so the same challenges), the finals, then honest openings.
        Assert.True(ZkLinearReductionSumcheck.Replay(transcript, instance.Shape, variables, claim0, result.MaskSum, result.Messages, finals, result.MaskValue, out _, out _, out _));
        var openings = new LigeroOpening[k];
        for (int c = 0; c < k; c++)
        {
            int lead = n - variables[c];
            openings[c] = LigeroPcs.OpenHiding(transcript, instance.Data[c], [point[lead..]], [0], [v - lead], 0, new GoldilocksExt2[1]);
        }
        var maskOpening = instance.Masks.Open(transcript, [point], new GoldilocksExt2[1]);
        return new Forged(new ZkLinearReductionProof(n, result.MaskSum, result.Messages, finals, result.MaskValue, openings), maskOpening);
    }

    private static Transcript NewReplay(Instance instance, GoldilocksExt2[] values)
    {
        var transcript = Started(instance);
        transcript.Absorb("zklr.claims", (ulong)instance.Claims.Length);
        foreach (var claim in instance.Claims) claim.AbsorbInto(transcript);
        transcript.Absorb("zklr.values", values);
        transcript.ChallengeExt("zklr.beta", new GoldilocksExt2[instance.Claims.Length]);
        return transcript;
    }

    private static bool Verify(Instance instance, ZkLinearReductionProof proof, LigeroOpening maskOpening, GoldilocksExt2[] values,
        LigeroCommitment[]? commitments = null, ZkSumcheckShape? shape = null)
    {
        try
        {
            var transcript = Started(instance);
            return ZkLinearReduction.Verify(transcript, commitments ?? instance.Commitments, instance.Slots, instance.Slots, shape ?? instance.Shape, instance.Claims,
                    values, ZkLinearReductionProof.FromBytes(proof.ToBytes()), out var r)
                && ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, instance.Masks.Shapes, [r.Point.ToArray()], [r.MaskValue], maskOpening);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    /// <summary>The malicious prover is faithful when it does not cheat: its proof of the true values verifies.</summary>
    [Fact]
    public void TheForgingProverIsFaithfulOnTrueValues()
    {
        var instance = NewInstance(1);
        var forged = Forge(instance, instance.Values, charged: 1, patch: false);
        Assert.True(Verify(instance, forged.Proof, forged.MaskOpening, instance.Values));
    }

    /// <summary>
    /// A false value on the smallest table (3 of 6 variables), its excess charged to that table's lead-round sum: the
    /// rounds are consistent with the false claim until the table's own rounds start, and the combined final check fails.
    /// Charged to the largest table (no lead rounds) or a middle one instead: refused likewise.
    /// </summary>
    [Theory]
    [InlineData(1, 2)]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    [InlineData(0, 1)]
    public void AFalseValueChargedToATablesLeadRoundSumIsRefused(int charged, int falseClaim)
    {
        var instance = NewInstance(2 + charged);
        var values = (GoldilocksExt2[])instance.Values.Clone();
        values[falseClaim] += GoldilocksExt2.One;
        var forged = Forge(instance, values, charged, patch: false);
        Assert.False(Verify(instance, forged.Proof, forged.MaskOpening, values));
    }

    /// <summary>
    /// As above, and the prover then patches the charged table's final value so the combined check holds (the finals are
    /// absorbed before the openings, so every later challenge is consistent): the table's hiding opening refuses the value.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(2)]
    public void AFalseValueWithAPatchedFinalValueIsRefusedByTheOpening(int charged)
    {
        var instance = NewInstance(7 + charged);
        var values = (GoldilocksExt2[])instance.Values.Clone();
        values[2 * charged] += GoldilocksExt2.One;
        var forged = Forge(instance, values, charged, patch: true);
        Assert.False(Verify(instance, forged.Proof, forged.MaskOpening, values));
        // The same patch on true values changes nothing: the check it forges already holds.
        var fresh = NewInstance(7 + charged);
        var faithful = Forge(fresh, fresh.Values, charged, patch: true);
        Assert.True(Verify(fresh, faithful.Proof, faithful.MaskOpening, fresh.Values));
    }

    /// <summary>
    /// The statement's shape is the verifier's: a proof made with one mask variable fails under another; a mask variable
    /// outside the smallest table, commitments in another order, or a commitment of other size swapped in are refused
    /// (false, or an ArgumentException for a statement that cannot be formed), never accepted.
    /// </summary>
    [Fact]
    public void TheStatementsShapeMaskVariableAndCommitmentOrderAreTheVerifiers()
    {
        var instance = NewInstance(11);
        var transcript = Started(instance);
        var proof = ZkLinearReduction.Prove(transcript, instance.Data, instance.Slots, instance.Slots, instance.Masks, 0, instance.Claims, instance.Values, out var reduction);
        var maskOpening = instance.Masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        Assert.True(Verify(instance, proof, maskOpening, instance.Values));
        int n = Sizes.Max();
        // Another mask variable that every table has (n - 3 .. n - 1): same sizes of everything, other statement.
        for (int v = n - Sizes.Min(); v < n - 1; v++) Assert.False(Verify(instance, proof, maskOpening, instance.Values, shape: ZkLinearReduction.Shape(Sizes, v)));
        // A mask variable in the smallest table's lead (the prover's choice): the shape cannot be formed, and a shape built
        // around the check (plain Shape(n, v)) is refused.
        Assert.Throws<ArgumentException>(() => ZkLinearReduction.Shape(Sizes, 0));
        Assert.False(Verify(instance, proof, maskOpening, instance.Values, shape: ZkLinearReduction.Shape(n, 0)));
        // The commitments in another order (the claims still index the verifier's order).
        var swapped = instance.Commitments;
        (swapped[1], swapped[2]) = (swapped[2], swapped[1]);
        Assert.True(Refused(() => Verify(instance, proof, maskOpening, instance.Values, commitments: swapped)));
        var sameSize = NewInstance(12, [6, 3, 3]);
        var reordered = sameSize.Commitments;
        (reordered[1], reordered[2]) = (reordered[2], reordered[1]);
        var t2 = Started(sameSize);
        var p2 = ZkLinearReduction.Prove(t2, sameSize.Data, sameSize.Slots, sameSize.Slots, sameSize.Masks, 0, sameSize.Claims, sameSize.Values, out var r2);
        var m2 = sameSize.Masks.Open(t2, [r2.Point.ToArray()], new GoldilocksExt2[1]);
        Assert.True(Verify(sameSize, p2, m2, sameSize.Values));
        Assert.False(Verify(sameSize, p2, m2, sameSize.Values, commitments: reordered));
        // A different commitment of the same size swapped in for the smallest one.
        var other = LigeroPcs.Commit(Parameters, Naive.RandomTable(new Random(13), 3), new Random(14)).Commitment;
        var substituted = sameSize.Commitments;
        substituted[1] = other;
        Assert.False(Verify(sameSize, p2, m2, sameSize.Values, commitments: substituted));
    }

    /// <summary>False, or an ArgumentException for a statement that cannot be formed: never acceptance.</summary>
    private static bool Refused(Func<bool> verify)
    {
        try
        {
            return !verify();
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>Round messages of a higher degree than the shape's (one more value per round) or one fewer are refused.</summary>
    [Fact]
    public void RoundMessagesOutsideTheDegreeBoundsAreRefused()
    {
        var instance = NewInstance(15);
        var transcript = Started(instance);
        var proof = ZkLinearReduction.Prove(transcript, instance.Data, instance.Slots, instance.Slots, instance.Masks, 0, instance.Claims, instance.Values, out var reduction);
        var maskOpening = instance.Masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        var messages = proof.RoundMessages.ToArray();
        GoldilocksExt2[][] variants = [[.. messages, GoldilocksExt2.Zero], messages[..^1], [GoldilocksExt2.Zero, .. messages]];
        foreach (var m in variants)
        {
            var forged = new ZkLinearReductionProof(proof.Variables, proof.MaskSum, m, proof.FinalValues, proof.MaskValue, proof.Openings);
            Assert.False(Verify(instance, forged, maskOpening, instance.Values));
        }
    }

    /// <summary>Count fields claiming gigabytes are refused with a typed exception before anything is allocated.</summary>
    [Fact]
    public void HugeCountFieldsAreRefusedBeforeAllocating()
    {
        // ZKLR v2: the most variables, messages and openings the header allows, a few bytes of body.
        var writer = new ProofWriter(ZkLinearReductionProof.Magic, ZkLinearReductionProof.FormatVersion);
        writer.WriteUInt32((uint)SumcheckProof.MaxVariables);
        writer.WriteUInt32((uint)(SumcheckProof.MaxVariables * SumcheckProof.MaxDegree));
        writer.WriteUInt32(ZkLinearReduction.MaxCommitments);
        writer.WriteBytes(new byte[64]);
        Assert.Throws<ProofFormatException>(() => ZkLinearReductionProof.FromBytes(writer.ToArray()));
        // Counts past the limits.
        foreach (var (variables, messages, count) in new (uint, uint, uint)[] { (uint.MaxValue, 1, 1), (1, uint.MaxValue, 1), (1, 1, uint.MaxValue), (0, 0, 1) })
        {
            var w = new ProofWriter(ZkLinearReductionProof.Magic, ZkLinearReductionProof.FormatVersion);
            w.WriteUInt32(variables);
            w.WriteUInt32(messages);
            w.WriteUInt32(count);
            w.WriteBytes(new byte[64]);
            Assert.Throws<ProofFormatException>(() => ZkLinearReductionProof.FromBytes(w.ToArray()));
        }
        // A Ligero opening claiming 64 points of 2^28 coefficients (32 GiB of rows) and 2^30 + 1 rows per column.
        var opening = new ProofWriter(LigeroOpening.Magic, LigeroOpening.FormatVersion);
        opening.WriteUInt32(LigeroOpening.MaxPoints);
        opening.WriteUInt32(1u << LigeroPcs.MaxCodewordLog);
        opening.WriteUInt32((1u << LigeroPcs.MaxVariables) + 1);
        opening.WriteByte(1);
        opening.WriteUInt32(LigeroParameters.MaxQueries);
        opening.WriteUInt32(LigeroParameters.MaxQueries * (uint)LigeroPcs.MaxCodewordLog);
        opening.WriteBytes(new byte[256]);
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(opening.ToArray()));
        // The same counts inside a ZKLR body (its openings are read by the same reader).
        var nested = new ProofWriter(ZkLinearReductionProof.Magic, ZkLinearReductionProof.FormatVersion);
        nested.WriteUInt32(1);
        nested.WriteUInt32(0);
        nested.WriteUInt32(1);
        nested.WriteBytes(new byte[16 * 3]);
        nested.WriteUInt32(LigeroOpening.MaxPoints);
        nested.WriteUInt32(1u << LigeroPcs.MaxCodewordLog);
        nested.WriteUInt32(1);
        nested.WriteByte(1);
        nested.WriteUInt32(1);
        nested.WriteUInt32(0);
        Assert.Throws<ProofFormatException>(() => ZkLinearReductionProof.FromBytes(nested.ToArray()));
    }
}
