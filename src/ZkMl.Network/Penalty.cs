namespace ZkMl.Network;

/// <summary>A recorded penalty: a verifier excluded from the run (withheld reveal or missed commit).</summary>
[GenerateSerializer, Immutable]
public sealed class Penalty
{
    /// <summary>The verifier's index.</summary>
    [Id(0)] public int Verifier { get; init; }
    /// <summary>The draw round.</summary>
    [Id(1)] public int Round { get; init; }
    /// <summary>What it failed to do.</summary>
    [Id(2)] public string Reason { get; init; } = "";
}
