using System.CommandLine;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Formats;

namespace ZkMl.Cli.Commands;

/// <summary>What the ceremony commands share: snarkjs's <c>--name</c>/<c>-e</c> options, error attribution, report lines.</summary>
internal static class CeremonyCommandParts
{
    public static Option<string?> NameOption() => new("--name", "-n") { Description = "the participant's name, recorded in the file" };

    public static Option<string?> EntropyOption() =>
        new("--entropy", "-e") { Description = "extra entropy text, mixed with the OS random generator's" };

    /// <summary>
    /// Runs a ceremony step. Its readers name the file in their errors (<see cref="SnarkFormatException"/>); any other
    /// I/O failure happens writing <paramref name="output"/>, so it is reported about that file.
    /// </summary>
    public static T Step<T>(string output, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileErrorException(output, e.Message.ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>snarkjs's beacon arguments, checked before any file is read; false with the problem written to stderr.</summary>
    public static bool BeaconArgumentsValid(string hex, int exp, TextWriter stderr)
    {
        string hexBody = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (hexBody.Length == 0 || hexBody.Length % 2 != 0 || hexBody.Length > 510 || !hexBody.All(Uri.IsHexDigit))
        {
            stderr.WriteLine($"error: beacon hash '{hex}' must be 1 to 255 bytes of hexadecimal");
            return false;
        }
        if (exp < 10 || exp > 63)
        {
            stderr.WriteLine($"error: numIterationsExp {exp} must be between 10 and 63");
            return false;
        }
        return true;
    }

    public static string Describe(CeremonyContribution c) =>
        $"contribution #{c.Index}{(c.Name is null ? "" : $" ({c.Name})")}: {c.HashHex}"
        + (c.BeaconHash is null ? "" : $" (beacon {Convert.ToHexStringLower(c.BeaconHash)}, 2^{c.BeaconIterationsExp} iterations)");
}
