namespace ZkMl.Snark.Ceremony;

/// <summary>
/// A ceremony file (.ptau or .zkey) failed verification: the message names the file and, where one is at fault, the
/// contribution (1-based, with its name) and the check that failed.
/// </summary>
public sealed class CeremonyVerificationException : Formats.SnarkFormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>, optionally blaming contribution <paramref name="contribution"/>.</summary>
    public CeremonyVerificationException(string path, string reason, int contribution = 0, string? name = null)
        : base(contribution > 0
            ? $"{path}: contribution #{contribution}{(string.IsNullOrEmpty(name) ? "" : $" ({name})")}: {reason}"
            : $"{path}: {reason}")
    {
        Path = path;
        Contribution = contribution;
    }

    /// <summary>The file that failed.</summary>
    public string Path { get; }

    /// <summary>The 1-based contribution at fault, or 0 when the failure is not one contribution's.</summary>
    public int Contribution { get; }
}
