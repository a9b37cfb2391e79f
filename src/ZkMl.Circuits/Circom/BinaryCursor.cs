using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Circuits.Circom;

/// <summary>Bounds-checked little-endian reads over a byte span; every overrun becomes a <see cref="CircomFormatException"/>.</summary>
internal ref struct BinaryCursor(ReadOnlySpan<byte> data, string what)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private readonly string _what = what;

    public int Position { get; set; }

    public readonly int Remaining => _data.Length - Position;

    public ReadOnlySpan<byte> Take(long count, string field)
    {
        if (count < 0 || count > Remaining)
            throw new CircomFormatException($"{_what} is truncated: {field} needs {count} bytes at offset {Position} but only {Remaining} remain");
        var s = _data.Slice(Position, (int)count);
        Position += (int)count;
        return s;
    }

    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    public ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public BigInteger UnsignedInteger(int byteCount, string field) => new(Take(byteCount, field), isUnsigned: true, isBigEndian: false);

    public T FieldElement<T>(int byteCount, string field) where T : struct, IPrimeField<T>
    {
        var bytes = Take(byteCount, field);
        if (!T.TryReadBytes(bytes, out var value))
            throw new CircomFormatException($"{_what}: {field} at offset {Position - byteCount} is not a canonical field element (>= p)");
        return value;
    }
}

/// <summary>The section table shared by circom's binary files (.r1cs, .wtns, .zkey): magic, version, typed sections.</summary>
internal static class CircomContainer
{
    public readonly record struct Section(uint Type, int Offset, int Size);

    public static List<Section> ReadSections(ReadOnlySpan<byte> data, string magic, uint version, string what, DecoderLimits limits)
    {
        var cur = new BinaryCursor(data, what);
        var m = cur.Take(4, "magic");
        if (m[0] != magic[0] || m[1] != magic[1] || m[2] != magic[2] || m[3] != magic[3])
            throw new CircomFormatException($"{what}: bad magic '{System.Text.Encoding.ASCII.GetString(m)}', expected '{magic}'");
        var v = cur.U32("version");
        if (v != version) throw new CircomFormatException($"{what}: unsupported version {v}, expected {version}");
        var n = cur.U32("section count");
        CircomLimitExceededException.Check(what, "section count", nameof(DecoderLimits.MaxSectionCount), n, limits.MaxSectionCount);
        if ((ulong)n * 12 > (ulong)cur.Remaining)
            throw new CircomFormatException($"{what} is truncated: {n} section headers need {(ulong)n * 12} bytes but only {cur.Remaining} remain");
        var sections = new List<Section>((int)n);
        for (int i = 0; i < n; i++)
        {
            var type = cur.U32($"type of section {i}");
            var size = cur.U64($"size of section {i}");
            if (size > (ulong)cur.Remaining)
                throw new CircomFormatException($"{what} is truncated: section {i} (type {type}) declares {size} bytes but only {cur.Remaining} remain");
            sections.Add(new Section(type, cur.Position, (int)size));
            cur.Position += (int)size;
        }
        if (cur.Remaining != 0) throw new CircomFormatException($"{what}: {cur.Remaining} trailing bytes after the last section");
        return sections;
    }

    /// <summary>A stream's bytes to its end, refusing more than the limit rather than growing without bound.</summary>
    public static byte[] ReadStream(Stream stream, string what, DecoderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var ms = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            CircomLimitExceededException.Check(what, "stream length", nameof(DecoderLimits.MaxBufferBytes), (ulong)(ms.Length + n), limits.MaxBufferBytes);
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    public static Section Single(List<Section> sections, uint type, string name, string what)
    {
        Section? found = null;
        foreach (var s in sections)
            if (s.Type == type)
            {
                if (found != null) throw new CircomFormatException($"{what}: duplicate {name} section (type {type})");
                found = s;
            }
        return found ?? throw new CircomFormatException($"{what}: missing {name} section (type {type})");
    }

    public static void CheckPrime<T>(BigInteger prime, int n8, string what) where T : struct, IPrimeField<T>
    {
        if (n8 != T.ByteLength)
            throw new CircomFormatException($"{what}: field element size {n8} bytes does not match {typeof(T).Name} ({T.ByteLength} bytes)");
        if (prime != T.Modulus)
            throw new CircomFormatException($"{what}: prime {prime} is not the modulus of {typeof(T).Name} ({T.Modulus})");
    }

    public static void WriteHeader(BinaryWriter w, string magic, uint version, uint sectionCount)
    {
        w.Write(System.Text.Encoding.ASCII.GetBytes(magic));
        w.Write(version);
        w.Write(sectionCount);
    }

    public static void WritePrime<T>(BinaryWriter w) where T : struct, IPrimeField<T>
    {
        var bytes = new byte[T.ByteLength];
        T.Modulus.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        w.Write(bytes);
    }
}
