using System.CommandLine;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Solidity;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml zkey export soliditycalldata [public.json] [proof.json]</c>, as snarkjs: prints the arguments of the Solidity
/// verifier's <c>verifyProof</c> for a Groth16 proof.
/// </summary>
internal static class ZkeyExportSolidityCalldataCommand
{
    public static Command Create()
    {
        var pub = new Argument<string>("public.json")
        {
            Description = "public signals (snarkjs JSON)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "public.json",
        };
        var proof = new Argument<string>("proof.json")
        {
            Description = "Groth16 proof (snarkjs JSON)",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "proof.json",
        };
        var command = new Command("soliditycalldata", "Prints the verifyProof arguments for a proof, as snarkjs does.") { pub, proof };
        command.SetAction(r => Run(r.GetRequiredValue(pub), r.GetRequiredValue(proof), r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string publicPath, string proofPath, TextWriter stdout)
    {
        var publicSignals = FileErrors.About(publicPath, () => SnarkjsJson.ReadPublicSignals(publicPath));
        var proof = FileErrors.About(proofPath, () => SnarkjsJson.ReadProof(proofPath));
        stdout.WriteLine(SolidityCalldata.Format(publicSignals, proof));
        return 0;
    }
}
