using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A zero-knowledge GKR for sum_x p(x) / q(x) = 0 over {0,1}^n (LogUp with the witness and table sides in one tree,
/// signed numerators), beside the plain <see cref="FractionalSumGkr"/>. The tree is the same (layer k - 1 pairs the
/// halves of layer k: p_{k-1} = p_k(0, .) q_k(1, .) + p_k(1, .) q_k(0, .), q_{k-1} = q_k(0, .) q_k(1, .)), but nothing
/// the verifier sees is an unmasked value of a layer:
/// <list type="bullet">
/// <item>the root is not sent: step 1 is a one-variable <see cref="ZkSumcheck"/> with claim 0 over p_1(X) q_1(1 - X),
/// so the statement is P = 0 and Q stays hidden;</item>
/// <item>every step is a <see cref="ZkSumcheck"/> with its Libra mask from one <see cref="ZkSumcheckMaskSet"/>;</item>
/// <item>each child p_k(b, .), q_k(b, .) of a middle layer is masked with its own extension-field scalar c:
/// p'_k(b, x) = p~_k(b, x) + x_0 (1 - x_0) c, so its final value is uniform; the scalars are committed (hiding Ligero,
/// one column per layer), and the next step carries their folded combination E as a masked constant factor whose
/// final value E + z sigma (sigma the opening slot's mask entry) the commitment opens;</item>
/// <item>the leaves' four halves are the caller's <see cref="ZkSumcheckFactor"/>s (masked ones from hiding
/// commitments, mask variable 0), and their final values go back to the caller to check against its openings.</item>
/// </list>
/// Argument and soundness: <c>src/ZkMl.Sumcheck/README.md</c>, "Zero knowledge", item 4.
/// </summary>
public static class ZkFractionalSumGkr
{
    /// <summary>Most variables n of the leaves.</summary>
    public const int MaxVariables = 40;

    private const int Rows = 8;

    /// <summary>
    /// The shapes of the n steps' sumchecks (in the mask set's order): step 1 over one variable (factors p_1, reversed
    /// q_1), step k = 2..n over k - 1 variables (factors eq_p, eq_q, the four children, the carried mask E), the last
    /// with <paramref name="maskedLeaves"/> masked leaf factors.
    /// </summary>
    public static IReadOnlyList<ZkSumcheckShape> Shapes(int variables, int maskedLeaves)
    {
        CheckStatement(variables, maskedLeaves);
        var shapes = new ZkSumcheckShape[variables];
        shapes[0] = new ZkSumcheckShape(1, 2, 2, 0);
        for (int k = 2; k <= variables; k++)
            shapes[k - 1] = new ZkSumcheckShape(k - 1, 7, k == variables ? 1 + maskedLeaves : 5, 0, 3, 2);
        return shapes;
    }

    /// <summary>
    /// Proves sum_x p(x) / q(x) = 0 for leaves given as their halves <paramref name="leaves"/> = (p(0, .), p(1, .),
    /// q(0, .), q(1, .)), each over n - 1 &gt;= 1 variables (first variable the half). Leaves that do not sum to zero give
    /// a proof that does not verify. The transcript must already hold the leaves' commitments.
    /// </summary>
    /// <param name="transcript">The prover's transcript.</param>
    /// <param name="parameters">Rate and queries of the two mask commitments (hiding implied).</param>
    /// <param name="leaves">The four halves, masked factors with mask variable 0.</param>
    /// <param name="random">For tests; null (the default) uses the cryptographic generator.</param>
    public static ZkFractionalSumGkrProverResult Prove(Transcript transcript, LigeroParameters parameters, IReadOnlyList<ZkSumcheckFactor> leaves, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count != 4) throw new ArgumentException("Four leaf factors: p(0, .), p(1, .), q(0, .), q(1, .).", nameof(leaves));
        foreach (var leaf in leaves) ArgumentNullException.ThrowIfNull(leaf);
        int m = leaves[0].Variables, n = m + 1;
        if (m < 1 || n > MaxVariables || leaves.Any(l => l.Variables != m)) throw new ArgumentException($"Leaf halves of one size 2^m, 1 <= m < {MaxVariables}.", nameof(leaves));
        int maskedLeaves = leaves.Count(l => l.IsMasked);

        // Layers 1..n-1 (the leaves are layer n).
        var layersP = new GoldilocksExt2[n][];
        var layersQ = new GoldilocksExt2[n][];
        (layersP[n - 1], layersQ[n - 1]) = Pair(leaves[0].Table, leaves[1].Table, leaves[2].Table, leaves[3].Table);
        for (int k = n - 1; k >= 2; k--)
        {
            int half = 1 << (k - 1);
            var (cp, cq) = (layersP[k], layersQ[k]);
            (layersP[k - 1], layersQ[k - 1]) = Pair(cp[..half], cp[half..], cq[..half], cq[half..]);
        }

        var shapes = Shapes(n, maskedLeaves);
        var masks = ZkSumcheckMaskSet.Commit(parameters, shapes, random);
        int columns = Columns(n);
        var table = new Goldilocks[Rows * columns];
        var randomness = new MaskRandomness(random);
        for (int row = 0; row < Rows; row++)
            for (int j = 0; j < n - 1; j++) table[row * columns + j] = randomness.NextBase();
        var layerData = LigeroPcs.Commit(Hiding(parameters), table, 3, n - 1, random);
        // c_{k,i} (i: p0, p1, q0, q1) of layer k = 1..n-1: column k - 1, rows 2i (real part) and 2i + 1 (X part).
        GoldilocksExt2 Mask(int layer, int i) => new(table[2 * i * columns + layer - 1], table[(2 * i + 1) * columns + layer - 1]);
        Begin(transcript, n, maskedLeaves, masks.Commitment, layerData.Commitment);

        var steps = new ZkSumcheckProof[n];
        var points = new GoldilocksExt2[n][];
        var functionals = new LigeroPcs.Functional[n - 1];
        var mus = new GoldilocksExt2[n - 2];
        var (p1, q1) = (layersP[1], layersQ[1]);
        var root = ZkSumcheck.Prove(transcript, masks, 0, ZkSumcheckFactor.Masked(p1, [Mask(1, 0)]), ZkSumcheckFactor.Masked([q1[1], q1[0]], [Mask(1, 2)]));
        steps[0] = root.Proof;
        points[0] = root.Reduction.Point.ToArray();
        GoldilocksExt2 r0 = points[0][0];
        GoldilocksExt2[] zp = [r0], zq = [GoldilocksExt2.One - r0];
        GoldilocksExt2 weight = r0 * (GoldilocksExt2.One - r0);
        GoldilocksExt2[] fold = [GoldilocksExt2.One, GoldilocksExt2.Zero];
        for (int k = 2; k <= n; k++)
        {
            GoldilocksExt2 lambda = transcript.ChallengeExt("zkgkr.lambda");
            var weights = CarriedWeights(fold, lambda);
            GoldilocksExt2 carried = GoldilocksExt2.Zero;
            for (int i = 0; i < 4; i++) carried += weights[i] * Mask(k - 1, i);
            GoldilocksExt2 sigma = layerData.EvaluationMask(k - 2)[k - 2];
            int size = 1 << (k - 1);
            IReadOnlyList<ZkSumcheckFactor> children = k == n ? leaves :
                [.. Enumerable.Range(0, 4).Select(i => ZkSumcheckFactor.Masked((i < 2 ? layersP[k] : layersQ[k]).AsSpan((i & 1) * size, size), [Mask(k, i)]))];
            var constant = new GoldilocksExt2[size];
            Array.Fill(constant, carried);
            ZkSumcheckFactor[] factors = [new(Multilinear.EqTable(zp)), new(Multilinear.EqTable(zq)), .. children, ZkSumcheckFactor.Masked(constant, [sigma])];
            var step = ZkSumcheck.Prove(transcript, masks, k - 1, factors, Terms(lambda, weight, k - 1));
            steps[k - 1] = step.Proof;
            var r = points[k - 1] = step.Reduction.Point.ToArray();
            weight = r[0] * (GoldilocksExt2.One - r[0]);
            functionals[k - 2] = Functional(weights, columns, k - 2, weight);
            if (k == n) break;
            GoldilocksExt2 mu = mus[k - 2] = transcript.ChallengeExt("zkgkr.mu");
            zp = zq = [mu, .. r];
            fold = [GoldilocksExt2.One - mu, mu];
        }
        Span<GoldilocksExt2> scratch = stackalloc GoldilocksExt2[n];
        var maskOpening = masks.Open(transcript, points, scratch);
        var layerOpening = LigeroPcs.OpenMasked(transcript, layerData, functionals, 0, Slots(n), [.. points.Skip(1).SelectMany(p => p)], (ulong)(n - 1), scratch[..(n - 1)]);
        var proof = new ZkFractionalSumGkrProof(masks.Commitment, layerData.Commitment, steps, maskOpening, layerOpening);
        return new ZkFractionalSumGkrProverResult(proof, new ZkFractionalSumReduction(points[n - 1], steps[n - 1].FinalEvaluations[2..6].ToArray(), points, mus));
    }

    /// <summary>
    /// Verifies that the leaves behind the caller's four halves (<paramref name="maskedLeaves"/> of them masked, as the
    /// prover's) sum to zero; on success the reduction's leaf values must still be checked by the caller.
    /// </summary>
    public static bool Verify(Transcript transcript, LigeroParameters parameters, int variables, int maskedLeaves, ZkFractionalSumGkrProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkFractionalSumReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(proof);
        var shapes = Shapes(variables, maskedLeaves);
        int n = variables, columns = Columns(n);
        reduction = null;
        var hiding = Hiding(parameters);
        var layers = proof.LayerCommitment;
        if (proof.Steps.Count != n || proof.MaskCommitment.Parameters != hiding || layers.Parameters != hiding || layers.EvaluationMasks != n - 1
            || layers.RowVariables != 3 || layers.RowLength != columns) return false;
        Begin(transcript, n, maskedLeaves, proof.MaskCommitment, layers);

        var points = new GoldilocksExt2[n][];
        var maskValues = new GoldilocksExt2[n];
        var functionals = new LigeroPcs.Functional[n - 1];
        var carried = new GoldilocksExt2[n - 1];
        var mus = new GoldilocksExt2[n - 2];
        if (!ZkSumcheck.Verify(transcript, shapes[0], GoldilocksExt2.Zero, proof.Steps[0], out var step)) return false;
        points[0] = step.Point.ToArray();
        maskValues[0] = step.MaskValue;
        GoldilocksExt2 r0 = points[0][0];
        GoldilocksExt2[] zp = [r0], zq = [GoldilocksExt2.One - r0];
        GoldilocksExt2 weight = r0 * (GoldilocksExt2.One - r0), claimP = step.Evaluations[0], claimQ = step.Evaluations[1];
        GoldilocksExt2[] fold = [GoldilocksExt2.One, GoldilocksExt2.Zero];
        for (int k = 2; k <= n; k++)
        {
            GoldilocksExt2 lambda = transcript.ChallengeExt("zkgkr.lambda");
            var weights = CarriedWeights(fold, lambda);
            if (!ZkSumcheck.Verify(transcript, shapes[k - 1], Terms(lambda, weight, k - 1), claimP + lambda * claimQ, proof.Steps[k - 1], out step)) return false;
            var r = points[k - 1] = step.Point.ToArray();
            var values = step.Evaluations;
            if (values[0] != Multilinear.Eq(zp, r) || values[1] != Multilinear.Eq(zq, r)) return false;
            maskValues[k - 1] = step.MaskValue;
            weight = r[0] * (GoldilocksExt2.One - r[0]);
            functionals[k - 2] = Functional(weights, columns, k - 2, weight);
            carried[k - 2] = values[6];
            if (k == n) break;
            GoldilocksExt2 mu = mus[k - 2] = transcript.ChallengeExt("zkgkr.mu");
            claimP = values[2] + mu * (values[3] - values[2]);
            claimQ = values[4] + mu * (values[5] - values[4]);
            zp = zq = [mu, .. r];
            fold = [GoldilocksExt2.One - mu, mu];
        }
        if (!ZkSumcheckMaskSet.Verify(transcript, proof.MaskCommitment, shapes, points, maskValues, proof.MaskOpening)
            || !LigeroPcs.VerifyMasked(transcript, layers, functionals, 0, Slots(n), [.. points.Skip(1).SelectMany(p => p)], (ulong)(n - 1), carried, proof.LayerOpening))
            return false;
        reduction = new ZkFractionalSumReduction(points[n - 1], step.Evaluations[2..6].ToArray(), points, mus);
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, LigeroParameters, int, int, ZkFractionalSumGkrProof, out ZkFractionalSumReduction)"/> for proof bytes; false when they do not decode.</summary>
    public static bool Verify(Transcript transcript, LigeroParameters parameters, int variables, int maskedLeaves, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkFractionalSumReduction? reduction)
    {
        ZkFractionalSumGkrProof decoded;
        try
        {
            decoded = ZkFractionalSumGkrProof.FromBytes(proof);
        }
        catch (ProofFormatException)
        {
            reduction = null;
            return false;
        }
        return Verify(transcript, parameters, variables, maskedLeaves, decoded, out reduction);
    }

    internal static void CheckStatement(int variables, int maskedLeaves)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, MaxVariables);
        ArgumentOutOfRangeException.ThrowIfNegative(maskedLeaves);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maskedLeaves, 4);
    }

    private static LigeroParameters Hiding(LigeroParameters parameters) => new(parameters.RateLog, parameters.Queries, true);

    private static int Columns(int variables) => (int)BitOperations.RoundUpToPowerOf2((uint)(variables - 1));

    private static int[] Slots(int variables) => [.. Enumerable.Range(0, variables - 1)];

    private static void Begin(Transcript transcript, int variables, int maskedLeaves, LigeroCommitment masks, LigeroCommitment layers)
    {
        transcript.Absorb("zkgkr.shape", (ulong)(uint)variables << 8 | (uint)maskedLeaves);
        masks.AbsorbInto(transcript);
        layers.AbsorbInto(transcript);
    }

    /// <summary>The halves' next layer: (a d + b c, c d) entry by entry for halves (a, b, c, d) = (p0, p1, q0, q1).</summary>
    internal static (GoldilocksExt2[] P, GoldilocksExt2[] Q) Pair(ReadOnlySpan<GoldilocksExt2> p0, ReadOnlySpan<GoldilocksExt2> p1, ReadOnlySpan<GoldilocksExt2> q0, ReadOnlySpan<GoldilocksExt2> q1)
    {
        var (p, q) = (new GoldilocksExt2[p0.Length], new GoldilocksExt2[p0.Length]);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = p0[i] * q1[i] + p1[i] * q0[i];
            q[i] = q0[i] * q1[i];
        }
        return (p, q);
    }

    /// <summary>
    /// The weights of the previous layer's child masks (c_p0, c_p1, c_q0, c_q1) in the claim p'(z_p) + lambda q'(z_q):
    /// the fold (1 - mu, mu) on each side (step 1's (1, 0): p_1 and the reversed q_1 carry c_p0 and c_q0).
    /// </summary>
    internal static GoldilocksExt2[] CarriedWeights(GoldilocksExt2[] fold, GoldilocksExt2 lambda) => [fold[0], fold[1], lambda * fold[0], lambda * fold[1]];

    /// <summary>
    /// eq_p (p0 q1 + p1 q0) + lambda eq_q q0 q1 + weight 2^-m E over factors (eq_p, eq_q, p0, p1, q0, q1, E): the
    /// children masks of the claim's values enter as weight E, spread evenly over the 2^m points.
    /// </summary>
    internal static ZkSumcheckTerm[] Terms(GoldilocksExt2 lambda, GoldilocksExt2 weight, int variables) =>
    [
        new(GoldilocksExt2.One, [0, 2, 5]),
        new(GoldilocksExt2.One, [0, 3, 4]),
        new(lambda, [1, 4, 5]),
        new(weight * GoldilocksExt2.Inverse(GoldilocksExt2.FromUInt64(1UL << variables)), [6]),
    ];

    /// <summary>sum_i w_i c_i of one column: row 2i with weight w_i, row 2i + 1 (the X part) with weight X w_i.</summary>
    private static LigeroPcs.Functional Functional(GoldilocksExt2[] weights, int columns, int column, GoldilocksExt2 maskWeight)
    {
        var x = new GoldilocksExt2(Goldilocks.Zero, Goldilocks.One);
        var rows = new GoldilocksExt2[Rows];
        for (int i = 0; i < 4; i++) (rows[2 * i], rows[2 * i + 1]) = (weights[i], x * weights[i]);
        var unit = new GoldilocksExt2[columns];
        unit[column] = GoldilocksExt2.One;
        return new LigeroPcs.Functional(rows, unit, maskWeight);
    }
}
