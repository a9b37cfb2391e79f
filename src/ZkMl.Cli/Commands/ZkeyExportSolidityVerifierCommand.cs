using System.CommandLine;
using System.Text;
using ZkMl.Common;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Solidity;

namespace ZkMl.Cli.Commands;

/// <summary><c>zkml zkey export solidityverifier [circuit_final.zkey] [verifier.sol]</c>, as snarkjs: a Solidity Groth16 verifier for the key.</summary>
internal static class ZkeyExportSolidityVerifierCommand
{
    public static Command Create()
    {
        var zkey = new Argument<string>("circuit_final.zkey")
        {
            Description = "snarkjs Groth16 proving key",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "circuit_final.zkey",
        };
        var sol = new Argument<string>("verifier.sol")
        {
            Description = "Solidity contract to write",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "verifier.sol",
        };
        var command = new Command("solidityverifier", "Writes a Solidity contract that verifies the key's Groth16 proofs on an EVM chain.") { zkey, sol };
        command.SetAction(r => Run(r.GetRequiredValue(zkey), r.GetRequiredValue(sol)));
        return command;
    }

    private static int Run(string zkeyPath, string solPath)
    {
        var key = FileErrors.About(zkeyPath, () => Zkey.ReadVerifyingKey(zkeyPath));
        var source = FileErrors.About(zkeyPath, () => SolidityVerifier.Generate(key));
        FileErrors.About(solPath, () => AtomicFile.WriteAllBytes(solPath, Encoding.UTF8.GetBytes(source)));
        return 0;
    }
}
