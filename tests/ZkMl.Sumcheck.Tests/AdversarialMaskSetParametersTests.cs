using System.Reflection;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The Libra mask value g'(r) closes <see cref="ZkLinearReduction"/>'s combined check (running = rho g'(r) + sum_C sel_C
/// F'_C(r) Lambda_C(r)), so whoever can open the mask set to a value of its choice proves any false claim.
/// <see cref="ZkSumcheckMaskSet.Verify"/> checks the commitment's layout (hiding, one opening, slots, rows, columns) but
/// not its rate and queries: those are the caller's to fix. This malicious prover commits the reduction's masks at rate
/// 1/2 with one query, proves a FALSE value (the excess charged to a table's sum, honest table openings), sets g'(r) to
/// what the combined check needs, and forges the mask opening with a row u + delta (1 - X / x_q) (its value shifted by
/// delta, its encoding unchanged at column q): accepted whenever the one query lands on q (1 in 4; the prover grinds).
/// Under the parameters a caller should fix (rate 1/4, 8 queries here) the same forgery is refused every time.
/// A verifier that reads the mask commitment from the proof must therefore check its parameters (the ZK step's
/// StepVerifier did not: tests/ZkMl.Training.Tests/Sumcheck/ZeroKnowledgeAdversarialTests.cs).
/// </summary>
public class AdversarialMaskSetParametersTests
{
    private static readonly LigeroParameters TableParameters = new(2, 8, true);
    private static readonly LigeroParameters Weak = new(1, 1, true);
    private static readonly int[] Sizes = [5, 3];

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.AdversarialMaskSet", Naive.Digest("adversarial-mask-set"));

    private sealed record Instance(Goldilocks[][] Tables, LigeroProverData[] Data, ZkSumcheckMaskSet Masks, ZkSumcheckShape Shape, ZkLinearClaim[] Claims, GoldilocksExt2[] Values)
    {
        public int[] Slots => new int[Data.Length];
        public int[] Variables => [.. Data.Select(d => d.Commitment.Variables)];
    }

    private static Instance NewInstance(int seed, LigeroParameters maskParameters)
    {
        var rng = new Random(seed);
        var masking = new Random(seed + 1000);
        var tables = Sizes.Select(n => Naive.RandomTable(rng, n)).ToArray();
        var data = tables.Select(t => LigeroPcs.Commit(TableParameters, t, masking)).ToArray();
        var shape = ZkLinearReduction.Shape(Sizes, Sizes.Max() - 1);
        var masks = ZkSumcheckMaskSet.Commit(maskParameters, [shape], masking);
        var claims = new[]
        {
            new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, Sizes[0]), table: 0)),
            new ZkLinearClaim(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, Sizes[1]), table: 1)),
        };
        return new Instance(tables, data, masks, shape, claims, [.. claims.Select(c => c.Apply(tables))]);
    }

    private static Transcript Started(Instance instance)
    {
        var transcript = NewTranscript();
        instance.Masks.Commitment.AbsorbInto(transcript);
        foreach (var d in instance.Data) d.Commitment.AbsorbInto(transcript);
        return transcript;
    }

    private static Transcript AfterBeta(Instance instance, GoldilocksExt2[] values, out GoldilocksExt2[] beta)
    {
        var transcript = Started(instance);
        transcript.Absorb("zklr.claims", (ulong)instance.Claims.Length);
        foreach (var claim in instance.Claims) claim.AbsorbInto(transcript);
        transcript.Absorb("zklr.values", values);
        beta = new GoldilocksExt2[instance.Claims.Length];
        transcript.ChallengeExt("zklr.beta", beta);
        return transcript;
    }

    /// <summary>The forgery: a proof of <paramref name="values"/> (the first one false) and a mask opening of the value the combined check needs.</summary>
    private static (ZkLinearReductionProof Proof, LigeroOpening MaskOpening) Forge(Instance instance, GoldilocksExt2[] values, int column)
    {
        var claims = instance.Claims;
        var variables = instance.Variables;
        int k = variables.Length, n = instance.Shape.Variables, v = instance.Shape.MaskVariable;
        var scratch = AfterBeta(instance, values, out var beta);
        var lambdas = new GoldilocksExt2[k][];
        var sums = new GoldilocksExt2[k];
        GoldilocksExt2 claimed = GoldilocksExt2.Zero, actual = GoldilocksExt2.Zero;
        for (int j = 0; j < claims.Length; j++) claimed += beta[j] * values[j];
        for (int c = 0; c < k; c++)
        {
            lambdas[c] = new GoldilocksExt2[1 << variables[c]];
            foreach (var claim in claims) claim.AddTo(c, lambdas[c], beta[Array.IndexOf(claims, claim)]);
            for (int i = 0; i < lambdas[c].Length; i++) sums[c] += lambdas[c][i] * instance.Tables[c][i];
            actual += sums[c];
        }
        sums[0] += claimed - actual;
        var result = ZkLinearReductionSumcheck.Prove(scratch, instance.Shape, variables, instance.Masks.Coefficients(0), instance.Tables, lambdas,
            [.. instance.Data.Select(d => d.EvaluationMask(0))], sums);
        Assert.True(ZkLinearReductionSumcheck.Replay(AfterBeta(instance, values, out _), instance.Shape, variables, claimed, result.MaskSum, result.Messages, result.Finals,
            result.MaskValue, out var point, out var running, out var rho));
        // g'(r) as the combined check needs it, the finals honest.
        GoldilocksExt2 tables = GoldilocksExt2.Zero;
        for (int c = 0; c < k; c++)
        {
            GoldilocksExt2 lambda = GoldilocksExt2.Zero;
            for (int j = 0; j < claims.Length; j++) lambda += beta[j] * claims[j].Evaluate(c, point.AsSpan(n - variables[c]));
            tables += result.Finals[c] * lambda * ZkLinearReductionSumcheck.Selector(point, variables[c]);
        }
        GoldilocksExt2 forgedMask = (running - tables) * GoldilocksExt2.Inverse(rho);
        var transcript = AfterBeta(instance, values, out _);
        Assert.True(ZkLinearReductionSumcheck.Replay(transcript, instance.Shape, variables, claimed, result.MaskSum, result.Messages, result.Finals, forgedMask,
            out _, out _, out _));
        var openings = new LigeroOpening[k];
        for (int c = 0; c < k; c++)
        {
            int lead = n - variables[c];
            openings[c] = LigeroPcs.OpenHiding(transcript, instance.Data[c], [point[lead..]], [0], [v - lead], 0, new GoldilocksExt2[1]);
        }
        var maskOpening = ForgeMaskOpening(transcript, instance.Masks, instance.Shape, point, result.MaskValue, forgedMask, column);
        return (new ZkLinearReductionProof(n, result.MaskSum, result.Messages, result.Finals, forgedMask, openings), maskOpening);
    }

    /// <summary>The mask set's opening with its row shifted by delta (1 - X / x_column): value + delta, encoding unchanged at <paramref name="column"/>.</summary>
    private static LigeroOpening ForgeMaskOpening(Transcript transcript, ZkSumcheckMaskSet masks, ZkSumcheckShape shape, GoldilocksExt2[] point, GoldilocksExt2 honest,
        GoldilocksExt2 forged, int column)
    {
        var data = (LigeroProverData)typeof(ZkSumcheckMaskSet).GetField("_data", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(masks)!;
        var commitment = data.Commitment;
        int length = commitment.SentLength, dataRows = commitment.DataRows, columns = checked((int)commitment.ColumnCount);
        Assert.Equal(1, commitment.RowLength);
        var weights = shape.PowerTable(point, dataRows);
        GoldilocksExt2 rv = point[shape.MaskVariable], z = rv * (GoldilocksExt2.One - rv);
        int mask = commitment.EvaluationMaskRow(0), proximityMask = commitment.ProximityMaskRow(0);
        var row = new GoldilocksExt2[length];
        for (int c = 0; c < length; c++)
        {
            for (int r = 0; r < dataRows; r++) row[c] += weights[r] * data.Messages[r][c];
            row[c] += z * new GoldilocksExt2(data.Messages[mask][c], data.Messages[mask + 1][c]);
        }
        Assert.Equal(honest, row[0]);
        // x_column: the code's evaluation point at that column (the encoding of the message X).
        var xs = new Goldilocks[columns];
        Ntt<Goldilocks>.Instance.CosetExtend([Goldilocks.Zero, Goldilocks.One], xs, Goldilocks.One);
        GoldilocksExt2 delta = forged - honest;
        row[0] += delta;
        row[1] -= delta * Goldilocks.Inverse(xs[column]);
        commitment.AbsorbInto(transcript);
        transcript.Absorb("ligero.slot", 0UL);
        transcript.Absorb("ligero.evaluation-slot", 0UL);
        transcript.Absorb("ligero.tag", 1UL);
        transcript.Absorb("ligero.point", point);
        transcript.Absorb("ligero.values", [forged]);
        transcript.Absorb("ligero.rows", row);
        var gamma = new GoldilocksExt2[dataRows + 2];
        transcript.ChallengeExt("ligero.gamma", gamma);
        var proximity = new GoldilocksExt2[length];
        for (int c = 0; c < length; c++)
        {
            for (int r = 0; r < dataRows; r++) proximity[c] += gamma[r] * data.Messages[r][c];
            proximity[c] += gamma[dataRows] * data.Messages[mask][c] + gamma[dataRows + 1] * data.Messages[mask + 1][c];
            proximity[c] += new GoldilocksExt2(data.Messages[proximityMask][c], data.Messages[proximityMask + 1][c]);
        }
        transcript.Absorb("ligero.proximity", proximity);
        var indices = new SortedSet<int>();
        for (int q = 0; q < commitment.Parameters.Queries; q++) indices.Add((int)(transcript.ChallengeBase("ligero.query").Value & (ulong)(columns - 1)));
        int[] opened = [.. indices];
        var values = new Goldilocks[opened.Length * commitment.Rows];
        var salts = new byte[32 * opened.Length];
        for (int q = 0; q < opened.Length; q++)
        {
            for (int r = 0; r < commitment.Rows; r++) values[q * commitment.Rows + r] = data.Codewords[r][opened[q]];
            data.Salts.AsSpan(32 * opened[q], 32).CopyTo(salts.AsSpan(32 * q));
        }
        return new LigeroOpening(1, length, commitment.Rows, true, [.. row], proximity, values, salts, [.. data.Tree.Open(opened)]);
    }

    private static bool Verify(Instance instance, ZkLinearReductionProof proof, LigeroOpening maskOpening, GoldilocksExt2[] values)
    {
        var transcript = Started(instance);
        return ZkLinearReduction.Verify(transcript, [.. instance.Data.Select(d => d.Commitment)], instance.Slots, instance.Slots, instance.Shape, instance.Claims, values,
                ZkLinearReductionProof.FromBytes(proof.ToBytes()), out var r)
            && ZkSumcheckMaskSet.Verify(transcript, instance.Masks.Commitment, [instance.Shape], [r.Point.ToArray()], [r.MaskValue], LigeroOpening.FromBytes(maskOpening.ToBytes()));
    }

    /// <summary>
    /// Rate 1/2 and one query for the reduction's masks: the false value is accepted within a few grinding attempts
    /// (each accepted with probability 1/4). This is why the caller must fix the mask commitment's parameters.
    /// </summary>
    [Fact]
    public void WeakMaskParametersLetAForgedMaskValueProveAFalseClaim()
    {
        int accepted = 0, attempts = 0;
        for (int seed = 1; seed <= 40 && accepted == 0; seed++, attempts++)
        {
            var instance = NewInstance(seed, Weak);
            var values = (GoldilocksExt2[])instance.Values.Clone();
            values[0] += GoldilocksExt2.One;
            var (proof, opening) = Forge(instance, values, column: 0);
            if (Verify(instance, proof, opening, values)) accepted++;
        }
        Assert.Equal(1, accepted);
        Assert.True(attempts <= 40);
    }

    /// <summary>The same forgery under rate 1/4 and 8 queries: refused in every attempt; the honest proof verifies.</summary>
    [Fact]
    public void FixedMaskParametersRefuseTheForgedMaskValue()
    {
        var strong = new LigeroParameters(2, 8, true);
        for (int seed = 1; seed <= 12; seed++)
        {
            var instance = NewInstance(seed, strong);
            var values = (GoldilocksExt2[])instance.Values.Clone();
            values[0] += GoldilocksExt2.One;
            var (proof, opening) = Forge(instance, values, column: seed % 4);
            Assert.False(Verify(instance, proof, opening, values));
        }
        var honest = NewInstance(99, strong);
        var transcript = Started(honest);
        var p = ZkLinearReduction.Prove(transcript, honest.Data, honest.Slots, honest.Slots, honest.Masks, 0, honest.Claims, honest.Values, out var reduction);
        var o = honest.Masks.Open(transcript, [reduction.Point.ToArray()], new GoldilocksExt2[1]);
        Assert.True(Verify(honest, p, o, honest.Values));
    }
}
