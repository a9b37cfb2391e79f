using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml powersoftau verify &lt;pot.ptau&gt;</c>, as snarkjs: exit 0 and OK, or 1 naming the failing contribution.</summary>
internal static class PowersOfTauVerifyCommand
{
    public static Command Create()
    {
        var ptau = new Argument<string>("pot.ptau") { Description = "powers of tau to check" };
        var command = new Command("verify", "Checks every contribution of a powers of tau and its points.") { ptau };
        command.SetAction(r =>
        {
            var contributions = TerminalProgress.RunFraction("powersoftau verify",
                progress => PowersOfTau.Verify(r.GetRequiredValue(ptau), progress));
            var stdout = r.InvocationConfiguration.Output;
            foreach (var c in contributions) stdout.WriteLine(CeremonyCommandParts.Describe(c));
            stdout.WriteLine("Powers of Tau OK");
            return 0;
        });
        return command;
    }
}
