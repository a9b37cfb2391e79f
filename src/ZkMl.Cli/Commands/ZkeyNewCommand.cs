using System.CommandLine;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey new &lt;circuit.r1cs&gt; &lt;pot.ptau&gt; &lt;circuit_0000.zkey&gt;</c>, as snarkjs.</summary>
internal static class ZkeyNewCommand
{
    public static Command Create()
    {
        var r1cs = new Argument<string>("circuit.r1cs") { Description = "circom constraint system" };
        var ptau = new Argument<string>("pot.ptau") { Description = "phase-2-prepared powers of tau" };
        var zkey = new Argument<string>("circuit_0000.zkey") { Description = "initial proving key to write" };
        var command = new Command("new", "Starts a phase-2 ceremony: the circuit's key before any contribution (not usable yet).") { r1cs, ptau, zkey };
        command.SetAction(r =>
        {
            string r1csPath = r.GetRequiredValue(r1cs), zkeyPath = r.GetRequiredValue(zkey);
            var system = FileErrors.About(r1csPath, () => CircomR1cs.ReadFile<Bn254Fr>(r1csPath));
            CeremonyCommandParts.Step(zkeyPath, () => TerminalProgress.RunFraction("zkey new", progress =>
            {
                ZkeyCeremony.New(system, r.GetRequiredValue(ptau), zkeyPath, progress);
                return 0;
            }));
            return 0;
        });
        return command;
    }
}
