using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What a verified <see cref="MaskedSumcheck"/> leaves to the caller: the factors' claimed values at
/// <see cref="Point"/>, and the mask coefficient table's claimed value at <see cref="MaskPoint"/>; each must be
/// checked against its commitment.
/// </summary>
public sealed class MaskedSumcheckReduction
{
    private readonly GoldilocksExt2[] _point, _evaluations, _maskPoint;

    internal MaskedSumcheckReduction(GoldilocksExt2[] point, GoldilocksExt2[] evaluations, GoldilocksExt2[] maskPoint, GoldilocksExt2 maskEvaluation)
    {
        (_point, _evaluations, _maskPoint, MaskEvaluation) = (point, evaluations, maskPoint, maskEvaluation);
    }

    /// <summary>The sumcheck's final point.</summary>
    public ReadOnlySpan<GoldilocksExt2> Point => _point;
    /// <summary>Factor j's claimed value at <see cref="Point"/>.</summary>
    public ReadOnlySpan<GoldilocksExt2> Evaluations => _evaluations;
    /// <summary>The point for the mask's coefficient table.</summary>
    public ReadOnlySpan<GoldilocksExt2> MaskPoint => _maskPoint;
    /// <summary>The coefficient table's claimed multilinear value at <see cref="MaskPoint"/>.</summary>
    public GoldilocksExt2 MaskEvaluation { get; }
}
