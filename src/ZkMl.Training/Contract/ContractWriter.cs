using System.Buffers;
using System.Buffers.Binary;

namespace ZkMl.Training.Contract;

/// <summary>Little-endian fixed-width integers and u32-length-prefixed byte strings (the layout in docs/contract.md).</summary>
internal sealed class ContractWriter
{
    private readonly ArrayBufferWriter<byte> _out = new(256);

    internal void Raw(ReadOnlySpan<byte> bytes) => _out.Write(bytes);
    internal void U8(byte value) => _out.Write([value]);

    internal void U16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_out.GetSpan(2), value);
        _out.Advance(2);
    }

    internal void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_out.GetSpan(4), value);
        _out.Advance(4);
    }

    internal void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_out.GetSpan(8), value);
        _out.Advance(8);
    }

    internal void Bytes(ReadOnlySpan<byte> bytes)
    {
        U32((uint)bytes.Length);
        Raw(bytes);
    }

    internal byte[] ToArray() => _out.WrittenSpan.ToArray();
}
