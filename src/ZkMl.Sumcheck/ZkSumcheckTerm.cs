using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// One term c prod_{j in Factors} f'_j of a <see cref="ZkSumcheck"/> over a sum of products (e.g. the zero-check
/// sum_x eq(p, x) (C(x) - 2^k Z(x) - R(x)) as three terms over the factors eq, C, Z, R): linear relations between
/// masked polynomials must be proven on the hypercube like this, since f' = f holds there and not at a random point.
/// </summary>
/// <param name="Coefficient">c.</param>
/// <param name="Factors">Indices into the sumcheck's factors (a factor may appear more than once: eq S S).</param>
public sealed record ZkSumcheckTerm(GoldilocksExt2 Coefficient, int[] Factors)
{
    /// <summary>Throws unless the term fits <paramref name="shape"/>: 1..Degree indices, each in range, the term's degree in x_v (<paramref name="masked"/>: which factors are masked) within the shape's.</summary>
    public void Validate(ZkSumcheckShape shape, bool[] masked)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(masked);
        ArgumentNullException.ThrowIfNull(Factors);
        if (Factors.Length < 1 || Factors.Length > shape.Degree) throw new ArgumentException($"A term has 1..{shape.Degree} factors.");
        foreach (int j in Factors)
            if (j < 0 || j >= shape.Factors) throw new ArgumentException($"Factor index {j} out of 0..{shape.Factors - 1}.");
        if (Factors.Count(j => masked[j]) > shape.MaskedPerTerm || Factors.Length + 2 * Factors.Count(j => masked[j]) > shape.RoundDegree(shape.MaskVariable))
            throw new ArgumentException("The term's degree in the mask variable exceeds the shape's.");
    }
}
