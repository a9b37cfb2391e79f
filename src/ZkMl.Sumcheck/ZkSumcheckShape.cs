using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The public shape of a <see cref="ZkSumcheck"/>: <see cref="Variables"/> n, <see cref="Factors"/> k of which
/// <see cref="MaskedFactors"/> m are masked extensions f'(x) = f~(x) + x_v (1 - x_v) R~(x_suffix) sharing the mask
/// variable v = <see cref="MaskVariable"/>. Round i's polynomial has degree k; round v's k + 2m (a masked factor has
/// degree &lt;= 3 in x_v), at least 2 so that the mask polynomial's own x_v (1 - x_v) term fits. The Libra mask of the
/// sumcheck has one coefficient per degree of every round plus a constant (<see cref="MaskCoefficients"/>).
/// </summary>
/// <param name="Variables">n, 1..<see cref="SumcheckProof.MaxVariables"/>.</param>
/// <param name="Factors">k, 1..<see cref="MaxFactors"/>.</param>
/// <param name="MaskedFactors">m, 0..k, with the degree of round v &lt;= <see cref="SumcheckProof.MaxDegree"/>.</param>
/// <param name="MaskVariable">v, 0..n - 1: the variable of the masked factors' x_v (1 - x_v) term (the one their hiding openings use).</param>
/// <param name="TermFactors">
/// For a sum of products (<see cref="ZkSumcheckTerm"/>): the most factors in one term, which sets the degrees in place
/// of k (round v: TermFactors + 2 min(m, TermFactors)); 0 (the default) for the single product of all k factors.
/// </param>
/// <param name="TermMaskedFactors">For a sum of products: the most masked factors in one term (0, the default: no bound beyond m and the term size).</param>
public sealed record ZkSumcheckShape(int Variables, int Factors, int MaskedFactors, int MaskVariable, int TermFactors = 0, int TermMaskedFactors = 0)
{
    /// <summary>Most factors of one sumcheck.</summary>
    public const int MaxFactors = 128;

    /// <summary>The most factors of one term: <see cref="TermFactors"/>, or all k.</summary>
    public int Degree => TermFactors == 0 ? Factors : TermFactors;

    /// <summary>Throws unless the shape is in range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Variables, 1, nameof(Variables));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Variables, SumcheckProof.MaxVariables, nameof(Variables));
        ArgumentOutOfRangeException.ThrowIfLessThan(Factors, 1, nameof(Factors));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Factors, MaxFactors, nameof(Factors));
        ArgumentOutOfRangeException.ThrowIfNegative(MaskedFactors, nameof(MaskedFactors));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaskedFactors, Factors, nameof(MaskedFactors));
        ArgumentOutOfRangeException.ThrowIfNegative(TermFactors, nameof(TermFactors));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TermFactors, Factors, nameof(TermFactors));
        ArgumentOutOfRangeException.ThrowIfNegative(TermMaskedFactors, nameof(TermMaskedFactors));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TermMaskedFactors, Degree, nameof(TermMaskedFactors));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Degree + 2 * MaskedPerTerm, SumcheckProof.MaxDegree, nameof(MaskedFactors));
        ArgumentOutOfRangeException.ThrowIfNegative(MaskVariable, nameof(MaskVariable));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(MaskVariable, Variables, nameof(MaskVariable));
    }

    /// <summary>Degree of round <paramref name="round"/>'s polynomial (values sent: this many, at 0, 2, 3, ...).</summary>
    public int RoundDegree(int round) => round == MaskVariable ? Math.Max(2, Degree + 2 * MaskedPerTerm) : Degree;

    /// <summary>The most masked factors one term may hold.</summary>
    public int MaskedPerTerm => Math.Min(MaskedFactors, TermMaskedFactors == 0 ? Degree : TermMaskedFactors);

    /// <summary>Extension elements of all round messages.</summary>
    public int MessageCount
    {
        get
        {
            int count = 0;
            for (int i = 0; i < Variables; i++) count += RoundDegree(i);
            return count;
        }
    }

    /// <summary>Coefficients of the Libra mask g(x) = a_0 + sum_i sum_{t=1..d_i} c_{i,t} x_i^t: 1 + the sum of the round degrees.</summary>
    public int MaskCoefficients => 1 + MessageCount;

    /// <summary>Index in the coefficient table of c_{i,1} (c_{i,t} follows at + t - 1).</summary>
    internal int CoefficientOffset(int variable)
    {
        int offset = 1;
        for (int i = 0; i < variable; i++) offset += RoundDegree(i);
        return offset;
    }

    /// <summary>(1, r_0, .., r_0^d_0, r_1, ..) zero-padded to <paramref name="length"/>: g(r) is its inner product with the coefficients.</summary>
    internal GoldilocksExt2[] PowerTable(ReadOnlySpan<GoldilocksExt2> point, int length)
    {
        var table = new GoldilocksExt2[length];
        table[0] = GoldilocksExt2.One;
        for (int i = 0, at = 1; i < Variables; i++)
        {
            GoldilocksExt2 power = GoldilocksExt2.One;
            for (int t = 1; t <= RoundDegree(i); t++) table[at++] = power *= point[i];
        }
        return table;
    }

    /// <summary>The shape as one integer for the transcript.</summary>
    internal ulong Tag => (ulong)(uint)MaskVariable << 48 | (ulong)(uint)Variables << 40 | (ulong)(uint)TermMaskedFactors << 32 | (ulong)(uint)TermFactors << 24
        | (ulong)(uint)Factors << 16 | (ulong)(uint)MaskedFactors << 8;
}
