using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The zero-knowledge form of a matrix product's claim: c sum_k A~(p_r, k) B~(k, p_c) = sum_i w_i T~_i(p) + e for an
/// output point p = (p_r, p_c), public c, w_i, e and masked tables (A [rows x inner], B [inner x columns], T_i over the
/// output), proven as ONE <see cref="ZkSumcheck"/> whose only claim is the public e, so that no value at p (which would
/// be an unmasked linear function of the witness, or false between masked extensions) is ever sent:
/// sum_x [c sel_k(x) A'(p_r, x_tail) B'(x_tail, p_c) - sum_i w_i eq(p, x_tail) sel_x(x) T'_i(x_tail)] = e over
/// n = max(n_inner, n_output) variables, the side with fewer variables repeated over the extra leading ones and
/// multiplied by the selector eq(0, x_lead) (folded into eq on the output side). The masked factors' finals go back to
/// the caller as claims (e.g. <see cref="ZkLinearClaim"/>s when their masks are committed scalars). Soundness: the
/// identity is the sumcheck's statement (sum_i d_i / p^2 + 1 / p^2); if c A B differs from sum_i w_i T_i + e at some
/// output entry, the left side's multilinear extension at a random p differs except with n_output / p^2.
/// </summary>
public static class ZkBilinearZeroCheck
{
    /// <summary>Most output tables T_i.</summary>
    public const int MaxTables = ZkSumcheckShape.MaxFactors - 4;

    /// <summary>The sumcheck's shape: factors sel_k, A', B', eq-and-selector, T'_1..T'_m; the mask variable one of the last min(n_inner, n_output).</summary>
    public static ZkSumcheckShape Shape(int innerVariables, int outputVariables, int tables, int maskVariable)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(innerVariables, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputVariables, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(tables, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tables, MaxTables);
        int n = Math.Max(innerVariables, outputVariables);
        if (maskVariable < n - Math.Min(innerVariables, outputVariables) || maskVariable >= n) throw new ArgumentException("The mask variable must be a variable of both sides.", nameof(maskVariable));
        return new ZkSumcheckShape(n, 4 + tables, 2 + tables, maskVariable, TermFactors: 3, TermMaskedFactors: 2);
    }

    /// <summary>The terms c (sel_k A B) and -w_i (eq T_i), as prover and verifier use them.</summary>
    public static ZkSumcheckTerm[] Terms(GoldilocksExt2 multiplier, ReadOnlySpan<GoldilocksExt2> weights)
    {
        if (weights.Length < 1 || weights.Length > MaxTables) throw new ArgumentException($"1..{MaxTables} weights.", nameof(weights));
        var terms = new ZkSumcheckTerm[1 + weights.Length];
        terms[0] = new ZkSumcheckTerm(multiplier, [0, 1, 2]);
        for (int i = 0; i < weights.Length; i++) terms[1 + i] = new ZkSumcheckTerm(-weights[i], [3, 4 + i]);
        return terms;
    }

    /// <summary>
    /// The factors for <see cref="ZkSumcheck"/>: A restricted to p_r and B to p_c (tables over the inner variables), each
    /// T_i over the output, all repeated to n variables, with their masks (<paramref name="masks"/>: A, B, then the T_i;
    /// each over the last variables of its own table, e.g. a one-entry scalar), and the public selector and eq factors.
    /// </summary>
    public static ZkSumcheckFactor[] Factors(ReadOnlySpan<Goldilocks> a, ReadOnlySpan<Goldilocks> b, IReadOnlyList<Goldilocks[]> tables, ReadOnlySpan<GoldilocksExt2> rowPoint,
        ReadOnlySpan<GoldilocksExt2> columnPoint, IReadOnlyList<GoldilocksExt2[]> masks)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(masks);
        if (tables.Count < 1 || tables.Count > MaxTables || masks.Count != 2 + tables.Count) throw new ArgumentException("One mask for A, B and each table.", nameof(masks));
        int outputVariables = rowPoint.Length + columnPoint.Length;
        int inner = Multilinear.VariableCount(a.Length) - rowPoint.Length;
        if (inner < 1 || Multilinear.VariableCount(b.Length) != inner + columnPoint.Length) throw new ArgumentException("A and B do not share the inner dimension.", nameof(b));
        foreach (var t in tables)
            if (t is null || t.Length != 1 << outputVariables) throw new ArgumentException("Each table is over the output.", nameof(tables));
        int n = Math.Max(inner, outputVariables);
        var left = ZkSumcheckFactor.Restrict(a, 0, rowPoint);
        var right = ZkSumcheckFactor.Restrict(b, inner, columnPoint);
        var selector = new GoldilocksExt2[1 << n];
        selector.AsSpan(0, 1 << inner).Fill(GoldilocksExt2.One);
        var eq = new GoldilocksExt2[1 << n];
        Multilinear.EqTable([.. rowPoint, .. columnPoint]).CopyTo(eq, 0);
        var factors = new ZkSumcheckFactor[4 + tables.Count];
        factors[0] = new ZkSumcheckFactor(selector);
        factors[1] = ZkSumcheckFactor.Masked(Repeat(left, n), masks[0]);
        factors[2] = ZkSumcheckFactor.Masked(Repeat(right, n), masks[1]);
        factors[3] = new ZkSumcheckFactor(eq);
        for (int i = 0; i < tables.Count; i++) factors[4 + i] = ZkSumcheckFactor.Masked(Repeat([.. tables[i].Select(v => (GoldilocksExt2)v)], n), masks[2 + i]);
        return factors;
    }

    /// <summary>
    /// The verifier's part after <see cref="ZkSumcheck.Verify(Transcript, ZkSumcheckShape, IReadOnlyList{ZkSumcheckTerm}, GoldilocksExt2, ZkSumcheckProof, out ZkSumcheckReduction)"/>
    /// with claim e: the public finals (selector and eq at r) are as claimed; then A'(p_r, r_inner), B'(r_inner, p_c) are
    /// <c>Evaluations[1]</c>, <c>[2]</c> and T'_i(r_output) <c>[4 + i]</c>, r_inner and r_output the last coordinates of r.
    /// </summary>
    public static bool CheckPublicFinals(ZkSumcheckReduction reduction, int innerVariables, ReadOnlySpan<GoldilocksExt2> outputPoint)
    {
        ArgumentNullException.ThrowIfNull(reduction);
        var r = reduction.Point;
        int n = r.Length;
        GoldilocksExt2 selector = GoldilocksExt2.One, eq = Multilinear.Eq(outputPoint, r[(n - outputPoint.Length)..]);
        for (int i = 0; i < n - innerVariables; i++) selector *= GoldilocksExt2.One - r[i];
        for (int i = 0; i < n - outputPoint.Length; i++) eq *= GoldilocksExt2.One - r[i];
        return reduction.Evaluations[0] == selector && reduction.Evaluations[3] == eq;
    }

    private static GoldilocksExt2[] Repeat(GoldilocksExt2[] table, int n)
    {
        if (table.Length == 1 << n) return table;
        var result = new GoldilocksExt2[1 << n];
        for (int i = 0; i < result.Length; i += table.Length) table.CopyTo(result, i);
        return result;
    }
}
