using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml r1cs print &lt;circuit.r1cs&gt; [circuit.sym]</c>: every constraint with signal names, one a line, as snarkjs prints them.</summary>
internal static class R1csPrintCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var sym = new Argument<string?>("circuit.sym")
        {
            Description = "circom symbols (default: circuit.sym beside the .r1cs, when there is one; else wires are named w<index>)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("print", "Prints the constraints of a circom .r1cs file with signal names.") { r1cs, sym };
        command.SetAction(r => Run(r.GetRequiredValue(r1cs), r.GetValue(sym), r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string r1csPath, string? symPath, TextWriter stdout)
    {
        var system = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
        var symbols = CircomSymbols.Load(r1csPath, symPath);
        foreach (var c in system.Constraints) stdout.WriteLine(symbols.Format(c));
        return 0;
    }
}
