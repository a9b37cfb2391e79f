using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Training.OnChain;

/// <summary>
/// The training-run contract's draw of challenged steps: value = <c>sha256("ZkMl.OnChainAudit.v1" || blockhash(drawBlock) ||
/// runId || chainRoot)</c>, drawBlock the block after the root was posted; the steps are <see cref="AuditSample.Draw"/> of
/// that value (every step when the run challenges all of them).
/// </summary>
public static class OnChainAudit
{
    /// <summary>The domain tag of the challenge value.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.OnChainAudit.v1"u8;

    /// <summary>The challenge value of a run from its draw block's hash (each argument 32 bytes).</summary>
    public static byte[] ChallengeValue(ReadOnlySpan<byte> blockHash, ReadOnlySpan<byte> runId, ReadOnlySpan<byte> chainRoot)
    {
        if (blockHash.Length != 32 || runId.Length != 32 || chainRoot.Length != 32)
            throw new ArgumentException("The block hash, run id and chain root are 32 bytes each.");
        return SHA256.HashData([.. Tag, .. blockHash, .. runId, .. chainRoot]);
    }

    /// <summary>The challenged steps, sorted.</summary>
    public static int[] Steps(ReadOnlySpan<byte> challengeValue, int stepCount, int challengeCount) =>
        challengeCount == stepCount ? Enumerable.Range(0, stepCount).ToArray() : AuditSample.Draw(challengeValue, stepCount, challengeCount);
}
