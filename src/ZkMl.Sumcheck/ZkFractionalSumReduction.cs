using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What a verified <see cref="ZkFractionalSumGkr"/> leaves to the caller: the four leaf factors' claimed values at
/// <see cref="Point"/> (p'(0, r), p'(1, r), q'(0, r), q'(1, r), masked factors' values to be checked with their hiding
/// openings at r, mask variable 0; plain factors' values against the caller's own evaluation).
/// </summary>
public sealed class ZkFractionalSumReduction
{
    private readonly GoldilocksExt2[] _point, _leafValues;

    internal ZkFractionalSumReduction(GoldilocksExt2[] point, GoldilocksExt2[] leafValues, GoldilocksExt2[][] stepPoints, GoldilocksExt2[] folds)
    {
        (_point, _leafValues, StepPoints, Folds) = (point, leafValues, stepPoints, folds);
    }

    /// <summary>Every step's sumcheck point, root step first (for tests that evaluate the layers there).</summary>
    internal GoldilocksExt2[][] StepPoints { get; }
    /// <summary>The mu of steps 2..n - 1 (the next step's claim is at (mu, r)).</summary>
    internal GoldilocksExt2[] Folds { get; }

    /// <summary>The point r of the leaves' halves (n - 1 coordinates).</summary>
    public ReadOnlySpan<GoldilocksExt2> Point => _point;
    /// <summary>The leaf factors' claimed values at r, in the order p(0, .), p(1, .), q(0, .), q(1, .).</summary>
    public ReadOnlySpan<GoldilocksExt2> LeafValues => _leafValues;
}
