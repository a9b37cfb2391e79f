using System.Buffers.Binary;

namespace ZkMl.Training.Contract;

/// <summary>
/// Reads the layout <see cref="ContractWriter"/> writes. Every read checks the bytes present first and every length
/// prefix is checked against a limit before anything is allocated; failures name the field.
/// </summary>
internal ref struct ContractReader
{
    private ReadOnlySpan<byte> _rest;
    private readonly int _maxByteString;

    internal ContractReader(ReadOnlySpan<byte> data, int maxByteString)
    {
        _rest = data;
        _maxByteString = maxByteString;
    }

    internal ReadOnlySpan<byte> Fixed(int count, string field)
    {
        if (_rest.Length < count) throw new ContractFormatException(field, $"needs {count} bytes, {_rest.Length} remain (truncated).");
        var value = _rest[..count];
        _rest = _rest[count..];
        return value;
    }

    internal byte U8(string field) => Fixed(1, field)[0];
    internal ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Fixed(2, field));
    internal uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Fixed(4, field));
    internal ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Fixed(8, field));

    /// <summary>A u32 that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    internal int Int(string field, int min, int max)
    {
        uint value = U32(field);
        if (value < (uint)min || value > (uint)max) throw new ContractFormatException(field, $"{value} is outside [{min}, {max}].");
        return (int)value;
    }

    /// <summary>A u8 flag that must be 0 or 1.</summary>
    internal bool Bool(string field) => U8(field) switch
    {
        0 => false,
        1 => true,
        var b => throw new ContractFormatException(field, $"flag {b} is not 0 or 1."),
    };

    /// <summary>A u32-length-prefixed byte string; the length is checked against the limit and the bytes present before allocation.</summary>
    internal byte[] Bytes(string field)
    {
        uint length = U32(field);
        if (length > (uint)_maxByteString) throw new ContractFormatException(field, $"declares {length} bytes, the limit is {_maxByteString}.");
        if (length > (uint)_rest.Length) throw new ContractFormatException(field, $"declares {length} bytes, {_rest.Length} remain (truncated).");
        return Fixed((int)length, field).ToArray();
    }

    /// <summary>Rejects trailing bytes.</summary>
    internal readonly void End()
    {
        if (!_rest.IsEmpty) throw new ContractFormatException("End", $"{_rest.Length} trailing byte(s) after the last field.");
    }
}
