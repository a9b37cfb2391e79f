using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What a sumcheck reduces its claim to: the random point r chosen by the transcript and the factors' values at r
/// as the prover states them. The sumcheck verifier has checked only that their product matches; the caller must
/// still check each value against the factor itself (a commitment opening, or a direct evaluation when public).
/// </summary>
public sealed class SumcheckReduction
{
    private readonly GoldilocksExt2[] _point;
    private readonly GoldilocksExt2[] _evaluations;

    internal SumcheckReduction(GoldilocksExt2[] point, GoldilocksExt2[] evaluations)
    {
        _point = point;
        _evaluations = evaluations;
    }

    /// <summary>The point, one coordinate per variable, first variable first.</summary>
    public ReadOnlySpan<GoldilocksExt2> Point => _point;

    /// <summary>Factor j's claimed value at <see cref="Point"/>.</summary>
    public ReadOnlySpan<GoldilocksExt2> Evaluations => _evaluations;
}
