using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>What a fractional-sum GKR proves: the sum as one fraction, and the leaves' claimed values at a point.</summary>
/// <param name="RootNumerator">P of the sum P / Q.</param>
/// <param name="RootDenominator">Q of the sum P / Q.</param>
/// <param name="Point">The leaves' point, first variable first.</param>
/// <param name="LeafNumerator">The claimed p~(Point).</param>
/// <param name="LeafDenominator">The claimed q~(Point).</param>
internal sealed record FractionalSumClaim(GoldilocksExt2 RootNumerator, GoldilocksExt2 RootDenominator, GoldilocksExt2[] Point,
    GoldilocksExt2 LeafNumerator, GoldilocksExt2 LeafDenominator);
