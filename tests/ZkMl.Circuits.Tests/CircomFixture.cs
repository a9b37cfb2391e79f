using ZkMl.Tests.Shared;

namespace ZkMl.Circuits.Tests;

/// <summary>Compiles small circom circuits with circom2 (once per test class) and computes witnesses with snarkjs.</summary>
public sealed class CircomFixture : IDisposable
{
    public string Dir { get; } = NpmPeers.NewTempDir("circom");

    /// <summary>A circuit with public outputs, public and private inputs, nonlinear and linear constraints.</summary>
    public const string SampleCircuit = """
        pragma circom 2.0.0;
        template Sample() {
            signal input pub;
            signal input a;
            signal input b;
            signal output prod;
            signal output mix;
            signal t;
            t <== a * b;
            prod <== t * pub;
            mix <== 3 * a - b + 7 - t * a;
        }
        component main {public [pub]} = Sample();
        """;

    /// <summary>Compiles <paramref name="source"/> as name.circom (circomlib files it includes are copied beside it first).</summary>
    public (string R1cs, string Wasm) Compile(string name, string source, params string[] circomlibFiles)
    {
        foreach (var f in circomlibFiles)
            File.Copy(Path.Combine(NpmPeers.CircomlibCircuits, f), Path.Combine(Dir, f), overwrite: true);
        File.WriteAllText(Path.Combine(Dir, name + ".circom"), source);
        NpmPeers.RunCircom2(Dir, name + ".circom", "--r1cs", "--wasm", "-o", ".");
        return (Path.Combine(Dir, name + ".r1cs"), Path.Combine(Dir, name + "_js", name + ".wasm"));
    }

    /// <summary>Computes a witness with snarkjs (circom's wasm witness generator) for inputs given as JSON.</summary>
    public string CalculateWitness(string wasm, string inputJson, string name)
    {
        var input = Path.Combine(Dir, name + ".input.json");
        File.WriteAllText(input, inputJson);
        var wtns = Path.Combine(Dir, name + ".wtns");
        NpmPeers.RunSnarkjs(Dir, "wtns", "calculate", wasm, input, wtns);
        return wtns;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
