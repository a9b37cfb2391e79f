using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What a verified <see cref="ZkSumcheck"/> leaves to the caller: each factor's claimed value at <see cref="Point"/>
/// (a masked factor's f'_j(r): check it with the hiding opening of its commitment's slot, mask variable v), and the
/// mask's claimed value (check it with <see cref="ZkSumcheckMaskSet.Verify"/>).
/// </summary>
public sealed class ZkSumcheckReduction
{
    private readonly GoldilocksExt2[] _point, _evaluations;

    internal ZkSumcheckReduction(GoldilocksExt2[] point, GoldilocksExt2[] evaluations, GoldilocksExt2 maskValue)
    {
        (_point, _evaluations, MaskValue) = (point, evaluations, maskValue);
    }

    /// <summary>The final point r.</summary>
    public ReadOnlySpan<GoldilocksExt2> Point => _point;
    /// <summary>Factor j's claimed value at r.</summary>
    public ReadOnlySpan<GoldilocksExt2> Evaluations => _evaluations;
    /// <summary>The mask's claimed value g'(r).</summary>
    public GoldilocksExt2 MaskValue { get; }
}
