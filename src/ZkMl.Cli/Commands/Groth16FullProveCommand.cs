using System.CommandLine;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml groth16 fullprove &lt;input.json&gt; &lt;circuit.wasm&gt; &lt;circuit.zkey&gt; &lt;proof.json&gt; &lt;public.json&gt;</c>:
/// witness and proof in one step, as snarkjs; the key is read while the witness is computed.
/// </summary>
internal static class Groth16FullProveCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input.json") { Description = "circuit inputs: signal names to values" };
        var wasm = new Argument<string>("circuit.wasm") { Description = "circom's witness calculator (circuit_js/circuit.wasm)" };
        var zkey = new Argument<string>("circuit.zkey") { Description = "snarkjs Groth16 proving key" };
        var proof = new Argument<string>("proof.json") { Description = "proof to write (snarkjs JSON)" };
        var pub = new Argument<string>("public.json") { Description = "public signals to write (snarkjs JSON)" };
        var command = new Command("fullprove", "Compute the witness and prove in one step; writes snarkjs-format JSON.") { input, wasm, zkey, proof, pub };
        command.SetAction(r => Run(r.GetRequiredValue(input), r.GetRequiredValue(wasm), r.GetRequiredValue(zkey),
            r.GetRequiredValue(proof), r.GetRequiredValue(pub), r.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(string inputPath, string wasmPath, string zkeyPath, string proofPath, string publicPath, TextWriter stdout)
    {
        var key = Task.Run(() => FileErrors.About(zkeyPath, () => Zkey.ReadProvingKey(zkeyPath, null, checkB2Subgroup: false)));
        var witness = WtnsCalculateCommand.Compute(wasmPath, inputPath, stdout);
        var provingKey = key.GetAwaiter().GetResult();
        // The .wasm computed a witness of its circuit: one the key rejects means the .zkey is for another circuit.
        var (p, publicSignals) = FileErrors.About(zkeyPath, () => TerminalProgress.RunFraction("prove", progress => new Groth16Prover().Prove(provingKey, witness, progress)));
        FileErrors.About(proofPath, () => SnarkjsJson.WriteProof(proofPath, p));
        FileErrors.About(publicPath, () => SnarkjsJson.WritePublicSignals(publicPath, publicSignals));
        return 0;
    }
}
