using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>A <see cref="ChallengeRecord"/> on the wire (the trainer's schedule-seed challenge).</summary>
[GenerateSerializer, Immutable]
public sealed class WireChallenge
{
    /// <summary>What the challenge is for.</summary>
    [Id(0)] public ChallengePurpose Purpose { get; init; }
    /// <summary>The commitment it answers.</summary>
    [Id(1)] public byte[] Commitment { get; init; } = [];
    /// <summary>The 32-byte value.</summary>
    [Id(2)] public byte[] Value { get; init; } = [];
    /// <summary>The source's evidence.</summary>
    [Id(3)] public byte[] Evidence { get; init; } = [];

    /// <summary>The wire form of <paramref name="record"/>.</summary>
    public static WireChallenge From(ChallengeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new() { Purpose = record.Purpose, Commitment = [.. record.Commitment], Value = [.. record.Value], Evidence = [.. record.Evidence] };
    }

    /// <summary>The record; throws <see cref="ArgumentException"/> for a value that is not 32 bytes.</summary>
    public ChallengeRecord ToRecord() => new(Purpose, Commitment, Value, Evidence);
}
