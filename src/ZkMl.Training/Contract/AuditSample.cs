using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>
/// Draws N distinct steps of S, uniformly, from a 32-byte challenge value: block j = SHA-256("ZkMl.AuditSample.v1" ||
/// value || u32 LE j) for j = 0, 1, ...; each block is four u64 LE words w, taken in order; a word is accepted when
/// w &gt;= 2^64 mod S (so every step is equally likely), gives step w mod S, and is skipped when already drawn.
/// Stops at N distinct steps; the result is sorted.
/// </summary>
public static class AuditSample
{
    /// <summary>The domain tag of the draw.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.AuditSample.v1"u8;

    /// <summary>The sorted steps drawn; <paramref name="count"/> of <paramref name="stepCount"/>.</summary>
    public static int[] Draw(ReadOnlySpan<byte> challengeValue, int stepCount, int count)
    {
        if (challengeValue.Length != ChallengeRecord.ValueLength) throw new ArgumentException("A challenge value is 32 bytes.", nameof(challengeValue));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepCount);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, stepCount);
        ulong s = (ulong)stepCount;
        ulong threshold = (0UL - s) % s; // 2^64 mod S
        var chosen = new SortedSet<int>();
        Span<byte> input = stackalloc byte[Tag.Length + 36];
        Tag.CopyTo(input);
        challengeValue.CopyTo(input[Tag.Length..]);
        Span<byte> block = stackalloc byte[32];
        for (uint j = 0; chosen.Count < count; j++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(input[^4..], j);
            SHA256.HashData(input, block);
            for (int k = 0; k < 4 && chosen.Count < count; k++)
            {
                ulong w = BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * k)..]);
                if (w >= threshold) chosen.Add((int)(w % s));
            }
        }
        return [.. chosen];
    }
}
