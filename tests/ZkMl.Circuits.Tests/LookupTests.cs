using ZkMl.Circuits.Lookups;

namespace ZkMl.Circuits.Tests;

public class LookupTests
{
    [Theory]
    [InlineData(-128L)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(127L)]
    public void ReluByLimbLookupsMatchesTheDirectTableAtTheEdges(long x)
    {
        var range = new LookupColumns(LookupGadgets.Range(3));
        var top = new LookupColumns(LookupGadgets.TopLimb(8, 3));
        var (output, positive) = LookupGadgets.Relu(x, 8, 3, range, top, "x");
        Assert.Null(range.FindMissing());
        Assert.Null(top.FindMissing());
        Assert.Equal(2, range.Count); // 8 bits = 3 + 3 + top 2
        Assert.True(LookupGadgets.Relu(8).Contains([x, output, positive]));
        Assert.Equal(Math.Max(x, 0), output);
        Assert.Equal(x > 0 ? 1 : 0, positive);
        // The limbs recompose to x + 2^7.
        var limbs = LookupGadgets.Limbs(x, 8, 3);
        Assert.Equal(x + 128, limbs[0] + (limbs[1] << 3) + (limbs[2] << 6));
    }

    [Theory]
    [InlineData(128L)]
    [InlineData(-129L)]
    [InlineData(1000L)]
    public void OutOfRangeValuesHaveNoTableRow(long x)
    {
        var range = new LookupColumns(LookupGadgets.Range(3));
        var top = new LookupColumns(LookupGadgets.TopLimb(8, 3));
        LookupGadgets.RangeCheckSigned(x, 8, 3, range, top, "x");
        Assert.NotNull(top.FindMissing() ?? range.FindMissing());
        Assert.False(LookupGadgets.Relu(8).Contains([x, Math.Max(x, 0), x > 0 ? 1 : 0]));
    }

    [Fact]
    public void WrongSignOrWrongReluRowsAreNotInTheTables()
    {
        var top = LookupGadgets.TopLimb(8, 3);
        Assert.True(top.Contains([3, 1]));   // u's top limb 3 = 0b11: value >= 0
        Assert.False(top.Contains([3, 0]));
        Assert.False(LookupGadgets.Relu(8).Contains([-5, -5, 0]));
        Assert.False(LookupGadgets.Relu(8).Contains([5, 5, 0]));
        var cols = new LookupColumns(LookupGadgets.Range(2));
        foreach (var v in new long[] { 0, 3, 3, 1 }) cols.Add([v], "v");
        Assert.Equal([1L, 1, 0, 2], cols.Multiplicities());
        Assert.Equal([0L, 3, 3, 1], cols.Column(0));
    }
}
