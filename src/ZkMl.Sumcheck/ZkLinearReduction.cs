using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Zero-knowledge reduction of m linear claims y_j = &lt;F, l_j&gt; on one hiding commitment F (<see cref="ZkLinearClaim"/>,
/// public functionals) to ONE hiding opening: the verifier draws beta_1..beta_m after the claims, and a
/// <see cref="ZkSumcheck"/> proves sum_x F'(x) Lambda(x) = sum_j beta_j y_j, Lambda = sum_j beta_j l_j (a public table
/// whose multilinear extension the verifier evaluates in O(m n)), F' = F~ + x_v (1 - x_v) R~ with R the evaluation mask
/// of F's slot; the sumcheck's final F'(r) is checked by the hiding opening of that slot at r.
/// <para>This is the point reduction for masked tables that <see cref="PointReduction"/> cannot be (f' is not
/// multilinear): when every mask of a proof's sumcheck factors is a scalar stored in F itself, each masked final value
/// f~_j(r) + r_v (1 - r_v) c_j is a linear functional of F, and all of them, whatever their points and tables, cost
/// one opening with one evaluation row. Soundness: a false y_j survives beta with 1 / p^2, the sumcheck with
/// (2 (n - 1) + 4 + 1) / p^2, the opening with Ligero's error. Zero knowledge: the rounds are Libra-masked (mask
/// <c>maskIndex</c> of the caller's <see cref="ZkSumcheckMaskSet"/>, which the caller opens at
/// <see cref="ZkSumcheckReduction.Point"/> with the rest), the final F'(r) is masked by the slot, Lambda(r) is public;
/// see <c>docs/sumcheck-step.md</c>, "Zero knowledge".</para>
/// </summary>
public static class ZkLinearReduction
{
    /// <summary>Most claims one reduction takes.</summary>
    public const int MaxClaims = 1 << 16;

    /// <summary>The sumcheck's shape for a table of <paramref name="variables"/> variables: factors F' (masked) and Lambda.</summary>
    public static ZkSumcheckShape Shape(int variables, int maskVariable) => new(variables, 2, 1, maskVariable);

    /// <summary>
    /// Proves that the committed table takes <paramref name="values"/> under <paramref name="claims"/>, opening F with
    /// opening slot <paramref name="opening"/> and evaluation slot <paramref name="slot"/>; the sumcheck uses mask
    /// <paramref name="maskIndex"/> of <paramref name="masks"/>, whose shape must be <see cref="Shape"/>. The transcript
    /// must have absorbed F's commitment and the mask set's.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not its functional's value on the committed table.</exception>
    public static ZkLinearReductionProof Prove(Transcript transcript, LigeroProverData data, int opening, int slot, ZkSumcheckMaskSet masks, int maskIndex,
        IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, out ZkSumcheckReduction reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(masks);
        var commitment = data.Commitment;
        if (!commitment.Parameters.Hiding) throw new ArgumentException("The reduction opens a hiding commitment.", nameof(data));
        ArgumentOutOfRangeException.ThrowIfNegative(maskIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maskIndex, masks.Shapes.Count);
        var shape = masks.Shapes[maskIndex];
        if (shape != Shape(commitment.Variables, shape.MaskVariable)) throw new ArgumentException("The mask's shape is not the reduction's.", nameof(masks));
        CheckClaims(commitment, claims, values.Length);
        var table = Table(data);
        for (int j = 0; j < claims.Count; j++)
            if (claims[j].Apply(table) != values[j]) throw new ArgumentException($"Value {j} is not its functional's value.", nameof(values));

        var beta = Begin(transcript, claims, values);
        var lambda = new GoldilocksExt2[table.Length];
        for (int j = 0; j < claims.Count; j++) claims[j].AddTo(lambda, beta[j]);
        var result = ZkSumcheck.Prove(transcript, masks, maskIndex, ZkSumcheckFactor.Masked(table, data.EvaluationMask(slot)), new ZkSumcheckFactor(lambda));
        reduction = result.Reduction;
        var opened = new GoldilocksExt2[1];
        var proof = LigeroPcs.OpenHiding(transcript, data, [reduction.Point.ToArray()], [slot], [shape.MaskVariable], opening, opened);
        return new ZkLinearReductionProof(result.Proof, proof);
    }

    /// <summary>
    /// Checks <see cref="Prove"/>'s proof for the commitment, slots, shape (<see cref="Shape"/>), claims and values; on
    /// success the caller still checks <see cref="ZkSumcheckReduction.MaskValue"/> with the mask set's opening at
    /// <see cref="ZkSumcheckReduction.Point"/>. False on any failed check.
    /// </summary>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, int opening, int slot, ZkSumcheckShape shape, IReadOnlyList<ZkLinearClaim> claims,
        ReadOnlySpan<GoldilocksExt2> values, ZkLinearReductionProof proof, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(proof);
        reduction = null;
        if (!commitment.Parameters.Hiding || shape != Shape(commitment.Variables, shape.MaskVariable)) return false;
        CheckClaims(commitment, claims, values.Length);
        var beta = Begin(transcript, claims, values);
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int j = 0; j < claims.Count; j++) claim += beta[j] * values[j];
        if (!ZkSumcheck.Verify(transcript, shape, claim, proof.Sumcheck, out var result)) return false;
        var point = result.Point.ToArray();
        GoldilocksExt2 lambda = GoldilocksExt2.Zero;
        for (int j = 0; j < claims.Count; j++) lambda += beta[j] * claims[j].Evaluate(point);
        if (result.Evaluations[1] != lambda) return false;
        if (!LigeroPcs.VerifyHiding(transcript, commitment, [point], [slot], [shape.MaskVariable], opening, result.Evaluations[..1], proof.Opening)) return false;
        reduction = result;
        return true;
    }

    /// <summary>As <see cref="Verify(Transcript, LigeroCommitment, int, int, ZkSumcheckShape, IReadOnlyList{ZkLinearClaim}, ReadOnlySpan{GoldilocksExt2}, ZkLinearReductionProof, out ZkSumcheckReduction)"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, int opening, int slot, ZkSumcheckShape shape, IReadOnlyList<ZkLinearClaim> claims,
        ReadOnlySpan<GoldilocksExt2> values, ReadOnlySpan<byte> proof, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction) =>
        Verify(transcript, commitment, opening, slot, shape, claims, values, ZkLinearReductionProof.FromBytes(proof), out reduction);

    private static void CheckClaims(LigeroCommitment commitment, IReadOnlyList<ZkLinearClaim> claims, int values)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count < 1 || claims.Count > MaxClaims) throw new ArgumentException($"1..{MaxClaims} claims.", nameof(claims));
        if (values != claims.Count) throw new ArgumentException("One value per claim.", nameof(values));
        foreach (var claim in claims)
        {
            ArgumentNullException.ThrowIfNull(claim);
            if (!claim.Fits(commitment.Variables)) throw new ArgumentException($"A claim's term lies outside the table of 2^{commitment.Variables} entries.", nameof(claims));
        }
    }

    /// <summary>Absorbs the functionals and the claimed values, then draws one independent beta per claim.</summary>
    private static GoldilocksExt2[] Begin(Transcript transcript, IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values)
    {
        transcript.Absorb("zklr.claims", (ulong)claims.Count);
        foreach (var claim in claims) claim.AbsorbInto(transcript);
        transcript.Absorb("zklr.values", values);
        var beta = new GoldilocksExt2[claims.Count];
        transcript.ChallengeExt("zklr.beta", beta);
        return beta;
    }

    /// <summary>The committed table, read back from the data rows of the prover's matrix.</summary>
    private static Goldilocks[] Table(LigeroProverData data)
    {
        var commitment = data.Commitment;
        int rowLength = commitment.RowLength;
        var table = new Goldilocks[(long)commitment.DataRows * rowLength];
        for (int i = 0; i < commitment.DataRows; i++) data.Messages[i].AsSpan(0, rowLength).CopyTo(table.AsSpan(i * rowLength, rowLength));
        return table;
    }
}
