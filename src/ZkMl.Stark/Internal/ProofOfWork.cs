using System.Buffers.Binary;
using System.Numerics;

namespace ZkMl.Stark.Internal;

/// <summary>Grinding: a nonce whose Blake3(state || nonce) starts with the required number of zero bits.</summary>
internal static class ProofOfWork
{
    /// <summary>Leading zero bits of Blake3(state || nonce).</summary>
    public static int LeadingZeros(ReadOnlySpan<byte> state, ulong nonce)
    {
        Span<byte> input = stackalloc byte[40];
        state.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[32..], nonce);
        Span<byte> output = stackalloc byte[32];
        Blake3.Hasher.Hash(input, output);
        return BitOperations.LeadingZeroCount(BinaryPrimitives.ReadUInt64BigEndian(output));
    }

    /// <summary>The smallest nonce meeting the proof-of-work target (deterministic whatever the thread timing).</summary>
    public static ulong Grind(byte[] state, int bits)
    {
        if (bits == 0) return 0;
        long found = long.MaxValue;
        const long batch = 1 << 16;
        for (long baseNonce = 0; found == long.MaxValue; baseNonce += batch * Environment.ProcessorCount)
        {
            long b0 = baseNonce;
            // Each thread scans its whole range up to its first hit, so the round's minimum is the global minimum.
            Parallel.For(0, Environment.ProcessorCount, t =>
            {
                long s = b0 + t * batch;
                for (long nonce = s; nonce < s + batch && nonce < Interlocked.Read(ref found); nonce++)
                {
                    if (LeadingZeros(state, (ulong)nonce) < bits) continue;
                    long seen;
                    while (nonce < (seen = Interlocked.Read(ref found)) && Interlocked.CompareExchange(ref found, nonce, seen) != seen) { }
                    return;
                }
            });
        }
        return (ulong)found;
    }
}
