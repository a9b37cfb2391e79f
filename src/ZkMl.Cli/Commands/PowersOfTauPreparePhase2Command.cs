using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml powersoftau prepare phase2 &lt;in.ptau&gt; &lt;final.ptau&gt;</c>, as snarkjs.</summary>
internal static class PowersOfTauPreparePhase2Command
{
    public static Command Create()
    {
        var input = new Argument<string>("in.ptau") { Description = "powers of tau after the last contribution" };
        var output = new Argument<string>("final.ptau") { Description = "powers of tau with the phase-2 (Lagrange) sections" };
        var command = new Command("phase2", "Adds the Lagrange-basis sections that Groth16 setup (zkey new) reads.") { input, output };
        command.SetAction(r =>
        {
            string outPath = r.GetRequiredValue(output);
            CeremonyCommandParts.Step(outPath, () => TerminalProgress.RunFraction("prepare phase2", progress =>
            {
                PowersOfTau.PreparePhase2(r.GetRequiredValue(input), outPath, progress);
                return 0;
            }));
            return 0;
        });
        return new Command("prepare", "Prepares a powers of tau for phase 2.") { command };
    }
}
