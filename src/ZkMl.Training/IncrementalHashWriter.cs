using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Training;

/// <summary>Feeds fixed-width little-endian integers and u32-length-prefixed byte strings into SHA-256 (the digests in docs/contract.md).</summary>
internal sealed class IncrementalHashWriter : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    internal IncrementalHashWriter(ReadOnlySpan<byte> tag) => _hash.AppendData(tag);

    internal void U8(byte v) => _hash.AppendData([v]);

    internal void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _hash.AppendData(b);
    }

    internal void I64(long v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        _hash.AppendData(b);
    }

    internal void Bytes(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        _hash.AppendData(bytes);
    }

    internal void Raw(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

    internal byte[] Finish() => _hash.GetHashAndReset();

    public void Dispose() => _hash.Dispose();
}
