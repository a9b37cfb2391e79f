using System.CommandLine;
using ZkMl.Circom;
using ZkMl.Circuits.Circom;
using ZkMl.Field;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml wtns calculate &lt;circuit.wasm&gt; &lt;input.json&gt; &lt;witness.wtns&gt;</c>: runs circom's witness calculator
/// in-process (no Node), writing the same .wtns bytes as snarkjs.
/// </summary>
internal static class WtnsCalculateCommand
{
    public static Command Create()
    {
        var wasm = new Argument<string>("circuit.wasm") { Description = "circom's witness calculator (circuit_js/circuit.wasm)" };
        var input = new Argument<string>("input.json") { Description = "circuit inputs: signal names to values" };
        var wtns = new Argument<string>("witness.wtns") { Description = "witness to write" };
        var command = new Command("calculate", "Compute a circom witness from the circuit's .wasm and input JSON, as snarkjs wtns calculate.") { wasm, input, wtns };
        command.SetAction(r =>
        {
            var witness = Compute(r.GetRequiredValue(wasm), r.GetRequiredValue(input), r.InvocationConfiguration.Output);
            var wtnsPath = r.GetRequiredValue(wtns);
            FileErrors.About(wtnsPath, () => CircomWitness.WriteFile(witness, wtnsPath));
            return 0;
        });
        return command;
    }

    /// <summary>The witness for <paramref name="inputPath"/>; the circuit's <c>log(...)</c> lines go to <paramref name="stdout"/>, as snarkjs prints them.</summary>
    public static Bn254Fr[] Compute(string wasmPath, string inputPath, TextWriter stdout)
    {
        var json = FileErrors.About(inputPath, () => File.ReadAllText(inputPath));
        using var calculator = FileErrors.About(wasmPath, () => WitnessCalculator.Load(wasmPath, new WitnessCalculatorOptions { Log = stdout.WriteLine }));
        // Unknown signals, wrong sizes and failed asserts are problems of the inputs.
        return FileErrors.About(inputPath, () => calculator.Calculate(json));
    }
}
