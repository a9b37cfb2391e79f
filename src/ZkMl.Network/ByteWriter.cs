using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ZkMl.Network;

/// <summary>Little-endian, length-prefixed encoding of signed and hashed messages.</summary>
internal sealed class ByteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    internal ByteWriter(ReadOnlySpan<byte> tag) => Raw(tag);

    internal ByteWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    internal ByteWriter U32(int value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), (uint)value);
        _buffer.Advance(4);
        return this;
    }

    internal ByteWriter Bytes(ReadOnlySpan<byte> bytes) => U32(bytes.Length).Raw(bytes);

    internal ByteWriter Text(string text) => Bytes(Encoding.UTF8.GetBytes(text));

    internal byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
