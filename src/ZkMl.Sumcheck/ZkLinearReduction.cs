using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Zero-knowledge reduction of m linear claims y_j = sum_C &lt;F_C, l_(j,C)&gt; on K &lt;= <see cref="MaxCommitments"/>
/// hiding commitments F_C (<see cref="ZkLinearClaim"/>, public functionals) to ONE hiding opening per commitment: the
/// verifier draws beta_1..beta_m after the claims, and one Libra-masked sumcheck over n = max n_C variables (of
/// <see cref="ZkSumcheck"/>'s construction, its prover working O(sum_C 2^(n_C)), not K 2^n: a smaller table's term is a
/// known constant times (1 - X) in its lead rounds, format "ZKLR" v2) proves
/// sum_C sum_x F'_C(x_tail) Lambda_C(x_tail) eq(0, x_lead) = sum_j beta_j y_j, Lambda_C = sum_j beta_j l_(j,C) (public
/// tables whose multilinear extensions the verifier evaluates in O(m n)), F'_C = F~_C + x_v (1 - x_v) R~_C with R_C the
/// evaluation mask of F_C's slot and v a variable of every commitment (v &gt;= n - min n_C); each final F'_C(r) is
/// checked by the hiding opening of that slot at r's last n_C coordinates.
/// <para>This is the point reduction for masked tables that <see cref="PointReduction"/> cannot be (f' is not
/// multilinear): when every mask of a proof's sumcheck factors is a scalar stored in a commitment
/// (<see cref="ZkLinearTerm.Scalar"/>) and every Libra mask's coefficients too (<see cref="ZkLinearTerm.MaskValue"/>),
/// each masked final value is a linear functional of the commitments, and all of them, whatever their points and tables,
/// cost one opening with one evaluation row per commitment. Soundness: a false y_j survives beta with 1 / p^2, the
/// sumcheck with (2 (n - 1) + 4 + 1) / p^2, each opening with Ligero's error. Zero knowledge: the rounds are
/// Libra-masked (mask <c>maskIndex</c> of the caller's <see cref="ZkSumcheckMaskSet"/>, which the caller opens at
/// <see cref="ZkSumcheckReduction.Point"/>, or stored down a column of the first commitment, <see cref="ZkReductionMask"/>),
/// each F'_C(r) is masked by its slot, each Lambda_C(r) is public; see
/// <c>docs/sumcheck-step.md</c>, "Zero knowledge".</para>
/// </summary>
public static class ZkLinearReduction
{
    /// <summary>Most claims one reduction takes.</summary>
    public const int MaxClaims = 1 << 16;
    /// <summary>Most commitments one reduction opens (eight layers with biases need 2L + 2L + 1 = 33).</summary>
    public const int MaxCommitments = 64;

    /// <summary>The sumcheck's shape for one table of <paramref name="variables"/> variables: factors F' (masked) and Lambda.</summary>
    public static ZkSumcheckShape Shape(int variables, int maskVariable) => new(variables, 2, 1, maskVariable);

