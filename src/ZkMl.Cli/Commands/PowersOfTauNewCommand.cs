using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml powersoftau new bn128 &lt;power&gt; &lt;pot_0000.ptau&gt;</c>, as snarkjs.</summary>
internal static class PowersOfTauNewCommand
{
    public static Command Create()
    {
        var curve = new Argument<string>("curve") { Description = "bn128 (BN254), the only curve supported" };
        var power = new Argument<int>("power") { Description = "log2 of the largest circuit's domain (1..28)" };
        var output = new Argument<string>("pot_0000.ptau") { Description = "powers of tau to write" };
        var command = new Command("new", "Starts a powers-of-tau ceremony (no contribution yet).") { curve, power, output };
        command.SetAction(r => Run(r.GetRequiredValue(curve), r.GetRequiredValue(power), r.GetRequiredValue(output), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string curve, int power, string output, TextWriter stdout, TextWriter stderr)
    {
        if (!curve.Equals("bn128", StringComparison.OrdinalIgnoreCase) && !curve.Equals("bn254", StringComparison.OrdinalIgnoreCase))
        {
            stderr.WriteLine($"error: curve '{curve}' is not supported (bn128 only)");
            return 1;
        }
        if (power < 1 || power > 28)
        {
            stderr.WriteLine($"error: power {power} must be between 1 and 28");
            return 1;
        }
        var hash = CeremonyCommandParts.Step(output,
            () => TerminalProgress.RunFraction("powersoftau new", progress => PowersOfTau.New(power, output, progress)));
        stdout.WriteLine($"first challenge hash: {Convert.ToHexStringLower(hash)}");
        return 0;
    }
}
