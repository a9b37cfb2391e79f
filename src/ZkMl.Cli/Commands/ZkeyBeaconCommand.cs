using System.CommandLine;
using ZkMl.Snark.Ceremony;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey beacon &lt;in.zkey&gt; &lt;out.zkey&gt; &lt;beaconHash&gt; &lt;numIterationsExp&gt; --name=</c>, as snarkjs.</summary>
internal static class ZkeyBeaconCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in.zkey") { Description = "proving key to contribute to" };
        var output = new Argument<string>("out.zkey") { Description = "proving key to write" };
        var beacon = new Argument<string>("beaconHash") { Description = "the public random beacon, hexadecimal" };
        var exp = new Argument<int>("numIterationsExp") { Description = "log2 of the SHA-256 iterations applied to the beacon (10..63)" };
        var name = CeremonyCommandParts.NameOption();
        var command = new Command("beacon", "Adds the final phase-2 contribution, derived from a public random beacon.") { input, output, beacon, exp, name };
        command.SetAction(r =>
        {
            string outPath = r.GetRequiredValue(output), hex = r.GetRequiredValue(beacon);
            int n = r.GetRequiredValue(exp);
            if (!CeremonyCommandParts.BeaconArgumentsValid(hex, n, r.InvocationConfiguration.Error)) return 1;
            var c = CeremonyCommandParts.Step(outPath, () => TerminalProgress.RunFraction("zkey beacon",
                progress => ZkeyCeremony.Beacon(r.GetRequiredValue(input), outPath, r.GetValue(name), hex, n, progress)));
            r.InvocationConfiguration.Output.WriteLine(CeremonyCommandParts.Describe(c));
            return 0;
        });
        return command;
    }
}
