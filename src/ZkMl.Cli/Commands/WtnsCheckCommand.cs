using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml wtns check &lt;circuit.r1cs&gt; &lt;witness.wtns&gt;</c>: prints OK when the witness satisfies every constraint;
/// otherwise names the first failing constraint (with signal names from circuit.sym beside the .r1cs) and exits 1.
/// </summary>
internal static class WtnsCheckCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var wtns = new Argument<string>("witness.wtns") { Description = "circom witness" };
        var command = new Command("check", "Checks that a witness satisfies every constraint; names the first one it fails.") { r1cs, wtns };
        command.SetAction(r => Run(r.GetRequiredValue(r1cs), r.GetRequiredValue(wtns), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string r1csPath, string wtnsPath, TextWriter stdout, TextWriter stderr)
    {
        var system = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
        var witness = FileErrors.About(wtnsPath, () => CircomWitness.ReadFile<Bn254Fr>(wtnsPath));
        if (system.IsSatisfied(witness, out var failure))
        {
            stdout.WriteLine($"OK: {system.ConstraintCount} constraints hold");
            return 0;
        }
        if (failure!.ConstraintIndex < 0)
        {
            stderr.WriteLine($"error: {wtnsPath}: {failure.Description} of {r1csPath}");
            return 1;
        }
        var constraint = CircomSymbols.Load(r1csPath, null).Format(system.Constraints[failure.ConstraintIndex]);
        stderr.WriteLine($"error: {wtnsPath}: {failure.Description}: {constraint}");
        return 1;
    }
}
