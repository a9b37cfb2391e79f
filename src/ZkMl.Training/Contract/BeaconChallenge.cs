using System.Buffers.Binary;

namespace ZkMl.Training.Contract;

/// <summary>
/// A challenge from a public beacon. The worker publishes the statement
/// <c>S = SHA-256("ZkMl.BeaconChallenge.Statement.v1" || contract digest || purpose || u32 length || commitment)</c>
/// on an <see cref="IPublicationBoard"/>, which names the first beacon round R after publication; the value is
/// <c>SHA-256("ZkMl.BeaconChallenge.v1" || contract digest || purpose || u32 length || commitment || u64 R || u32 length || output(R))</c>.
/// Evidence: <c>u64 R || u32 length || publication evidence</c>. Sound only because the board proves S was published
/// before R: a commitment published later (chosen knowing the output) is rejected.
/// </summary>
public sealed class BeaconChallenge : IChallengeSource
{
    private readonly byte[] _contractDigest;
    private readonly IBeacon _beacon;
    private readonly IPublicationBoard _board;

    /// <summary>The source for <paramref name="contract"/> (which must name <see cref="ChallengeSourceKind.Beacon"/> and this beacon's id).</summary>
    public BeaconChallenge(TrainingContract contract, IBeacon beacon, IPublicationBoard board)
    {
        ArgumentNullException.ThrowIfNull(beacon);
        ArgumentNullException.ThrowIfNull(board);
        _contractDigest = ChallengeBinding.CheckedDigest(contract, ChallengeSourceKind.Beacon);
        if (!beacon.Id.Span.SequenceEqual(contract.BeaconId.AsSpan())) throw new ArgumentException("The beacon is not the contract's.", nameof(beacon));
        _beacon = beacon;
        _board = board;
    }

    /// <summary>The domain tag of the published statement.</summary>
    public static ReadOnlySpan<byte> StatementTag => "ZkMl.BeaconChallenge.Statement.v1"u8;

    /// <summary>The domain tag of the value hash.</summary>
    public static ReadOnlySpan<byte> ValueTag => "ZkMl.BeaconChallenge.v1"u8;

    /// <inheritdoc />
    public ChallengeSourceKind Kind => ChallengeSourceKind.Beacon;

    /// <summary>The statement the worker publishes for <paramref name="commitment"/>.</summary>
    public byte[] Statement(ChallengePurpose purpose, ReadOnlySpan<byte> commitment) =>
        ChallengeBinding.Hash(ChallengeBinding.Start(StatementTag, _contractDigest, purpose, commitment));

    /// <summary>Publishes the statement, then derives the value from the named round.</summary>
    /// <exception cref="InvalidOperationException">The round's output is not available yet (draw again later with the same publication).</exception>
    public ChallengeRecord Draw(ChallengePurpose purpose, ReadOnlySpan<byte> commitment)
    {
        var (round, publication) = _board.Publish(Statement(purpose, commitment));
        byte[] output = _beacon.Output(round) ?? throw new InvalidOperationException($"Beacon round {round} has no output yet.");
        var w = new ContractWriter();
        w.U64(round);
        w.Bytes(publication);
        return new ChallengeRecord(purpose, commitment, Value(purpose, commitment, round, output), w.ToArray());
    }

    /// <inheritdoc />
    public bool Verify(ChallengeRecord record, out string reason)
    {
        ArgumentNullException.ThrowIfNull(record);
        var evidence = record.Evidence.AsSpan();
        if (evidence.Length < 12 || BinaryPrimitives.ReadUInt32LittleEndian(evidence[8..]) != evidence.Length - 12)
        {
            reason = "the evidence is not u64 round || u32 length || publication evidence.";
            return false;
        }
        ulong round = BinaryPrimitives.ReadUInt64LittleEndian(evidence);
        byte[]? output = null;
        reason = !_board.PublishedBefore(Statement(record.Purpose, record.Commitment.AsSpan()), evidence[12..], round)
                ? $"the commitment is not provably published before beacon round {round}."
            : (output = _beacon.Output(round)) is null ? $"beacon round {round} has no output."
            : !record.Value.AsSpan().SequenceEqual(Value(record.Purpose, record.Commitment.AsSpan(), round, output)) ? "the value does not match the beacon output."
            : "";
        return reason.Length == 0;
    }

    private byte[] Value(ChallengePurpose purpose, ReadOnlySpan<byte> commitment, ulong round, ReadOnlySpan<byte> output)
    {
        var w = ChallengeBinding.Start(ValueTag, _contractDigest, purpose, commitment);
        w.U64(round);
        w.Bytes(output);
        return ChallengeBinding.Hash(w);
    }
}
