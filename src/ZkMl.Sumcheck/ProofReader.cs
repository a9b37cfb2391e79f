using System.Buffers.Binary;
using System.Text;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// Strict reader of the format <see cref="ProofWriter"/> writes. Every failure (wrong magic or version, too few
/// bytes, a count over the caller's limit, a non-canonical field element, bytes left over) throws
/// <see cref="ProofFormatException"/>, and nothing is allocated from a count before it is checked.
/// </summary>
public ref struct ProofReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private int _position;

    /// <summary>Checks the header and positions the reader at the body.</summary>
    /// <exception cref="ProofFormatException">The magic or version differs or the header is truncated.</exception>
    public ProofReader(ReadOnlySpan<byte> proof, string magic, ushort version)
    {
        ArgumentNullException.ThrowIfNull(magic);
        _bytes = proof;
        _position = 0;
        Span<byte> expected = stackalloc byte[4];
        if (magic.Length != 4 || Encoding.ASCII.GetBytes(magic, expected) != 4) throw new ArgumentException("A magic is four ASCII characters.", nameof(magic));
        if (!Take(4).SequenceEqual(expected)) throw new ProofFormatException($"Not a '{magic}' proof.");
        ushort actual = BinaryPrimitives.ReadUInt16LittleEndian(Take(2));
        if (actual != version) throw new ProofFormatException($"Proof format version {actual}, expected {version}.");
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _bytes.Length - _position;

    /// <summary>Reads a 32-bit little-endian integer and checks it against <paramref name="maximum"/>.</summary>
    public uint ReadUInt32(uint maximum)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        if (value > maximum) throw new ProofFormatException($"Count {value} exceeds the limit {maximum}.");
        return value;
    }

    /// <summary>Reads a 64-bit little-endian integer (any value).</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads <paramref name="count"/> raw bytes (checked against what is left before copying).</summary>
    public byte[] ReadBytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Take(count).ToArray();
    }

    /// <summary>Reads a canonical base-field element.</summary>
    public Goldilocks ReadBase() =>
        Goldilocks.TryReadBytes(Take(8), out Goldilocks value) ? value : throw new ProofFormatException("Non-canonical field element.");

    /// <summary>Reads a canonical extension-field element.</summary>
    public GoldilocksExt2 ReadExt() =>
        GoldilocksExt2.TryReadBytes(Take(16), out GoldilocksExt2 value) ? value : throw new ProofFormatException("Non-canonical field element.");

    /// <summary>Fills <paramref name="destination"/> with extension-field elements.</summary>
    public void ReadExt(scoped Span<GoldilocksExt2> destination)
    {
        if ((long)destination.Length * 16 > Remaining) throw new ProofFormatException("Proof truncated.");
        for (int i = 0; i < destination.Length; i++) destination[i] = ReadExt();
    }

    /// <summary>Checks that every byte was read.</summary>
    public readonly void EnsureEnd()
    {
        if (Remaining != 0) throw new ProofFormatException($"{Remaining} unexpected trailing bytes.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining) throw new ProofFormatException("Proof truncated.");
        var slice = _bytes.Slice(_position, count);
        _position += count;
        return slice;
    }
}
