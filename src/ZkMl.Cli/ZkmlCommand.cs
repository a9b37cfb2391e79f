using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ZkMl.Cli.Commands;

namespace ZkMl.Cli;

/// <summary>
/// The <c>zkml</c> commands, mirroring snarkjs's argument order so scripts can swap one for the other.
/// Exit codes: 0 success (and "OK" for a valid proof), 1 invalid proof or bad input (one line on stderr naming the file), 2 usage error.
/// </summary>
/// <remarks>
/// A command is one file under Commands/ that builds its System.CommandLine <see cref="Command"/> and reads its files
/// through <c>FileErrors.About</c>; adding it to the tree below is the only other change.
/// </remarks>
public static class ZkmlCommand
{
    // No response files: a path starting with '@' is a path, as before.
    private static readonly ParserConfiguration ParserConfiguration = new() { ResponseFileTokenReplacer = null };

    /// <summary>Runs one command, writing normal output to <paramref name="stdout"/> and errors (one line) to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = Create().Parse(args, ParserConfiguration);
        if (result.Action is ParseErrorAction)
        {
            stderr.WriteLine($"error: {result.Errors[0].Message} Run 'zkml --help' for usage.");
            return 2;
        }
        try
        {
            return result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (FileErrors.IsReportable(e))
        {
            return FileErrors.Report(e, stderr);
        }
    }

    private static Command Create()
    {
        var help = new HelpOption();
        help.Action = new ZkmlHelpAction((HelpAction)help.Action!);
        var root = new Command("zkml", "Groth16 over BN254, compatible with circom and snarkjs")
        {
            new Command("groth16", "Groth16 proofs and keys in snarkjs's formats.")
            {
                Groth16ProveCommand.Create(),
                Groth16VerifyCommand.Create(),
                Groth16SetupCommand.Create(),
                Groth16DevSetupCommand.Create(),
                Groth16FullProveCommand.Create(),
            },
            new Command("wtns", "circom witnesses, computed without Node.") { WtnsCalculateCommand.Create(), WtnsCheckCommand.Create() },
            new Command("powersoftau", "Phase 1 of a Groth16 ceremony, compatible with snarkjs both ways.")
            {
                PowersOfTauNewCommand.Create(), PowersOfTauContributeCommand.Create(), PowersOfTauBeaconCommand.Create(),
                PowersOfTauPreparePhase2Command.Create(), PowersOfTauVerifyCommand.Create(),
            },
            new Command("zkey", "snarkjs .zkey proving keys.")
            {
                ZkeyNewCommand.Create(), ZkeyContributeCommand.Create(), ZkeyBeaconCommand.Create(), ZkeyVerifyCommand.Create(),
                new Command("export", "Parts of a .zkey in other formats.") { ZkeyExportVerificationKeyCommand.Create(), ZkeyExportSolidityVerifierCommand.Create(), ZkeyExportSolidityCalldataCommand.Create() },
            },
            new Command("r1cs", "circom .r1cs constraint systems.") { R1csInfoCommand.Create(), R1csPrintCommand.Create() },
            VerifyRunCommand.Create(),
            help,
            new VersionOption { Action = new ZkmlVersionAction() },
        };
        // `zkml help ...` prints the usage, as `zkml --help` does; the bare `zkml` prints it as a usage error.
        var helpCommand = new Command("help", "This text.") { Hidden = true, TreatUnmatchedTokensAsErrors = false };
        helpCommand.SetAction(r => ZkmlHelpAction.WriteUsage(root, r.InvocationConfiguration.Output));
        root.Subcommands.Add(helpCommand);
        root.SetAction(r =>
        {
            ZkmlHelpAction.WriteUsage(root, r.InvocationConfiguration.Error);
            return 2;
        });
        return root;
    }
}
