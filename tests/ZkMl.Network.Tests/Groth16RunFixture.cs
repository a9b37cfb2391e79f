namespace ZkMl.Network.Tests;

/// <summary>One <see cref="ShardedGroth16Run"/> per test class.</summary>
public sealed class Groth16RunFixture : IDisposable
{
    public ShardedGroth16Run Run { get; } = new();

    public void Dispose() => Run.Dispose();
}
