using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml groth16 setup &lt;circuit.r1cs&gt; &lt;powersoftau.ptau&gt; &lt;circuit.zkey&gt;</c>, as snarkjs.</summary>
internal static class Groth16SetupCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var ptau = new Argument<string>("powersoftau.ptau") { Description = "phase-2-prepared powers of tau" };
        var zkey = new Argument<string>("circuit.zkey") { Description = "proving key to write" };
        var command = new Command("setup", "Groth16 keys from a phase-2-prepared powers of tau, with one fresh random phase-2 contribution.")
        {
            r1cs, ptau, zkey,
        };
        command.SetAction(r => Run(r.GetRequiredValue(r1cs), r.GetRequiredValue(ptau), r.GetRequiredValue(zkey), r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string r1csPath, string ptauPath, string zkeyPath, TextWriter stdout)
    {
        var r1cs = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
        var key = FileErrors.About(ptauPath, () => TerminalProgress.RunFraction("setup", progress => Groth16Setup.FromPtau(r1cs, ptauPath, progress)));
        FileErrors.About(zkeyPath, () => Zkey.Write(key, zkeyPath));
        stdout.WriteLine(ZkeySummary.Of(zkeyPath, key));
        return 0;
    }
}
