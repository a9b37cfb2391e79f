namespace ZkMl.Training.Contract;

/// <summary>
/// Convenience only, NOT sound against a worker who can re-salt its commitment: value =
/// SHA-256("ZkMl.FiatShamirChallenge.v1" || contract digest || purpose || u32 length || commitment), no evidence.
/// Each re-salted commitment costs one hash and gives a fresh draw, so an audit of N of S steps with k bad steps is
/// evaded after about <see cref="ExpectedGrindingHashes"/> hashes (docs/contract.md). Use for tests and local runs.
/// </summary>
public sealed class FiatShamirChallenge : IChallengeSource
{
    private readonly byte[] _contractDigest;

    /// <summary>The source for <paramref name="contract"/> (which must name <see cref="ChallengeSourceKind.FiatShamir"/>).</summary>
    public FiatShamirChallenge(TrainingContract contract) => _contractDigest = ChallengeBinding.CheckedDigest(contract, ChallengeSourceKind.FiatShamir);

    /// <summary>The domain tag of the value hash.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.FiatShamirChallenge.v1"u8;

    /// <inheritdoc />
    public ChallengeSourceKind Kind => ChallengeSourceKind.FiatShamir;

    /// <inheritdoc />
    public ChallengeRecord Draw(ChallengePurpose purpose, ReadOnlySpan<byte> commitment) =>
        new(purpose, commitment, Value(purpose, commitment), []);

    /// <inheritdoc />
    public bool Verify(ChallengeRecord record, out string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        reason = !record.Evidence.IsEmpty ? "a Fiat-Shamir challenge carries no evidence."
            : !record.Value.AsSpan().SequenceEqual(Value(record.Purpose, record.Commitment.AsSpan())) ? "the value is not the hash of the commitment."
            : "";
        return reason.Length == 0;
    }

    /// <summary>
    /// Probability that one draw of <paramref name="sampled"/> of <paramref name="steps"/> steps misses all
    /// <paramref name="badSteps"/> bad ones: C(S-k, N) / C(S, N) = prod_{i&lt;N} (S-k-i)/(S-i).
    /// </summary>
    public static double MissProbability(int steps, int sampled, int badSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        ArgumentOutOfRangeException.ThrowIfNegative(sampled);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampled, steps);
        ArgumentOutOfRangeException.ThrowIfNegative(badSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(badSteps, steps);
        double p = 1;
        for (int i = 0; i < sampled && p > 0; i++) p *= Math.Max(0, steps - badSteps - i) / (double)(steps - i);
        return p;
    }

    /// <summary>Expected hashes (re-salted commitments) until a draw misses every bad step: 1 / <see cref="MissProbability"/> (infinity when no draw can).</summary>
    public static double ExpectedGrindingHashes(int steps, int sampled, int badSteps) => 1 / MissProbability(steps, sampled, badSteps);

    private byte[] Value(ChallengePurpose purpose, ReadOnlySpan<byte> commitment) =>
        ChallengeBinding.Hash(ChallengeBinding.Start(Tag, _contractDigest, purpose, commitment));
}
