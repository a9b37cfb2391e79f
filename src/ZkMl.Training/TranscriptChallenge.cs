using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>A <see cref="ChallengeRecord"/> as it appears in a transcript (byte strings base64 in JSON).</summary>
public sealed class TranscriptChallenge
{
    /// <summary>What the challenge is for.</summary>
    public ChallengePurpose Purpose { get; init; }
    /// <summary>The worker's commitment the challenge answers.</summary>
    public byte[] Commitment { get; init; } = [];
    /// <summary>The 32-byte challenge value.</summary>
    public byte[] Value { get; init; } = [];
    /// <summary>The source's evidence (docs/contract.md).</summary>
    public byte[] Evidence { get; init; } = [];

    /// <summary>Copies <paramref name="record"/>.</summary>
    public static TranscriptChallenge From(ChallengeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new TranscriptChallenge { Purpose = record.Purpose, Commitment = [.. record.Commitment], Value = [.. record.Value], Evidence = [.. record.Evidence] };
    }

    /// <summary>The record.</summary>
    /// <exception cref="TranscriptFormatException">The value is not 32 bytes.</exception>
    public ChallengeRecord ToRecord() =>
        Value?.Length == ChallengeRecord.ValueLength
            ? new ChallengeRecord(Purpose, Commitment ?? [], Value, Evidence ?? [])
            : throw new TranscriptFormatException($"a {Purpose} challenge value must be {ChallengeRecord.ValueLength} bytes.");

    internal void AppendTo(IncrementalHashWriter h)
    {
        h.U8((byte)Purpose);
        h.Bytes(Commitment);
        h.Bytes(Value);
        h.Bytes(Evidence);
    }
}
