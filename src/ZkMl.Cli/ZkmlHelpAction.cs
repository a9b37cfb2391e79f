using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ZkMl.Cli;

/// <summary>
/// <c>--help</c>: on <c>zkml</c> itself, one page listing every command with its arguments (as snarkjs does);
/// on a command, System.CommandLine's description of that command.
/// </summary>
internal sealed class ZkmlHelpAction(HelpAction commandHelp) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command.Parents.Any()) return commandHelp.Invoke(parseResult);
        return WriteUsage(command, parseResult.InvocationConfiguration.Output);
    }

    /// <summary>Writes the usage page of <paramref name="root"/>, built from the command tree; returns 0.</summary>
    public static int WriteUsage(Command root, TextWriter writer)
    {
        writer.WriteLine($"{root.Name} - {root.Description}");
        writer.WriteLine();
        writer.WriteLine("Usage:");
        foreach (var (usage, description) in Leaves(root, root.Name))
        {
            writer.WriteLine($"  {usage}");
            writer.WriteLine($"      {description}");
        }
        writer.WriteLine($"  {root.Name} <command> --help");
        writer.WriteLine("      The arguments of one command.");
        writer.WriteLine($"  {root.Name} --version");
        writer.WriteLine("      The version of this tool.");
        writer.WriteLine($"  {root.Name} --help");
        writer.WriteLine("      This text.");
        writer.WriteLine();
        writer.WriteLine("Output files are written atomically (temporary file, then rename).");
        return 0;
    }

    private static IEnumerable<(string Usage, string? Description)> Leaves(Command command, string path) =>
        command.Subcommands.Count == 0
            ? [($"{path} {string.Join(' ', command.Arguments.Select(a => $"<{a.Name}>"))}", command.Description)]
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => Leaves(c, $"{path} {c.Name}"));
}
