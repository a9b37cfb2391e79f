using ZkMl.Common;

namespace ZkMl.Field.Tests;

public class ProgressTests
{
    [Fact]
    public void SynchronousProgressCallsTheHandlerOnTheReportingThreadInOrder()
    {
        var seen = new List<(int Value, int Thread)>();
        var progress = new SynchronousProgress<int>(v => seen.Add((v, Environment.CurrentManagedThreadId)));
        for (int i = 0; i < 5; i++) progress.Report(i);
        Assert.Equal([0, 1, 2, 3, 4], seen.Select(s => s.Value));
        Assert.All(seen, s => Assert.Equal(Environment.CurrentManagedThreadId, s.Thread));
    }

    [Fact]
    public void ScaledProgressMapsAndClampsIntoItsRange()
    {
        var seen = new List<double>();
        var scaled = new ScaledProgress(new SynchronousProgress<double>(seen.Add), 0.25, 0.75);
        foreach (double f in new[] { -1, 0, 0.5, 1, 2 }) scaled.Report(f);
        Assert.Equal([0.25, 0.25, 0.5, 0.75, 0.75], seen);
    }

    [Fact]
    public void NullHandlersAreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new SynchronousProgress<int>(null!));
        Assert.Throws<ArgumentNullException>(() => new ScaledProgress(null!, 0, 1));
    }
}
