using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey contribute &lt;in.zkey&gt; &lt;out.zkey&gt; --name= -e=</c>, as snarkjs.</summary>
internal static class ZkeyContributeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in.zkey") { Description = "proving key to contribute to" };
        var output = new Argument<string>("out.zkey") { Description = "proving key to write" };
        var name = CeremonyCommandParts.NameOption();
        var entropy = CeremonyCommandParts.EntropyOption();
        var command = new Command("contribute", "Adds a phase-2 contribution with a fresh secret, then forgets it.") { input, output, name, entropy };
        command.SetAction(r =>
        {
            string outPath = r.GetRequiredValue(output);
            var c = CeremonyCommandParts.Step(outPath, () => TerminalProgress.RunFraction("zkey contribute",
                progress => ZkeyCeremony.Contribute(r.GetRequiredValue(input), outPath, r.GetValue(name), r.GetValue(entropy), progress)));
            r.InvocationConfiguration.Output.WriteLine(CeremonyCommandParts.Describe(c));
            return 0;
        });
        return command;
    }
}
