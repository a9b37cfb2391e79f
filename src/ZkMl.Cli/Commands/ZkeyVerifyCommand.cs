using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey verify &lt;circuit.r1cs&gt; &lt;pot.ptau&gt; &lt;circuit.zkey&gt;</c>, as snarkjs: exit 0 and OK, or 1 naming the failing contribution.</summary>
internal static class ZkeyVerifyCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var ptau = new Argument<string>("pot.ptau") { Description = "phase-2-prepared powers of tau the ceremony started from" };
        var zkey = new Argument<string>("circuit.zkey") { Description = "proving key to check" };
        var command = new Command("verify", "Checks a proving key against its circuit and powers of tau, and every phase-2 contribution.") { r1cs, ptau, zkey };
        command.SetAction(r =>
        {
            string r1csPath = r.GetRequiredValue(r1cs);
            var system = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
            var contributions = TerminalProgress.RunFraction("zkey verify", progress => ZkeyCeremony.Verify(system, r.GetRequiredValue(ptau), r.GetRequiredValue(zkey), progress));
            var stdout = r.InvocationConfiguration.Output;
            foreach (var c in contributions) stdout.WriteLine(CeremonyCommandParts.Describe(c));
            stdout.WriteLine("ZKey OK");
            return 0;
        });
        return command;
    }
}
