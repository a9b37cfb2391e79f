using System.CommandLine;
using ZkMl.Snark.Formats;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey export verificationkey &lt;circuit.zkey&gt; &lt;verification_key.json&gt;</c>, as snarkjs.</summary>
internal static class ZkeyExportVerificationKeyCommand
{
    public static Command Create()
    {
        var zkey = new Argument<string>("circuit.zkey") { Description = "snarkjs Groth16 proving key" };
        var vk = new Argument<string>("verification_key.json") { Description = "verification key to write (snarkjs JSON)" };
        var command = new Command("verificationkey", "Writes the verification key of a .zkey in snarkjs's JSON shape.") { zkey, vk };
        command.SetAction(r => Run(r.GetRequiredValue(zkey), r.GetRequiredValue(vk)));
        return command;
    }

    private static int Run(string zkeyPath, string vkPath)
    {
        var key = FileErrors.About(zkeyPath, () => Zkey.ReadVerifyingKey(zkeyPath));
        FileErrors.About(vkPath, () => SnarkjsJson.WriteVerifyingKey(vkPath, key));
        return 0;
    }
}
