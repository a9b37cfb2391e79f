using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkSumcheckFactor.Restrict(ReadOnlySpan{Goldilocks}, int, ReadOnlySpan{GoldilocksExt2})"/> (base table, parallel
/// chunks, base-by-extension products) equals the extension-field restriction of the widened table, for every position
/// of the fixed variables; <see cref="ZkSumcheckFactor.Over"/> holds the caller's arrays.
/// </summary>
public class ZkSumcheckFactorRestrictTests
{
    [Theory]
    [InlineData(4, 0)]
    [InlineData(4, 2)]
    [InlineData(16, 1)]
    [InlineData(16, 6)]
    [InlineData(17, 10)]
    public void TheBaseRestrictionEqualsTheExtensionOne(int n, int m)
    {
        var random = new Random(n * 31 + m);
        var table = Enumerable.Range(0, 1 << n).Select(_ => Goldilocks.Random(random)).ToArray();
        var wide = table.Select(v => (GoldilocksExt2)v).ToArray();
        var values = Enumerable.Range(0, m).Select(_ => new GoldilocksExt2(Goldilocks.Random(random), Goldilocks.Random(random))).ToArray();
        foreach (int first in new[] { 0, (n - m) / 2, n - m })
            Assert.Equal(ZkSumcheckFactor.Restrict(wide, first, values), ZkSumcheckFactor.Restrict(table, first, values));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZkSumcheckFactor.Restrict(table, n - m + 1, values));
    }

    [Fact]
    public void OverHoldsTheTableAndMask()
    {
        GoldilocksExt2[] table = [GoldilocksExt2.One, GoldilocksExt2.Zero], mask = [GoldilocksExt2.One];
        var factor = ZkSumcheckFactor.Over(table, mask);
        Assert.Same(table, factor.Table);
        Assert.Same(mask, factor.Mask);
        Assert.False(ZkSumcheckFactor.Over(table).IsMasked);
        Assert.Throws<ArgumentNullException>(() => ZkSumcheckFactor.Over(null!));
    }
}
