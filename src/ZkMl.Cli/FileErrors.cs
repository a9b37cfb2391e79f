using ZkMl.Circom;
using ZkMl.Circuits;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli;

/// <summary>
/// The one way commands report failures: each file access runs inside <see cref="About{T}"/>, so the error line
/// names the file (<c>error: PATH: reason</c>) and <see cref="ZkmlCommand.Run"/> exits 1.
/// </summary>
internal static class FileErrors
{
    /// <summary>Runs <paramref name="access"/>; a bad-input exception becomes a <see cref="FileErrorException"/> about <paramref name="path"/>.</summary>
    public static T About<T>(string path, Func<T> access)
    {
        try
        {
            return access();
        }
        catch (Exception e) when (IsBadInput(e))
        {
            throw new FileErrorException(path, Reason(e), e);
        }
    }

    /// <summary>Runs <paramref name="access"/>; a bad-input exception becomes a <see cref="FileErrorException"/> about <paramref name="path"/>.</summary>
    public static void About(string path, Action access) => About(path, () =>
    {
        access();
        return 0;
    });

    /// <summary>Whether <paramref name="e"/> is bad input that <see cref="Report"/> turns into one line (anything else is a bug and keeps its stack trace).</summary>
    public static bool IsReportable(Exception e) => e is FileErrorException || IsBadInput(e);

    /// <summary>Writes the one-line error for a reportable exception and returns the exit code, 1.</summary>
    public static int Report(Exception e, TextWriter stderr)
    {
        string line = e switch
        {
            // Some readers already name the file; say it once.
            FileErrorException f when f.Message.Contains(f.Path, StringComparison.Ordinal) => f.Message,
            FileErrorException f => $"{f.Path}: {f.Message}",
            _ => OneLine(e.Message),
        };
        stderr.WriteLine($"error: {line}");
        return 1;
    }

    // What malformed, missing or mismatched files raise.
    private static bool IsBadInput(Exception e) =>
        e is SnarkFormatException or ZkMl.Training.TranscriptFormatException or ZkMl.Training.Contract.ContractFormatException
            or NotSupportedException or WitnessException or CircuitWitnessException or WitnessCalculatorException or FormatException or IOException
            or UnauthorizedAccessException or ArgumentException or InvalidDataException;

    // The path is already in the line; these messages would only repeat it.
    private static string Reason(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        _ => OneLine(e.Message),
    };

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
