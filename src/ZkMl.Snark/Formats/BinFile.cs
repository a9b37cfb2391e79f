using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Text;
using Microsoft.Win32.SafeHandles;
using ZkMl.Circuits.Circom;

namespace ZkMl.Snark.Formats;

/// <summary>
/// Reader of the iden3 "binfile" container shared by .zkey/.ptau/.wtns/.r1cs:
/// 4-byte magic, u32 version, u32 section count, then (u32 type, u64 size, bytes) per section, all little-endian.
/// The file is memory-mapped once its section table has been checked against its length: sections are decoded straight
/// from the mapping (no managed copy of a point section), and only small parts (headers) are copied out.
/// </summary>
internal sealed unsafe class BinFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<int, List<(long Offset, long Size)>> _sections = new();
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _base;

    public string Path { get; }
    public uint Version { get; }
    public long Length { get; }

    public DecoderLimits Limits { get; }

    private BinFile(string path, SafeFileHandle handle, uint version, long length, DecoderLimits limits)
    {
        Path = path; _handle = handle; Version = version; Length = length; Limits = limits;
    }

    public static BinFile Open(string path, string magic, uint maxVersion, DecoderLimits? limits = null)
    {
        limits ??= DecoderLimits.Default;
        SafeFileHandle handle;
        try { handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess); }
        catch (FileNotFoundException) { throw new SnarkFormatException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new SnarkFormatException($"{path}: file not found"); }
        catch (UnauthorizedAccessException e) { throw new SnarkFormatException($"{path}: cannot open ({e.Message})"); }
        BinFile? file = null;
        try
        {
            long length = RandomAccess.GetLength(handle);
            Span<byte> head = stackalloc byte[12];
            if (length < 12 || RandomAccess.Read(handle, head, 0) != 12)
                throw new SnarkFormatException($"{path}: too short to be a .{magic} file");
            string found = Encoding.ASCII.GetString(head[..4]);
            if (found != magic)
                throw new SnarkFormatException($"{path}: not a .{magic} file (magic '{Printable(found)}', expected '{magic}')");
            uint version = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
            if (version == 0 || version > maxVersion)
                throw new SnarkFormatException($"{path}: unsupported .{magic} version {version} (supported up to {maxVersion})");
            uint count = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
            SnarkLimitExceededException.Check(path, "section count", nameof(DecoderLimits.MaxSectionCount), count, limits.MaxSectionCount);
            if (12 + 12L * count > length)
                throw new SnarkFormatException($"{path}: truncated ({count} section headers need {12L * count} bytes, {length - 12} remain)");
            file = new BinFile(path, handle, version, length, limits);
            long pos = 12;
            Span<byte> sh = stackalloc byte[12];
            for (uint i = 0; i < count; i++)
            {
                if (pos + 12 > length || RandomAccess.Read(handle, sh, pos) != 12)
                    throw new SnarkFormatException($"{path}: truncated (section header {i} of {count} missing)");
                int type = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh);
                ulong size = BinaryPrimitives.ReadUInt64LittleEndian(sh[4..]);
                pos += 12;
                if (size > (ulong)(length - pos))
                    throw new SnarkFormatException($"{path}: truncated (section {type} declares {size} bytes, {length - pos} remain)");
                if (!file._sections.TryGetValue(type, out var list)) file._sections[type] = list = new();
                list.Add((pos, (long)size));
                pos += (long)size;
            }
            file.Map();
            return file;
        }
        catch
        {
            if (file != null) file.Dispose();
            else handle.Dispose();
            throw;
        }
    }

    // Maps the whole (already length-checked, non-empty) file read-only; the view's pointer stays acquired until Dispose.
    private void Map()
    {
        _map = MemoryMappedFile.CreateFromFile(_handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, Length, MemoryMappedFileAccess.Read);
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        _base = p + _view.PointerOffset;
    }

    private static string Printable(string s) => new(s.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());

    public bool Has(int type) => _sections.ContainsKey(type);

    /// <summary>Offset and size of the unique section <paramref name="type"/>; a clear error if missing or duplicated.</summary>
    public (long Offset, long Size) Section(int type)
    {
        if (!_sections.TryGetValue(type, out var list))
            throw new SnarkFormatException($"{Path}: missing section {type}");
        if (list.Count > 1)
            throw new SnarkFormatException($"{Path}: section {type} is duplicated");
        return list[0];
    }

    /// <summary>Requires the unique section <paramref name="type"/> to be exactly <paramref name="expected"/> bytes.</summary>
    public (long Offset, long Size) SectionOfSize(int type, long expected, string what)
    {
        var s = Section(type);
        if (s.Size != expected)
            throw new SnarkFormatException($"{Path}: section {type} ({what}) has {s.Size} bytes, expected {expected}");
        return s;
    }

    public byte[] ReadSection(int type)
    {
        var (offset, size) = Section(type);
        return Read(offset, size);
    }

    public byte[] Read(long offset, long size)
    {
        CheckReadSize(size);
        return Span(offset, (int)size).ToArray();
    }

    /// <summary>Applies the buffer limit to a read of <paramref name="size"/> bytes, also when it is streamed in pieces.</summary>
    public void CheckReadSize(long size) =>
        SnarkLimitExceededException.Check(Path, "section read", nameof(DecoderLimits.MaxBufferBytes), (ulong)size, Math.Min(Limits.MaxBufferBytes, Array.MaxLength));

    /// <summary>
    /// The mapped bytes [offset, offset + length) of the file, valid until <see cref="Dispose"/>; a range beyond the file
    /// is a <see cref="SnarkFormatException"/> (sections are checked against the length when the file is opened).
    /// </summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new SnarkFormatException($"{Path}: unexpected end of file (needed {length} bytes at offset {offset} of {Length})");
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    public void Dispose()
    {
        if (_base != null) _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        _base = null;
        _view?.Dispose();
        _view = null;
        _map?.Dispose();
        _handle.Dispose();
    }
}

/// <summary>Little-endian cursor over a section's bytes with clear errors on truncation.</summary>
internal ref struct SectionReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _what;
    public int Position;

    public SectionReader(ReadOnlySpan<byte> data, string what) { _data = data; _what = what; Position = 0; }

    public ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > _data.Length - Position) // not Position + n: it overflows for a length near int.MaxValue
            throw new SnarkFormatException($"{_what}: truncated (needed {n} bytes at offset {Position}, section has {_data.Length})");
        var s = _data.Slice(Position, n);
        Position += n;
        return s;
    }

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int Remaining => _data.Length - Position;
}
