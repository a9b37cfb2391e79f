using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml groth16 devsetup &lt;circuit.r1cs&gt; &lt;circuit.zkey&gt;</c>: single-party keys for development only.</summary>
internal static class Groth16DevSetupCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var zkey = new Argument<string>("circuit.zkey") { Description = "proving key to write" };
        var command = new Command("devsetup", "DEVELOPMENT ONLY: single-party setup with fresh random toxic waste (tests, benchmarks, local use).")
        {
            r1cs, zkey,
        };
        command.SetAction(r => Run(r.GetRequiredValue(r1cs), r.GetRequiredValue(zkey), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string r1csPath, string zkeyPath, TextWriter stdout, TextWriter stderr)
    {
        var r1cs = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
        stderr.WriteLine("warning: single-party development setup; whoever runs it could forge proofs. Not for production keys.");
        var key = FileErrors.About(r1csPath, () => TerminalProgress.RunFraction("setup", progress => Groth16Setup.Development(r1cs, progress)));
        FileErrors.About(zkeyPath, () => Zkey.Write(key, zkeyPath));
        stdout.WriteLine(ZkeySummary.Of(zkeyPath, key));
        return 0;
    }
}
