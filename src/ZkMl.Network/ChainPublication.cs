namespace ZkMl.Network;

/// <summary>
/// The trainer's publication of the whole run before any step is challenged: the schedule-seed challenge, the commitment
/// chain (StepCount + 1 weight commitments), the openings of its first and last commitments, and the trainer's signature
/// (the contract's worker key) over <see cref="NetworkMessages.ChainSigned"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ChainPublication
{
    /// <summary>The schedule-seed challenge (commitment: the contract digest).</summary>
    [Id(0)] public WireChallenge ScheduleChallenge { get; init; } = new();
    /// <summary>Weight commitments 0..StepCount.</summary>
    [Id(1)] public byte[][] Commitments { get; init; } = [];
    /// <summary>Opens commitment 0.</summary>
    [Id(2)] public WeightsOpening InitialWeights { get; init; } = new();
    /// <summary>Opens the last commitment.</summary>
    [Id(3)] public WeightsOpening FinalWeights { get; init; } = new();
    /// <summary>The worker key's signature over <see cref="NetworkMessages.ChainSigned"/>.</summary>
    [Id(4)] public byte[] Signature { get; init; } = [];
}
