using ZkMl.Common;
using ZkMl.Field;

namespace ZkMl.Circuits.Circom;

/// <summary>
/// circom's binary witness file (.wtns, version 2): magic "wtns", a header section (field size, prime, witness
/// count) and a section with every witness value in canonical little-endian form.
/// </summary>
public static class CircomWitness
{
    /// <summary>
    /// Reads and strictly validates a .wtns file's bytes; throws <see cref="CircomFormatException"/> naming any problem,
    /// or <see cref="CircomLimitExceededException"/> when the witness count exceeds <paramref name="limits"/> (default <see cref="DecoderLimits.Default"/>).
    /// </summary>
    public static T[] Read<T>(ReadOnlySpan<byte> data, DecoderLimits? limits = null) where T : struct, IPrimeField<T>
    {
        const string what = "wtns file";
        limits ??= DecoderLimits.Default;
        var sections = CircomContainer.ReadSections(data, "wtns", 2, what, limits);
        var header = CircomContainer.Single(sections, 1, "header", what);
        var hc = new BinaryCursor(data.Slice(header.Offset, header.Size), "wtns header section");
        var n8 = hc.U32("field size");
        if (n8 == 0 || n8 % 8 != 0 || n8 > 1024) throw new CircomFormatException($"{what}: invalid field size {n8}");
        var prime = hc.UnsignedInteger((int)n8, "prime");
        CircomContainer.CheckPrime<T>(prime, (int)n8, what);
        var count = hc.U32("witness count");
        if (hc.Remaining != 0) throw new CircomFormatException($"{what}: header section has {hc.Remaining} unexpected extra bytes");
        CircomLimitExceededException.Check(what, "witness count", nameof(DecoderLimits.MaxWires), count, limits.MaxWires);
        var values = CircomContainer.Single(sections, 2, "values", what);
        if ((ulong)values.Size != (ulong)count * n8)
            throw new CircomFormatException($"{what}: values section is {values.Size} bytes, expected {count} x {n8}");
        foreach (var s in sections)
            if (s.Type is not (1 or 2)) throw new CircomFormatException($"{what}: unexpected section type {s.Type}");
        var vc = new BinaryCursor(data.Slice(values.Offset, values.Size), "wtns values section");
        var result = new T[count];
        for (int i = 0; i < count; i++) result[i] = vc.FieldElement<T>((int)n8, $"witness value {i}");
        return result;
    }

    /// <summary>
    /// Reads a .wtns file, parsed straight from a read-only mapping of it (refusing, before mapping, one larger than
    /// <see cref="DecoderLimits.MaxBufferBytes"/>).
    /// </summary>
    public static T[] ReadFile<T>(string path, DecoderLimits? limits = null) where T : struct, IPrimeField<T>
    {
        limits ??= DecoderLimits.Default;
        using var file = new MappedFile(path, limits);
        return Read<T>(file.Span, limits);
    }

    /// <summary>Writes a witness in circom's .wtns format.</summary>
    public static void Write<T>(ReadOnlySpan<T> witness, Stream stream) where T : struct, IPrimeField<T>
    {
        int n8 = T.ByteLength;
        using var w = new BinaryWriter(stream, System.Text.Encoding.ASCII, leaveOpen: true);
        CircomContainer.WriteHeader(w, "wtns", 2, 2);
        w.Write(1u);
        w.Write((ulong)(8 + n8));
        w.Write((uint)n8);
        CircomContainer.WritePrime<T>(w);
        w.Write((uint)witness.Length);
        w.Write(2u);
        w.Write((ulong)witness.Length * (ulong)n8);
        var buf = new byte[n8];
        foreach (var v in witness)
        {
            v.WriteBytes(buf);
            w.Write(buf);
        }
    }

    /// <summary>Writes a .wtns file atomically (temporary name, then rename).</summary>
    public static void WriteFile<T>(T[] witness, string path) where T : struct, IPrimeField<T> =>
        AtomicFile.Write(path, s => Write<T>(witness, s));
}
