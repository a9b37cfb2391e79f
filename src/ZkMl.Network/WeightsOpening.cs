using ZkMl.Models;
using ZkMl.Training;

namespace ZkMl.Network;

/// <summary>Published weights and the salt that open a weight commitment (the chain's first and last states).</summary>
[GenerateSerializer, Immutable]
public sealed class WeightsOpening
{
    /// <summary>First-layer weights.</summary>
    [Id(0)] public long[] W1 { get; init; } = [];
    /// <summary>Second-layer weights.</summary>
    [Id(1)] public long[] W2 { get; init; } = [];
    /// <summary>The commitment's salt.</summary>
    [Id(2)] public byte[] Salt { get; init; } = [];

    /// <summary>The opening of <paramref name="state"/>'s commitment.</summary>
    public static WeightsOpening Of(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new() { W1 = state.Model.Weights1.ToArray(), W2 = state.Model.Weights2.ToArray(), Salt = state.Salt.ToArray() };
    }

    internal TranscriptWeights ToTranscript() => new() { W1 = W1, W2 = W2, Salt = Salt };
}
