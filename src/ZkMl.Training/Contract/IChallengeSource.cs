namespace ZkMl.Training.Contract;

/// <summary>
/// Randomness the worker cannot steer, for schedule seeds and audit draws: the worker presents a commitment and a purpose,
/// the source returns a <see cref="ChallengeRecord"/>, and anyone holding the contract checks the record with
/// <see cref="Verify"/>. Every value is bound to the contract digest, the purpose and the commitment.
/// </summary>
public interface IChallengeSource
{
    /// <summary>The kind of source (as named in the contract).</summary>
    ChallengeSourceKind Kind { get; }

    /// <summary>Draws the challenge for <paramref name="commitment"/>.</summary>
    /// <exception cref="InvalidOperationException">This instance can only verify, or the source cannot answer yet.</exception>
    ChallengeRecord Draw(ChallengePurpose purpose, ReadOnlySpan<byte> commitment);

    /// <summary>True when <paramref name="record"/> is a valid draw of this source; otherwise false with the reason.</summary>
    bool Verify(ChallengeRecord record, out string reason);
}
