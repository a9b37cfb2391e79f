using System.Collections.Immutable;

namespace ZkMl.Training.Contract;

/// <summary>
/// One drawn challenge: what it is for, the worker's commitment it answers, the 32-byte value, and the source's evidence
/// (an auditor signature, a beacon round with publication evidence, or nothing for Fiat-Shamir). Check it with the
/// contract's <see cref="IChallengeSource.Verify"/>, and check that <see cref="Purpose"/> and <see cref="Commitment"/>
/// are the ones the protocol step expects.
/// </summary>
public sealed class ChallengeRecord
{
    /// <summary>Bytes in a challenge value.</summary>
    public const int ValueLength = 32;

    /// <summary>Creates a record.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not 32 bytes.</exception>
    public ChallengeRecord(ChallengePurpose purpose, ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> value, ReadOnlySpan<byte> evidence)
    {
        if (value.Length != ValueLength) throw new ArgumentException($"A challenge value is {ValueLength} bytes, got {value.Length}.", nameof(value));
        Purpose = purpose;
        Commitment = [.. commitment];
        Value = [.. value];
        Evidence = [.. evidence];
    }

    /// <summary>What the challenge is for.</summary>
    public ChallengePurpose Purpose { get; }
    /// <summary>The worker's commitment the challenge answers.</summary>
    public ImmutableArray<byte> Commitment { get; }
    /// <summary>The 32-byte challenge value.</summary>
    public ImmutableArray<byte> Value { get; }
    /// <summary>The source's evidence (layout per source, docs/contract.md).</summary>
    public ImmutableArray<byte> Evidence { get; }
}
