using System.Security.Cryptography;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>
/// The exact bytes that are signed and hashed on the network (docs/protocol.md, "Trust"). Every signed message starts
/// with its own domain tag and names the run id, so a signature never verifies for another kind of message, another run,
/// another chain or another round. Signatures are ECDSA P-256 low-s (<see cref="WorkerKey.Sign"/>, which also binds the
/// contract digest).
/// </summary>
public static class NetworkMessages
{
    /// <summary>Bytes in a draw nonce.</summary>
    public const int NonceBytes = 32;

    /// <summary>SHA-256 of a contract digest and the commitments (<see cref="TrainingTranscript.ChainDigest"/>).</summary>
    public static byte[] ChainDigest(ReadOnlySpan<byte> contractDigest, IReadOnlyList<byte[]> commitments) =>
        TrainingTranscript.ChainDigest(contractDigest, commitments);

    /// <summary>The 32-byte run id a contributor's shard attestation names for network run <paramref name="runId"/>.</summary>
    public static byte[] ShardRunId(string runId) => SHA256.HashData(new ByteWriter("ZkMl.Network.ShardRun.v1"u8).Text(runId).ToArray());

    /// <summary>What the trainer (the contract's worker key) signs to publish a chain.</summary>
    public static byte[] ChainSigned(string runId, ReadOnlySpan<byte> chainDigest, WireChallenge schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new ByteWriter("ZkMl.Network.Chain.v1"u8).Text(runId).Bytes(chainDigest).Bytes(schedule.Value).Bytes(schedule.Evidence).ToArray();
    }

    /// <summary>A verifier's commitment to its nonce for a round: SHA-256 over the chain, round, index and nonce.</summary>
    public static byte[] NonceCommitment(string runId, ReadOnlySpan<byte> chainDigest, int round, int verifier, ReadOnlySpan<byte> nonce) =>
        SHA256.HashData(new ByteWriter("ZkMl.Network.Nonce.v1"u8).Text(runId).Bytes(chainDigest).U32(round).U32(verifier).Bytes(nonce).ToArray());

    /// <summary>What a verifier signs to commit.</summary>
    public static byte[] CommitSigned(string runId, ReadOnlySpan<byte> chainDigest, int round, int verifier, ReadOnlySpan<byte> commitment) =>
        new ByteWriter("ZkMl.Network.Commit.v1"u8).Text(runId).Bytes(chainDigest).U32(round).U32(verifier).Bytes(commitment).ToArray();

    /// <summary>The challenge value of a completed round: SHA-256 over the chain, the round and every participant's (index, nonce) in index order.</summary>
    public static byte[] ChallengeValue(string runId, ReadOnlySpan<byte> chainDigest, int round, IReadOnlyDictionary<int, byte[]> reveals)
    {
        ArgumentNullException.ThrowIfNull(reveals);
        var w = new ByteWriter("ZkMl.Network.Challenge.v1"u8).Text(runId).Bytes(chainDigest).U32(round).U32(reveals.Count);
        foreach (var (index, nonce) in reveals.OrderBy(p => p.Key)) w.U32(index).Bytes(nonce);
        return SHA256.HashData(w.ToArray());
    }

    /// <summary>The challenged steps for <paramref name="value"/>: the contract's audit sample, or every step under <see cref="AuditPolicy.AllSteps"/>.</summary>
    public static int[] ChallengedSteps(TrainingContract contract, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Audit == AuditPolicy.SampleSteps
            ? AuditSample.Draw(value, contract.StepCount, contract.AuditSampleCount)
            : Enumerable.Range(0, contract.StepCount).ToArray();
    }

    /// <summary>The order in which verifiers are assigned to <paramref name="step"/>: a permutation of 0..n-1 drawn from the challenge value.</summary>
    public static int[] AssignmentOrder(ReadOnlySpan<byte> value, int step, int verifiers)
    {
        var keys = new (ulong Key, int Index)[verifiers];
        Span<byte> hash = stackalloc byte[32];
        for (int i = 0; i < verifiers; i++)
        {
            SHA256.HashData(new ByteWriter("ZkMl.Network.Assign.v1"u8).Bytes(value).U32(step).U32(i).ToArray(), hash);
            keys[i] = (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash), i);
        }
        return [.. keys.OrderBy(k => k.Key).ThenBy(k => k.Index).Select(k => k.Index)];
    }

    /// <summary>What a verifier signs for its verdict on one step's proof.</summary>
    public static byte[] VerdictSigned(string runId, ReadOnlySpan<byte> chainDigest, ReadOnlySpan<byte> challengeValue, int step, ReadOnlySpan<byte> proofSha256, bool valid) =>
        new ByteWriter("ZkMl.Network.Verdict.v1"u8).Text(runId).Bytes(chainDigest).Bytes(challengeValue).U32(step).Bytes(proofSha256).U32(valid ? 1 : 0).ToArray();
}
