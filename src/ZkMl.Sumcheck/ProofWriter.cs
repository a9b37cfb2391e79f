using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Writes a versioned binary proof: a 4-byte ASCII magic, a 16-bit little-endian format version, then the body
/// (little-endian integers, canonical field elements). <see cref="ProofReader"/> reads it back strictly.
/// </summary>
public sealed class ProofWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Starts a proof with its header.</summary>
    /// <param name="magic">Four ASCII characters naming the proof kind.</param>
    /// <param name="version">The format version of the body.</param>
    public ProofWriter(string magic, ushort version)
    {
        ArgumentNullException.ThrowIfNull(magic);
        if (magic.Length != 4 || !Ascii.IsValid(magic)) throw new ArgumentException("A magic is four ASCII characters.", nameof(magic));
        Encoding.ASCII.GetBytes(magic, _buffer.GetSpan(4));
        _buffer.Advance(4);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.GetSpan(2), version);
        _buffer.Advance(2);
    }

    /// <summary>Bytes written so far, header included.</summary>
    public int Length => _buffer.WrittenCount;

    /// <summary>Writes a 32-bit little-endian integer.</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a 64-bit little-endian integer.</summary>
    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    /// <summary>Writes raw bytes (no length: the reader knows it).</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    /// <summary>Writes a base-field element (8 bytes).</summary>
    public void Write(Goldilocks value)
    {
        value.WriteBytes(_buffer.GetSpan(8));
        _buffer.Advance(8);
    }

    /// <summary>Writes an extension-field element (16 bytes).</summary>
    public void Write(GoldilocksExt2 value)
    {
        value.WriteBytes(_buffer.GetSpan(16));
        _buffer.Advance(16);
    }

    /// <summary>Writes extension-field elements back to back (no count: the reader knows it from the statement or an earlier field).</summary>
    public void Write(ReadOnlySpan<GoldilocksExt2> values)
    {
        foreach (GoldilocksExt2 v in values) Write(v);
    }

    /// <summary>The proof bytes.</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
