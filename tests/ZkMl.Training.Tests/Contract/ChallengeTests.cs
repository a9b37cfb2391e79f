using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests.Contract;

public class ChallengeTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static readonly byte[] Commitment = SHA256.HashData("dataset root"u8);

    [Fact]
    public void InteractiveAnswerVerifiesBeforeTheDeadline()
    {
        var contract = ContractSamples.Stark();
        using var auditorKey = ContractSamples.Auditor();
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var record = InteractiveChallenge.ForAuditor(contract, auditorKey, clock).Draw(ChallengePurpose.ScheduleSeed, Commitment);
        Assert.Equal(32, record.Value.Length);
        Assert.True(InteractiveChallenge.ForVerifier(contract, clock.GetUtcNow().AddSeconds(3600)).Verify(record, out string reason), reason);
        Assert.False(InteractiveChallenge.ForVerifier(contract, clock.GetUtcNow().AddSeconds(3601)).Verify(record, out reason));
        Assert.Contains("deadline", reason);
        Assert.Throws<InvalidOperationException>(() => InteractiveChallenge.ForVerifier(contract, clock.GetUtcNow()).Draw(ChallengePurpose.ScheduleSeed, Commitment));
    }

    [Fact]
    public void InteractiveRejectsWrongKeyAlteredValueAndAlteredDeadline()
    {
        var contract = ContractSamples.Stark();
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Throws<ArgumentException>(() => InteractiveChallenge.ForAuditor(contract, impostor));
        var impostorContract = contract with { AuditorPublicKey = [.. impostor.ExportSubjectPublicKeyInfo()] };
        var forged = InteractiveChallenge.ForAuditor(impostorContract, impostor).Draw(ChallengePurpose.AuditSample, Commitment);
        var verifier = InteractiveChallenge.ForVerifier(contract, DateTimeOffset.UtcNow);
        Assert.False(verifier.Verify(forged, out _));

        using var auditorKey = ContractSamples.Auditor();
        var record = InteractiveChallenge.ForAuditor(contract, auditorKey).Draw(ChallengePurpose.AuditSample, Commitment);
        Assert.True(verifier.Verify(record, out string reason), reason);
        var value = record.Value.ToArray();
        value[0] ^= 1;
        Assert.False(verifier.Verify(new ChallengeRecord(record.Purpose, Commitment, value, record.Evidence.AsSpan()), out _));
        Assert.False(verifier.Verify(new ChallengeRecord(ChallengePurpose.ScheduleSeed, Commitment, record.Value.AsSpan(), record.Evidence.AsSpan()), out _));
        var evidence = record.Evidence.ToArray();
        evidence[8] += 1; // a later deadline
        Assert.False(verifier.Verify(new ChallengeRecord(record.Purpose, Commitment, record.Value.AsSpan(), evidence), out _));
        // Bound to the contract: the same record does not verify for another contract with the same auditor.
        Assert.False(InteractiveChallenge.ForVerifier(contract with { StepCount = 1 }, DateTimeOffset.UtcNow).Verify(record, out _));
    }

    /// <summary>A chain and a beacon in one: rounds tick; a statement published at round p is final before round p + 1.</summary>
    private sealed class FakeChain : IBeacon, IPublicationBoard
    {
        private readonly Dictionary<string, ulong> _published = [];
        public ulong Round { get; set; } = 10;
        public ReadOnlyMemory<byte> Id => "test-beacon"u8.ToArray();
        public byte[]? Output(ulong round) => round <= Round ? SHA256.HashData(BitConverter.GetBytes(round)) : null;

        public (ulong Round, byte[] Evidence) Publish(ReadOnlySpan<byte> statement)
        {
            _published[Convert.ToHexString(statement)] = Round;
            Round++; // the next round happens after publication
            return (Round, BitConverter.GetBytes(Round - 1));
        }

        public bool PublishedBefore(ReadOnlySpan<byte> statement, ReadOnlySpan<byte> evidence, ulong round) =>
            _published.TryGetValue(Convert.ToHexString(statement), out ulong at) && evidence.SequenceEqual(BitConverter.GetBytes(at)) && at < round;
    }

    [Fact]
    public void BeaconChallengeVerifiesOnlyWhenPublishedBeforeTheRound()
    {
        var contract = ContractSamples.Groth16();
        var chain = new FakeChain();
        var source = new BeaconChallenge(contract, chain, chain);
        var record = source.Draw(ChallengePurpose.ScheduleSeed, Commitment);
        Assert.True(source.Verify(record, out string reason), reason);

        // The worker sees round 20's output first, then picks a commitment and publishes it in round 25: claiming round 20 fails.
        chain.Round = 25;
        var late = SHA256.HashData("chosen after seeing the beacon"u8);
        chain.Publish(source.Statement(ChallengePurpose.ScheduleSeed, late));
        var evidence = new byte[12 + 8];
        BitConverter.TryWriteBytes(evidence, 20UL);
        BitConverter.TryWriteBytes(evidence.AsSpan(8), 8u);
        BitConverter.TryWriteBytes(evidence.AsSpan(12), 25UL);
        var value = record.Value.AsSpan(); // any value: the publication check fails first
        Assert.False(source.Verify(new ChallengeRecord(ChallengePurpose.ScheduleSeed, late, value, evidence), out reason));
        Assert.Contains("published before", reason);

        var altered = record.Value.ToArray();
        altered[31] ^= 1;
        Assert.False(source.Verify(new ChallengeRecord(record.Purpose, Commitment, altered, record.Evidence.AsSpan()), out _));
        Assert.Throws<ArgumentException>(() => new BeaconChallenge(ContractSamples.Stark(), chain, chain));
    }

    [Fact]
    public void FiatShamirIsDeterministicAndStatesItsGrindingBound()
    {
        var contract = ContractSamples.DeepFiatShamir();
        var source = new FiatShamirChallenge(contract);
        var record = source.Draw(ChallengePurpose.AuditSample, Commitment);
        Assert.True(source.Verify(record, out _));
        Assert.Equal(record.Value.ToArray(), source.Draw(ChallengePurpose.AuditSample, Commitment).Value.ToArray());
        Assert.NotEqual(record.Value.ToArray(), source.Draw(ChallengePurpose.ScheduleSeed, Commitment).Value.ToArray());
        Assert.False(source.Verify(new ChallengeRecord(record.Purpose, Commitment, new byte[32], []), out _));
        // docs/contract.md: 50 of 1000 steps sampled, one bad step: a draw misses it with probability 0.95.
        Assert.Equal(0.95, FiatShamirChallenge.MissProbability(1000, 50, 1), 12);
        Assert.Equal(1 / 0.95, FiatShamirChallenge.ExpectedGrindingHashes(1000, 50, 1), 9);
        Assert.InRange(FiatShamirChallenge.ExpectedGrindingHashes(1000, 50, 10), 1.67, 1.68);
        Assert.Equal(double.PositiveInfinity, FiatShamirChallenge.ExpectedGrindingHashes(10, 10, 1));
    }
}
