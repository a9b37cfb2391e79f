using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>The MSM's pooled scratch: large arrays reused, only the used prefix cleared, small ones from the shared pool.</summary>
public class ScratchArraysTests
{
    [Fact]
    public void LargeArraysComeBackClearedOverTheirUsedPrefixAndAreReused()
    {
        const int length = (4 << 20) / sizeof(long) + 5; // just above the large threshold once rounded
        var a = ScratchArrays<long>.Rent(length);
        Assert.True(a.Length >= length);
        Assert.Equal(a.Length, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)a.Length));
        Array.Fill(a, 7L, 0, length);
        ScratchArrays<long>.Return(a, length);
        Assert.All(a.AsSpan(0, length).ToArray(), v => Assert.Equal(0L, v));

        // Another caller gets an array at least as long (the pooled one, unless a concurrent test took it), usable in full.
        var b = ScratchArrays<long>.Rent(length - 3);
        Assert.True(b.Length >= length - 3);
        ScratchArrays<long>.Return(b);
    }

    [Fact]
    public void SmallArraysUseTheSharedPool()
    {
        var a = ScratchArrays<int>.Rent(100);
        Assert.True(a.Length >= 100);
        a[99] = 5;
        ScratchArrays<int>.Return(a, 100);
        Assert.Equal(0, a[99]);
    }
}
