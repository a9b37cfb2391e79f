using System.Collections.Concurrent;
using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Network.Tests;

/// <summary>A chain and a beacon in one (as the training tests' fake): rounds tick; a statement published at round p is final before round p + 1.</summary>
public sealed class TestBeacon : IBeacon, IPublicationBoard
{
    private readonly ConcurrentDictionary<string, ulong> _published = [];
    private long _round = 10;

    public ReadOnlyMemory<byte> Id => "network-test-beacon"u8.ToArray();

    public byte[]? Output(ulong round) => round <= (ulong)Interlocked.Read(ref _round) ? SHA256.HashData(BitConverter.GetBytes(round)) : null;

    public (ulong Round, byte[] Evidence) Publish(ReadOnlySpan<byte> statement)
    {
        ulong at = (ulong)Interlocked.Increment(ref _round) - 1; // the next round happens after publication
        _published[Convert.ToHexString(statement)] = at;
        return (at + 1, BitConverter.GetBytes(at));
    }

    public bool PublishedBefore(ReadOnlySpan<byte> statement, ReadOnlySpan<byte> evidence, ulong round) =>
        _published.TryGetValue(Convert.ToHexString(statement), out ulong at) && evidence.SequenceEqual(BitConverter.GetBytes(at)) && at < round;
}
