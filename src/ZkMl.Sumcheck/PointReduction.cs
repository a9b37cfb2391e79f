using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Reduces claims f~(r_1) = v_1, ..., f~(r_m) = v_m about one multilinear f to one claim f~(r*) = v*: after the points
/// and values are absorbed the transcript draws alpha_2..alpha_m (alpha_1 = 1), and a degree-2 sumcheck proves
/// sum_x f(x) g(x) = sum_i alpha_i v_i with g = sum_i alpha_i eq(r_i, .), which the verifier evaluates itself at the
/// sumcheck's point r*. What it is for: a hiding commitment (<see cref="LigeroParameters.Hiding"/>) may be opened at one
/// point only, so a polynomial that several protocols evaluate is opened once, at r*. Soundness: if some v_i is wrong,
/// the combined claim is wrong except with probability (m - 1) / |F| over the alphas, and the sumcheck then fails except
/// with probability 2 n / |F|.
/// </summary>
public static class PointReduction
{
    /// <summary>Most points reduced at once.</summary>
    public const int MaxPoints = 1024;

    /// <summary>
    /// Proves that f (base-field table of 2^n values) takes <paramref name="values"/> at <paramref name="points"/>. The result's
    /// reduction point is r*, and its evaluations are f~(r*) (the new claim, to be opened) and g(r*).
    /// </summary>
    public static SumcheckProverResult Prove(Transcript transcript, ReadOnlySpan<Goldilocks> f, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        int n = Multilinear.VariableCount(f.Length);
        var alphas = Begin(transcript, n, points, values);
        var g = Combined(points, alphas, n);
        var table = new GoldilocksExt2[f.Length];
        for (int i = 0; i < table.Length; i++) table[i] = f[i];
        return ProductSumcheck.ProveInPlace(transcript, table, g);
    }

    /// <summary>
    /// Verifies a reduction of the claims; on success <paramref name="point"/> is r* and <paramref name="value"/> the claimed
    /// f~(r*), which the caller must still check (a commitment opening). g(r*) is checked here.
    /// </summary>
    public static bool Verify(Transcript transcript, int variables, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values,
        SumcheckProof proof, out GoldilocksExt2[] point, out GoldilocksExt2 value)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(proof);
        (point, value) = ([], GoldilocksExt2.Zero);
        var alphas = Begin(transcript, variables, points, values);
        GoldilocksExt2 claim = GoldilocksExt2.Zero;
        for (int i = 0; i < alphas.Length; i++) claim += alphas[i] * values[i];
        if (!ProductSumcheck.Verify(transcript, variables, 2, claim, proof, out var reduction)) return false;
        GoldilocksExt2 g = GoldilocksExt2.Zero;
        for (int i = 0; i < alphas.Length; i++) g += alphas[i] * Multilinear.Eq(points[i], reduction.Point);
        if (reduction.Evaluations[1] != g) return false;
        (point, value) = (reduction.Point.ToArray(), reduction.Evaluations[0]);
        return true;
    }

    private static GoldilocksExt2[] Begin(Transcript transcript, int variables, IReadOnlyList<GoldilocksExt2[]> points, ReadOnlySpan<GoldilocksExt2> values)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 1 || points.Count > MaxPoints) throw new ArgumentException($"1..{MaxPoints} points.", nameof(points));
        if (values.Length != points.Count) throw new ArgumentException("One value per point.", nameof(values));
        transcript.Absorb("reduction.shape", ((ulong)(uint)variables << 16) | (uint)points.Count);
        foreach (var p in points)
        {
            if (p is null || p.Length != variables) throw new ArgumentException($"Points have {variables} coordinates.", nameof(points));
            transcript.Absorb("reduction.point", p);
        }
        transcript.Absorb("reduction.values", values);
        var alphas = new GoldilocksExt2[points.Count];
        alphas[0] = GoldilocksExt2.One;
        if (alphas.Length > 1) transcript.ChallengeExt("reduction.alpha", alphas.AsSpan(1));
        return alphas;
    }

    /// <summary>g = sum_i alpha_i eq(r_i, .); a point whose leading coordinates are 0 or 1 (a table inside a stacked
    /// commitment) touches only its sub-cube.</summary>
    private static GoldilocksExt2[] Combined(IReadOnlyList<GoldilocksExt2[]> points, GoldilocksExt2[] alphas, int n)
    {
        var g = new GoldilocksExt2[1 << n];
        for (int i = 0; i < alphas.Length; i++)
        {
            var point = points[i];
            int prefix = 0, index = 0;
            while (prefix < n && (point[prefix] == GoldilocksExt2.Zero || point[prefix] == GoldilocksExt2.One))
            {
                index = (index << 1) | (point[prefix] == GoldilocksExt2.One ? 1 : 0);
                prefix++;
            }
            var eq = Multilinear.EqTable(point.AsSpan(prefix));
            var target = g.AsSpan(index << (n - prefix), eq.Length);
            GoldilocksExt2 alpha = alphas[i];
            for (int x = 0; x < eq.Length; x++) target[x] += alpha * eq[x];
        }
        return g;
    }
}
