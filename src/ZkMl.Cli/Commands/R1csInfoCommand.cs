using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml r1cs info &lt;circuit.r1cs&gt;</c>: the sizes of a circom constraint system, in snarkjs's wording.</summary>
internal static class R1csInfoCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var command = new Command("info", "Prints the size of a circom .r1cs file.") { r1cs };
        command.SetAction(r => Run(r.GetRequiredValue(r1cs), r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string path, TextWriter stdout)
    {
        var r1cs = FileErrors.About(path, () => CircomR1cs.ReadFile<Bn254Fr>(path));
        stdout.WriteLine("Curve: bn-128");
        stdout.WriteLine($"# of Wires: {r1cs.WireCount}");
        stdout.WriteLine($"# of Constraints: {r1cs.ConstraintCount}");
        stdout.WriteLine($"# of Private Inputs: {r1cs.PrivateInputCount}");
        stdout.WriteLine($"# of Public Inputs: {r1cs.PublicInputCount}");
        stdout.WriteLine($"# of Outputs: {r1cs.PublicOutputCount}");
        stdout.WriteLine($"# of Non-zero Coefficients: {r1cs.NonZeroCount}");
        return 0;
    }
}
