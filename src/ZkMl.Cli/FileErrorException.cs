namespace ZkMl.Cli;

/// <summary>A command failed on one file: <see cref="Path"/> names it, the message says why (one line).</summary>
internal sealed class FileErrorException(string path, string reason, Exception inner) : Exception(reason, inner)
{
    /// <summary>The file the error is about, as given on the command line.</summary>
    public string Path { get; } = path;
}
