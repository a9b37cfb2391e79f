using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml powersoftau contribute &lt;in.ptau&gt; &lt;out.ptau&gt; --name= -e=</c>, as snarkjs.</summary>
internal static class PowersOfTauContributeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in.ptau") { Description = "powers of tau to contribute to" };
        var output = new Argument<string>("out.ptau") { Description = "powers of tau to write" };
        var name = CeremonyCommandParts.NameOption();
        var entropy = CeremonyCommandParts.EntropyOption();
        var command = new Command("contribute", "Adds a contribution with fresh secret randomness, then forgets it.") { input, output, name, entropy };
        command.SetAction(r =>
        {
            string outPath = r.GetRequiredValue(output);
            var c = CeremonyCommandParts.Step(outPath, () => TerminalProgress.RunFraction("powersoftau contribute",
                progress => PowersOfTau.Contribute(r.GetRequiredValue(input), outPath, r.GetValue(name), r.GetValue(entropy), progress)));
            r.InvocationConfiguration.Output.WriteLine(CeremonyCommandParts.Describe(c));
            return 0;
        });
        return command;
    }
}
