using System.IO.MemoryMappedFiles;

namespace ZkMl.Circuits.Circom;

/// <summary>
/// A whole file mapped read-only, its length checked against <see cref="DecoderLimits.MaxBufferBytes"/> before mapping:
/// the decoders parse straight from the mapping instead of a managed copy of the file.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly byte* _base;
    private readonly int _length;

    public MappedFile(string path, DecoderLimits limits)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(handle);
        CircomLimitExceededException.Check(path, "file size", nameof(DecoderLimits.MaxBufferBytes), (ulong)length, Math.Min(limits.MaxBufferBytes, int.MaxValue));
        _length = (int)length;
        if (length == 0) return; // an empty file cannot be mapped; the decoders report it as truncated
        _map = MemoryMappedFile.CreateFromFile(handle, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        try
        {
            _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* p = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _base = p + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _map.Dispose();
            throw;
        }
    }

    /// <summary>The file's bytes, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span => _length == 0 ? default : new ReadOnlySpan<byte>(_base, _length);

    public void Dispose()
    {
        if (_view != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
        }
        _map?.Dispose();
    }
}