    /// <summary>
    /// The sumcheck's shape for tables of <paramref name="variables"/> variables: that of one product F' Lambda over
    /// n = the most variables (<see cref="Shape(int, int)"/>: the degrees and the Libra mask do not grow with the number
    /// of tables); the mask variable must be one of the last min n_C.
    /// </summary>
    public static ZkSumcheckShape Shape(IReadOnlyList<int> variables, int maskVariable)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count < 1 || variables.Count > MaxCommitments) throw new ArgumentException($"1..{MaxCommitments} commitments.", nameof(variables));
        int n = variables.Max();
        if (maskVariable < n - variables.Min()) throw new ArgumentException("The mask variable must be a variable of every table.", nameof(maskVariable));
        // Every term is one masked factor times Lambda: the degrees (and the Libra mask) do not depend on K.
        return Shape(n, maskVariable);
    }

    /// <summary>
    /// The row length (entries per matrix row) of a commitment with <paramref name="parameters"/> to a table of
    /// <paramref name="variables"/> variables, for laying out a <see cref="ZkReductionMask"/> before committing; the
    /// canonical split depends on the evaluation slots (<paramref name="evaluationMasks"/>; 0: one per opening plus the
    /// mask's own, as the stored-mask variant commits).
    /// </summary>
    public static int RowLength(LigeroParameters parameters, int variables, int evaluationMasks = 0)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(variables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(variables, LigeroPcs.MaxVariables);
        return 1 << (variables - LigeroPcs.ChooseRowVariables(parameters, variables, 0, evaluationMasks > 0 ? evaluationMasks : parameters.Openings + 1));
    }

    /// <summary>
    /// As <see cref="Prove(Transcript, IReadOnlyList{LigeroProverData}, ReadOnlySpan{int}, ReadOnlySpan{int}, ZkSumcheckMaskSet, int, IReadOnlyList{ZkLinearClaim}, ReadOnlySpan{GoldilocksExt2}, out ZkSumcheckReduction)"/>
    /// with the sumcheck's Libra mask stored in the first commitment (<paramref name="mask"/>; shape
    /// <see cref="Shape(IReadOnlyList{int}, int)"/> with mask variable <paramref name="maskVariable"/>): no mask set, and
    /// the first commitment's opening carries a second functional. The transcript must have absorbed every commitment.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not its functional's value, or the mask does not fit the first table.</exception>
    public static ZkLinearReductionProof Prove(Transcript transcript, IReadOnlyList<LigeroProverData> data, ReadOnlySpan<int> openings, ReadOnlySpan<int> slots,
        ZkReductionMask mask, int maskVariable, IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, out ZkSumcheckReduction reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(mask);
        var commitments = data.Select(d => d?.Commitment ?? throw new ArgumentNullException(nameof(data))).ToArray();
        var variables = CheckCommitments(commitments, openings.Length, slots.Length);
        var shape = Shape(variables, maskVariable);
        CheckMask(commitments[0], shape, mask, slots[0]);
        var tables = data.Select(Table).ToArray();
        var first = tables[0];
        int rowLength = commitments[0].RowLength;
        var g = new GoldilocksExt2[shape.MaskCoefficients];
        for (int t = 0; t < g.Length; t++) g[t] = first[(mask.Row + t) * rowLength + mask.Column];
        // g' = g + x_v (1 - x_v) sigma: sigma enters c_{v,1} and leaves c_{v,2} (round v has degree >= 2).
        GoldilocksExt2 sigma = data[0].EvaluationMask(mask.Slot)[mask.Column];
        int at = shape.CoefficientOffset(shape.MaskVariable);
        g[at] += sigma;
        g[at + 1] -= sigma;
        return Prove(transcript, data, commitments, variables, tables, openings, slots, shape, g, null, mask, claims, values, out reduction);
    }

    /// <summary>Checks a proof of the stored-mask <c>Prove</c>; false on any failed check.</summary>
    public static bool Verify(Transcript transcript, IReadOnlyList<LigeroCommitment> commitments, ReadOnlySpan<int> openings, ReadOnlySpan<int> slots, ZkReductionMask mask,
        int maskVariable, IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, ZkLinearReductionProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(commitments);
        reduction = null;
        foreach (var c in commitments) ArgumentNullException.ThrowIfNull(c, nameof(commitments));
        var variables = CheckCommitments([.. commitments], openings.Length, slots.Length);
        if (maskVariable < variables.Max() - variables.Min() || maskVariable >= variables.Max()) return false;
        var shape = Shape(variables, maskVariable);
        CheckMask(commitments[0], shape, mask, slots[0]);
        return Verify(transcript, commitments, openings, slots, shape, claims, values, proof, mask, out reduction);
    }

    private static void CheckMask(LigeroCommitment first, ZkSumcheckShape shape, ZkReductionMask mask, int slot)
    {
        if (mask.Row < 0 || mask.Row + shape.MaskCoefficients > first.DataRows || mask.Column < 0 || mask.Column >= first.RowLength)
            throw new ArgumentException($"The mask's {shape.MaskCoefficients} coefficients do not fit the first table's {first.DataRows} x {first.RowLength} matrix.", nameof(mask));
        if (mask.Slot < 0 || mask.Slot >= first.EvaluationMasks || mask.Slot == slot) throw new ArgumentException("The mask needs an evaluation slot of its own.", nameof(mask));
    }

    /// <summary>The mask's functional: pow(r) down rows Row.., unit column, weight r_v (1 - r_v) on its slot's mask row.</summary>
    private static LigeroPcs.Functional MaskFunctional(LigeroCommitment first, ZkSumcheckShape shape, ZkReductionMask mask, GoldilocksExt2[] point)
    {
        var rows = new GoldilocksExt2[first.DataRows];
        shape.PowerTable(point, shape.MaskCoefficients).CopyTo(rows.AsSpan(mask.Row));
        var unit = new GoldilocksExt2[first.RowLength];
        unit[mask.Column] = GoldilocksExt2.One;
        GoldilocksExt2 rv = point[shape.MaskVariable];
        return new LigeroPcs.Functional(rows, unit, rv * (GoldilocksExt2.One - rv));
    }

    private static LigeroPcs.Functional EqFunctional(LigeroCommitment commitment, GoldilocksExt2[] point, int maskVariable)
    {
        GoldilocksExt2 rv = point[maskVariable];
        return new LigeroPcs.Functional(Multilinear.EqTable(point.AsSpan(0, commitment.RowVariables))[..commitment.DataRows], Multilinear.EqTable(point.AsSpan(commitment.RowVariables)),
            rv * (GoldilocksExt2.One - rv));
    }

    /// <summary>
    /// Proves that the committed table takes <paramref name="values"/> under <paramref name="claims"/>, opening F with
    /// opening slot <paramref name="opening"/> and evaluation slot <paramref name="slot"/>; the sumcheck uses mask
    /// <paramref name="maskIndex"/> of <paramref name="masks"/>, whose shape must be <see cref="Shape(int, int)"/>. The
    /// transcript must have absorbed F's commitment and the mask set's.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not its functional's value on the committed table.</exception>
    public static ZkLinearReductionProof Prove(Transcript transcript, LigeroProverData data, int opening, int slot, ZkSumcheckMaskSet masks, int maskIndex,
        IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, out ZkSumcheckReduction reduction) =>
        Prove(transcript, [data], [opening], [slot], masks, maskIndex, claims, values, out reduction);

    /// <summary>
    /// Proves the claims on several commitments (a term's <see cref="ZkLinearTerm.Table"/> indexes
    /// <paramref name="data"/>), opening commitment C with opening slot openings[C] and evaluation slot slots[C]; the
    /// sumcheck's mask (<paramref name="maskIndex"/> of <paramref name="masks"/>) has shape
    /// <see cref="Shape(IReadOnlyList{int}, int)"/>. The transcript must have absorbed every commitment and the mask set.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not its functional's value on the committed tables.</exception>
    public static ZkLinearReductionProof Prove(Transcript transcript, IReadOnlyList<LigeroProverData> data, ReadOnlySpan<int> openings, ReadOnlySpan<int> slots,
        ZkSumcheckMaskSet masks, int maskIndex, IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, out ZkSumcheckReduction reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(masks);
        var commitments = data.Select(d => d?.Commitment ?? throw new ArgumentNullException(nameof(data))).ToArray();
        var variables = CheckCommitments(commitments, openings.Length, slots.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(maskIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maskIndex, masks.Shapes.Count);
        var shape = masks.Shapes[maskIndex];
        if (shape != Shape(variables, shape.MaskVariable)) throw new ArgumentException("The mask's shape is not the reduction's.", nameof(masks));
        return Prove(transcript, data, commitments, variables, [.. data.Select(Table)], openings, slots, shape, null, (masks, maskIndex), null, claims, values, out reduction);
    }

    private static ZkLinearReductionProof Prove(Transcript transcript, IReadOnlyList<LigeroProverData> data, LigeroCommitment[] commitments, int[] variables, Goldilocks[][] tables,
        ReadOnlySpan<int> openings, ReadOnlySpan<int> slots, ZkSumcheckShape shape, GoldilocksExt2[]? coefficients, (ZkSumcheckMaskSet Set, int Index)? maskSet,
        ZkReductionMask? stored, IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, out ZkSumcheckReduction reduction)
    {
        CheckClaims(variables, claims, values.Length);
        int n = shape.Variables, k = commitments.Length;
        for (int c = 0; c < k; c++)
            if (data[c].IsOpened(openings[c])) throw new InvalidOperationException("A hiding commitment's opening slot is used once: opening it again would reveal the witness.");
        var beta = Begin(transcript, claims, values);
        var sums = new GoldilocksExt2[k];
        var first = new GoldilocksExt2[2 * k];
        GoldilocksExt2[][] lambdas;
        using (SumcheckTelemetry.Telemetry.Phase("zklr.lambda"))
        {
            // Lambda_C = sum_j beta_j l_(j,C) on C's own cube; one combined check replaces a check per claim.
            lambdas = Lambdas(claims, beta, variables, tables, sums, first);
            GoldilocksExt2 claimed = GoldilocksExt2.Zero, actual = GoldilocksExt2.Zero;
            for (int j = 0; j < claims.Count; j++) claimed += beta[j] * values[j];
            foreach (var s in sums) actual += s;
            if (claimed != actual)
            {
                // The transcript has moved past the values: the caller's proof is void anyway.
                for (int j = 0; j < claims.Count; j++)
                    if (claims[j].Apply(tables) != values[j]) throw new ArgumentException($"Value {j} is not its functional's value.", nameof(values));
                throw new ArgumentException("The values are not their functionals' values.", nameof(values));
            }
        }
        var g = maskSet is { } set ? set.Set.Coefficients(set.Index) : coefficients!;
        var masks = new GoldilocksExt2[k][];
        // Fresh copies (the sumcheck folds them in place).
        for (int c = 0; c < k; c++) masks[c] = data[c].EvaluationMask(slots[c]);
        ZkLinearReductionSumcheck.Result result;
        using (SumcheckTelemetry.Telemetry.Phase("sumcheck.zklr")) result = ZkLinearReductionSumcheck.Prove(transcript, shape, variables, g, tables, lambdas, masks, sums, first);
        var point = result.Point;
        var evaluations = new GoldilocksExt2[2 * k];
        for (int c = 0; c < k; c++)
        {
            evaluations[2 * c] = result.Finals[c];
            evaluations[2 * c + 1] = lambdas[c][0] * ZkLinearReductionSumcheck.Selector(point, variables[c]);
        }
        reduction = new ZkSumcheckReduction(point, evaluations, result.MaskValue);
        var proofs = new LigeroOpening[k];
        for (int c = 0; c < k; c++)
        {
            int lead = n - variables[c];
            var local = point[lead..];
            if (c == 0 && stored is not null)
            {
                var opened = new GoldilocksExt2[2];
                proofs[c] = LigeroPcs.OpenMasked(transcript, data[c], [EqFunctional(commitments[c], local, shape.MaskVariable - lead), MaskFunctional(commitments[c], shape, stored, point)],
                    openings[c], [slots[c], stored.Slot], point, StoredMaskTag, opened);
                continue;
            }
            proofs[c] = LigeroPcs.OpenHiding(transcript, data[c], [local], [slots[c]], [shape.MaskVariable - lead], openings[c], new GoldilocksExt2[1]);
        }
        return new ZkLinearReductionProof(n, result.MaskSum, result.Messages, result.Finals, result.MaskValue, proofs);
    }

    private const ulong StoredMaskTag = 0x5A4C_5253_4D41_534B;

    /// <summary>
    /// Checks <see cref="Prove(Transcript, LigeroProverData, int, int, ZkSumcheckMaskSet, int, IReadOnlyList{ZkLinearClaim}, ReadOnlySpan{GoldilocksExt2}, out ZkSumcheckReduction)"/>'s
    /// proof for the commitment, slots, shape (<see cref="Shape(int, int)"/>), claims and values; on success the caller
    /// still checks <see cref="ZkSumcheckReduction.MaskValue"/> with the mask set's opening at
    /// <see cref="ZkSumcheckReduction.Point"/>. False on any failed check.
    /// </summary>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, int opening, int slot, ZkSumcheckShape shape, IReadOnlyList<ZkLinearClaim> claims,
        ReadOnlySpan<GoldilocksExt2> values, ZkLinearReductionProof proof, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction) =>
        Verify(transcript, [commitment], [opening], [slot], shape, claims, values, proof, out reduction);

    /// <summary>As <see cref="Verify(Transcript, LigeroCommitment, int, int, ZkSumcheckShape, IReadOnlyList{ZkLinearClaim}, ReadOnlySpan{GoldilocksExt2}, ZkLinearReductionProof, out ZkSumcheckReduction)"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, LigeroCommitment commitment, int opening, int slot, ZkSumcheckShape shape, IReadOnlyList<ZkLinearClaim> claims,
        ReadOnlySpan<GoldilocksExt2> values, ReadOnlySpan<byte> proof, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction) =>
        Verify(transcript, [commitment], [opening], [slot], shape, claims, values, ZkLinearReductionProof.FromBytes(proof), out reduction);

    /// <summary>Checks a several-commitment proof (<see cref="Shape(IReadOnlyList{int}, int)"/>); false on any failed check.</summary>
    public static bool Verify(Transcript transcript, IReadOnlyList<LigeroCommitment> commitments, ReadOnlySpan<int> openings, ReadOnlySpan<int> slots, ZkSumcheckShape shape,
        IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, ZkLinearReductionProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction) =>
        Verify(transcript, commitments, openings, slots, shape, claims, values, proof, null, out reduction);

    private static bool Verify(Transcript transcript, IReadOnlyList<LigeroCommitment> commitments, ReadOnlySpan<int> openings, ReadOnlySpan<int> slots, ZkSumcheckShape shape,
        IReadOnlyList<ZkLinearClaim> claims, ReadOnlySpan<GoldilocksExt2> values, ZkLinearReductionProof proof, ZkReductionMask? stored,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ZkSumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(commitments);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(proof);
        reduction = null;
        foreach (var c in commitments) ArgumentNullException.ThrowIfNull(c, nameof(commitments));
        var variables = CheckCommitments([.. commitments], openings.Length, slots.Length);
        if (shape.MaskVariable < shape.Variables - variables.Min() || shape != Shape(variables, shape.MaskVariable)) return false;
        CheckClaims(variables, claims, values.Length);
        if (proof.Openings.Count != commitments.Count || proof.Variables != shape.Variables) return false;
        var beta = Begin(transcript, claims, values);
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int j = 0; j < claims.Count; j++) claim += beta[j] * values[j];
        if (!ZkLinearReductionSumcheck.Replay(transcript, shape, variables, claim, proof.MaskSum, proof.RoundMessages, proof.FinalValues, proof.MaskValue,
            out var point, out var running, out var rho)) return false;
        int n = shape.Variables;
        var evaluations = new GoldilocksExt2[2 * commitments.Count];
        GoldilocksExt2 total = rho * proof.MaskValue;
        for (int c = 0; c < commitments.Count; c++)
        {
            int lead = n - variables[c];
            GoldilocksExt2 lambda = GoldilocksExt2.Zero;
            for (int j = 0; j < claims.Count; j++) lambda += beta[j] * claims[j].Evaluate(c, point.AsSpan(lead));
            lambda *= ZkLinearReductionSumcheck.Selector(point, variables[c]);
            (evaluations[2 * c], evaluations[2 * c + 1]) = (proof.FinalValues[c], lambda);
            total += proof.FinalValues[c] * lambda;
        }
        if (total != running) return false;
        var result = new ZkSumcheckReduction(point, evaluations, proof.MaskValue);
        for (int c = 0; c < commitments.Count; c++)
        {
            int lead = n - variables[c];
            var local = point[lead..];
            if (c == 0 && stored is not null)
            {
                if (!LigeroPcs.VerifyMasked(transcript, commitments[c], [EqFunctional(commitments[c], local, shape.MaskVariable - lead), MaskFunctional(commitments[c], shape, stored, point)],
                    openings[c], [slots[c], stored.Slot], point, StoredMaskTag, [result.Evaluations[0], result.MaskValue], proof.Openings[c])) return false;
                continue;
            }
            if (!LigeroPcs.VerifyHiding(transcript, commitments[c], [local], [slots[c]], [shape.MaskVariable - lead], openings[c],
                result.Evaluations.Slice(2 * c, 1), proof.Openings[c])) return false;
        }
        reduction = result;
        return true;
    }

    private static int[] CheckCommitments(LigeroCommitment[] commitments, int openings, int slots)
    {
        if (commitments.Length < 1 || commitments.Length > MaxCommitments) throw new ArgumentException($"1..{MaxCommitments} commitments.", nameof(commitments));
        if (openings != commitments.Length || slots != commitments.Length) throw new ArgumentException("One opening slot and one evaluation slot per commitment.", nameof(slots));
        foreach (var c in commitments)
            if (!c.Parameters.Hiding) throw new ArgumentException("The reduction opens hiding commitments.", nameof(commitments));
        return [.. commitments.Select(c => c.Variables)];
    }

    private static void CheckClaims(int[] variables, IReadOnlyList<ZkLinearClaim> claims, int values)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Count < 1 || claims.Count > MaxClaims) throw new ArgumentException($"1..{MaxClaims} claims.", nameof(claims));
        if (values != claims.Count) throw new ArgumentException("One value per claim.", nameof(values));
        foreach (var claim in claims)
        {
            ArgumentNullException.ThrowIfNull(claim);
            if (!claim.Fits(variables)) throw new ArgumentException("A claim's term lies outside its table.", nameof(claims));
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

    /// <summary>Rows per task of <see cref="Table"/>'s copy.</summary>
    private const int CopyRows = 64;

    /// <summary>The committed table, read back from the data rows of the prover's matrix (zeros past a zero tail's rows).</summary>
    private static Goldilocks[] Table(LigeroProverData data)
    {
        var commitment = data.Commitment;
        int rowLength = commitment.RowLength;
        // Uninitialised: the rows overwrite their part, the tail past them is cleared; the copy runs on every core.
        var table = GC.AllocateUninitializedArray<Goldilocks>(1 << commitment.Variables);
        int rows = commitment.DataRows;
        table.AsSpan(rows * rowLength).Clear();
        Parallel.For(0, (rows + CopyRows - 1) / CopyRows, block =>
        {
            for (int i = block * CopyRows, end = Math.Min(rows, i + CopyRows); i < end; i++) data.Messages[i].AsSpan(0, rowLength).CopyTo(table.AsSpan(i * rowLength, rowLength));
        });
        return table;
    }

    /// <summary>
    /// Lambda_C = sum_j beta_j l_(j,C) for every table C (on its own cube), sums[C] = &lt;T_C, Lambda_C&gt; and, when
    /// <paramref name="first"/> is given, the sums at t = 0, 2 of C's first own sumcheck round (first[2C], first[2C + 1]).
    /// One parallel pass over pair blocks [from, from + B) and [half + from, half + from + B) (the first round's pairs):
    /// each block is cleared, gets every claim's terms that reach it, and is summed while in cache, so the inner product
    /// and the first round cost six unreduced 64-bit products per pair and no pass of their own.
    /// </summary>
    internal static GoldilocksExt2[][] Lambdas(IReadOnlyList<ZkLinearClaim> claims, GoldilocksExt2[] beta, int[] variables, Goldilocks[][] tables, GoldilocksExt2[] sums,
        GoldilocksExt2[]? first = null)
    {
        int k = variables.Length;
        var lambdas = new GoldilocksExt2[k][];
        var blocks = new List<(int Table, int From, int Length)>();
        for (int c = 0; c < k; c++)
        {
            // Every entry is written by its block (cleared first): no zeroing pass of 2^n entries here.
            lambdas[c] = GC.AllocateUninitializedArray<GoldilocksExt2>(1 << variables[c]);
            int half = lambdas[c].Length / 2, length = Math.Min(half, LambdaBlock);
            for (int from = 0; from < half; from += length) blocks.Add((c, from, length));
        }
        var partial = new GoldilocksExt2[3 * blocks.Count];
        Parallel.For(0, blocks.Count, () => new GoldilocksExt2[LambdaBlock / 2], (b, _, buffer) =>
        {
            var (c, from, length) = blocks[b];
            var lambda = lambdas[c];
            int half = lambda.Length / 2;
            foreach (int start in (ReadOnlySpan<int>)[from, half + from])
            {
                lambda.AsSpan(start, length).Clear();
                for (int j = 0; j < claims.Count; j++) claims[j].AddTo(c, lambda, beta[j], start, length, buffer);
            }
            var table = tables[c];
            (partial[3 * b], partial[3 * b + 1], partial[3 * b + 2]) = ZkLinearReductionSumcheck.FirstSums(table.AsSpan(from, length), table.AsSpan(half + from, length),
                lambda.AsSpan(from, length), lambda.AsSpan(half + from, length));
            return buffer;
        }, _ => { });
        for (int b = 0; b < blocks.Count; b++)
        {
            int c = blocks[b].Table;
            sums[c] += partial[3 * b] + partial[3 * b + 1];
            if (first is null) continue;
            first[2 * c] += partial[3 * b];
            first[2 * c + 1] += partial[3 * b + 2];
        }
        return lambdas;
    }

    /// <summary>Entries of one half of a pair block of the Lambda pass (two halves of 2^13 extension entries: 256 KiB, in L2).</summary>
    private const int LambdaBlock = 1 << 13;
}
