namespace ZkMl.Network.Tests;

/// <summary>One <see cref="TinyRun"/> setup per test class.</summary>
public sealed class TinyRunFixture : IDisposable
{
    public TinyRun Run { get; } = new();

    public void Dispose() => Run.Dispose();
}
