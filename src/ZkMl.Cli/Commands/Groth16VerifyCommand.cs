using System.CommandLine;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml groth16 verify &lt;verification_key.json&gt; &lt;public.json&gt; &lt;proof.json&gt;</c>: prints OK and exits 0
/// for a valid proof, or prints <c>INVALID: reason</c> on stderr and exits 1.
/// </summary>
internal static class Groth16VerifyCommand
{
    public static Command Create()
    {
        var vk = new Argument<string>("verification_key.json") { Description = "verification key (snarkjs JSON)" };
        var pub = new Argument<string>("public.json") { Description = "public signals (snarkjs JSON)" };
        var proof = new Argument<string>("proof.json") { Description = "proof (snarkjs JSON)" };
        var command = new Command("verify", "Prints OK and exits 0 for a valid proof; exits 1 with the reason otherwise.") { vk, pub, proof };
        command.SetAction(r => Run(r.GetRequiredValue(vk), r.GetRequiredValue(pub), r.GetRequiredValue(proof),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string vkPath, string publicPath, string proofPath, TextWriter stdout, TextWriter stderr)
    {
        var vk = FileErrors.About(vkPath, () => SnarkjsJson.ReadVerifyingKey(vkPath));
        var publicSignals = FileErrors.About(publicPath, () => SnarkjsJson.ReadPublicSignals(publicPath));
        var proof = FileErrors.About(proofPath, () => SnarkjsJson.ReadProof(proofPath));
        if (publicSignals.Length != vk.PublicCount)
        {
            stderr.WriteLine($"INVALID: {publicPath} has {publicSignals.Length} public signals, the verification key expects {vk.PublicCount}");
            return 1;
        }
        var reason = Groth16Verifier.Check(vk, publicSignals, proof);
        if (reason is null)
        {
            stdout.WriteLine("OK");
            return 0;
        }
        stderr.WriteLine($"INVALID: {reason}");
        return 1;
    }
}
