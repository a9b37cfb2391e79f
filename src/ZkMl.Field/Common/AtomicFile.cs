namespace ZkMl.Common;

/// <summary>Writes a file through a temporary sibling and a rename, so readers never see a half-written file.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary file next to <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write) => Write(path, write, durable: true);

    /// <summary>
    /// <see cref="Write(string, Action{Stream})"/>; with <paramref name="durable"/> false the data is not forced to the disk
    /// before the rename (no fsync: readers still never see a half-written file, but a crash may lose the file), for
    /// small outputs that are cheap to make again, where an fsync can cost more than the work (10-30 ms on a busy disk).
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool durable)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes) => WriteAllBytes(path, bytes, durable: true);

    /// <summary>Atomically writes <paramref name="bytes"/> to <paramref name="path"/>; <paramref name="durable"/> as in <see cref="Write(string, Action{Stream}, bool)"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool durable)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy), durable);
    }
}
