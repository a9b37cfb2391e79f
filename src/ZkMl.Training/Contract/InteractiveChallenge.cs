using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>
/// An auditor answers each commitment with fresh CSPRNG randomness and signs it with its ECDSA P-256 key (the contract's
/// <see cref="TrainingContract.AuditorPublicKey"/>). The signature (P1363, low s) covers
/// <c>"ZkMl.InteractiveChallenge.v1" || contract digest || purpose || u32 length || commitment || value || i64 issuedAt || i64 deadline</c>
/// (Unix seconds, deadline = issuedAt + <see cref="TrainingContract.AnswerWindowSeconds"/>); the evidence is
/// <c>i64 issuedAt || i64 deadline || signature (64)</c>, little-endian. The worker must answer (with its proofs or
/// transcript) by the deadline: a verifier built with the time the answer arrived rejects a late one.
/// </summary>
public sealed class InteractiveChallenge : IChallengeSource
{
    private const int EvidenceLength = 16 + P256.SignatureBytes;
    private readonly byte[] _contractDigest;
    private readonly byte[] _auditorPublicKey;
    private readonly long _window;
    private readonly ECDsa? _auditorKey;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _answeredAt;

    private InteractiveChallenge(TrainingContract contract, ECDsa? auditorKey, TimeProvider time, DateTimeOffset answeredAt)
    {
        _contractDigest = ChallengeBinding.CheckedDigest(contract, ChallengeSourceKind.Interactive);
        _auditorPublicKey = contract.AuditorPublicKey.ToArray();
        _window = contract.AnswerWindowSeconds;
        _auditorKey = auditorKey;
        _time = time;
        _answeredAt = answeredAt;
    }

    /// <summary>The domain tag of auditor signatures.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.InteractiveChallenge.v1"u8;

    /// <summary>The auditor's side: draws and signs challenges with <paramref name="auditorKey"/> (not disposed here), timed by <paramref name="time"/>.</summary>
    /// <exception cref="ArgumentException">The key is not the contract's auditor key.</exception>
    public static InteractiveChallenge ForAuditor(TrainingContract contract, ECDsa auditorKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(auditorKey);
        if (!P256.IsP256(auditorKey) || !auditorKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(contract.AuditorPublicKey.AsSpan()))
            throw new ArgumentException("The key is not the contract's auditor key.", nameof(auditorKey));
        return new InteractiveChallenge(contract, auditorKey, time ?? TimeProvider.System, DateTimeOffset.MaxValue);
    }

    /// <summary>The verifier's side: checks records against the contract, for an answer that arrived at <paramref name="answeredAt"/>.</summary>
    public static InteractiveChallenge ForVerifier(TrainingContract contract, DateTimeOffset answeredAt) =>
        new(contract, null, TimeProvider.System, answeredAt);

    /// <inheritdoc />
    public ChallengeSourceKind Kind => ChallengeSourceKind.Interactive;

    /// <inheritdoc />
    public ChallengeRecord Draw(ChallengePurpose purpose, ReadOnlySpan<byte> commitment)
    {
        if (_auditorKey is null) throw new InvalidOperationException("A verifier-side instance cannot draw challenges.");
        byte[] value = RandomNumberGenerator.GetBytes(ChallengeRecord.ValueLength);
        long issued = _time.GetUtcNow().ToUnixTimeSeconds();
        long deadline = issued + _window;
        var evidence = new byte[EvidenceLength];
        BinaryPrimitives.WriteInt64LittleEndian(evidence, issued);
        BinaryPrimitives.WriteInt64LittleEndian(evidence.AsSpan(8), deadline);
        P256.Sign(_auditorKey, SignedBytes(purpose, commitment, value, issued, deadline)).CopyTo(evidence.AsSpan(16));
        return new ChallengeRecord(purpose, commitment, value, evidence);
    }

    /// <inheritdoc />
    public bool Verify(ChallengeRecord record, out string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        var evidence = record.Evidence.AsSpan();
        if (evidence.Length != EvidenceLength)
        {
            reason = $"the evidence must be {EvidenceLength} bytes, has {evidence.Length}.";
            return false;
        }
        long issued = BinaryPrimitives.ReadInt64LittleEndian(evidence);
        long deadline = BinaryPrimitives.ReadInt64LittleEndian(evidence[8..]);
        reason = deadline - issued != _window ? $"the deadline is not issue time + {_window} s."
            : !P256.Verify(_auditorPublicKey, SignedBytes(record.Purpose, record.Commitment.AsSpan(), record.Value.AsSpan(), issued, deadline), evidence[16..])
                ? "the auditor's signature does not verify (wrong key, altered record or high s)."
            : _answeredAt.ToUnixTimeSeconds() > deadline
                ? $"the answer arrived at {_answeredAt.ToUnixTimeSeconds()}, after the deadline {deadline} (Unix seconds)."
            : "";
        return reason.Length == 0;
    }

    private byte[] SignedBytes(ChallengePurpose purpose, ReadOnlySpan<byte> commitment, ReadOnlySpan<byte> value, long issued, long deadline)
    {
        var w = ChallengeBinding.Start(Tag, _contractDigest, purpose, commitment);
        w.Raw(value);
        w.U64((ulong)issued);
        w.U64((ulong)deadline);
        return w.ToArray();
    }
}
