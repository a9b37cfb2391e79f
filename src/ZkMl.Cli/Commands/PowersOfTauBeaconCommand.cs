using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml powersoftau beacon &lt;in.ptau&gt; &lt;out.ptau&gt; &lt;beaconHash&gt; &lt;numIterationsExp&gt; --name=</c>, as snarkjs.</summary>
internal static class PowersOfTauBeaconCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in.ptau") { Description = "powers of tau to contribute to" };
        var output = new Argument<string>("out.ptau") { Description = "powers of tau to write" };
        var beacon = new Argument<string>("beaconHash") { Description = "the public random beacon, hexadecimal" };
        var exp = new Argument<int>("numIterationsExp") { Description = "log2 of the SHA-256 iterations applied to the beacon (10..63)" };
        var name = CeremonyCommandParts.NameOption();
        var command = new Command("beacon", "Adds the final contribution, derived from a public random beacon (reproducible by anyone).")
        {
            input, output, beacon, exp, name,
        };
        command.SetAction(r =>
        {
            string outPath = r.GetRequiredValue(output), hex = r.GetRequiredValue(beacon);
            int n = r.GetRequiredValue(exp);
            if (!CeremonyCommandParts.BeaconArgumentsValid(hex, n, r.InvocationConfiguration.Error)) return 1;
            var c = CeremonyCommandParts.Step(outPath, () => TerminalProgress.RunFraction("powersoftau beacon",
                progress => PowersOfTau.Beacon(r.GetRequiredValue(input), outPath, r.GetValue(name), hex, n, progress)));
            r.InvocationConfiguration.Output.WriteLine(CeremonyCommandParts.Describe(c));
            return 0;
        });
        return command;
    }
}
