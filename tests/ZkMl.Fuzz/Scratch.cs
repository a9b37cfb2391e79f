namespace ZkMl.Fuzz;

/// <summary>One scratch file per process and extension for the decoders that read from a path (in /dev/shm when present).</summary>
internal static class Scratch
{
    private static readonly string Dir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    public static string Write(byte[] bytes, string extension)
    {
        string path = Path.Combine(Dir, $"zkml-fuzz-{Environment.ProcessId}.{extension}");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
