using ZkMl.Tests.Shared;

namespace ZkMl.Circom.Tests;

/// <summary>Shares one <see cref="CircomlibFixture"/> (several circom2 compilations) across the test classes.</summary>
[CollectionDefinition(Name)]
public sealed class CircomlibCollection : ICollectionFixture<CircomlibFixture>
{
    public const string Name = "circomlib circuits";
}

/// <summary>
/// circomlib circuits compiled once by the pinned circom2 (with circomlib's circuits folder copied beside them):
/// Poseidon, a Poseidon Merkle path of depth 4, and EdDSA-Poseidon signature verification.
/// </summary>
public sealed class CircomlibFixture : IDisposable
{
    public const string PoseidonSource = """
        pragma circom 2.0.0;
        include "poseidon.circom";
        template Hash3() {
            signal input in[3];
            signal output out;
            component h = Poseidon(3);
            for (var i = 0; i < 3; i++) h.inputs[i] <== in[i];
            out <== h.out;
        }
        component main = Hash3();
        """;

    /// <summary>Checks that leaf hashes up to root along siblings, pathIndices[i] = 1 when the running node is the right child.</summary>
    public const string MerkleSource = """
        pragma circom 2.0.0;
        include "poseidon.circom";
        template MerklePath(levels) {
            signal input leaf;
            signal input root;
            signal input siblings[levels];
            signal input pathIndices[levels];
            component h[levels];
            signal node[levels + 1];
            signal left[levels];
            signal right[levels];
            node[0] <== leaf;
            for (var i = 0; i < levels; i++) {
                pathIndices[i] * (1 - pathIndices[i]) === 0;
                left[i] <== node[i] + pathIndices[i] * (siblings[i] - node[i]);
                right[i] <== siblings[i] + pathIndices[i] * (node[i] - siblings[i]);
                h[i] = Poseidon(2);
                h[i].inputs[0] <== left[i];
                h[i].inputs[1] <== right[i];
                node[i + 1] <== h[i].out;
            }
            root === node[levels];
        }
        component main {public [root]} = MerklePath(4);
        """;

    public const string EddsaSource = """
        pragma circom 2.0.0;
        include "eddsaposeidon.circom";
        component main {public [Ax, Ay, M]} = EdDSAPoseidonVerifier();
        """;

    public string Dir { get; } = NpmPeers.NewTempDir("circomlib");
    public string CacheDir => Path.Combine(Dir, "wasm-cache");
    public Circuit Poseidon { get; }
    public Circuit Merkle { get; }
    public Circuit Eddsa { get; }

    public CircomlibFixture()
    {
        CopyDirectory(NpmPeers.CircomlibCircuits, Dir);
        Poseidon = Compile("poseidon3", PoseidonSource);
        Merkle = Compile("merkle", MerkleSource);
        Eddsa = Compile("eddsa", EddsaSource);
    }

    /// <summary>A compiled circuit's files.</summary>
    public sealed record Circuit(string Name, string R1cs, string Wasm, string Sym);

    private Circuit Compile(string name, string source)
    {
        File.WriteAllText(Path.Combine(Dir, name + ".circom"), source);
        NpmPeers.RunCircom2(Dir, name + ".circom", "--r1cs", "--wasm", "--sym", "-o", ".");
        return new Circuit(name, Path.Combine(Dir, name + ".r1cs"), Path.Combine(Dir, name + "_js", name + ".wasm"), Path.Combine(Dir, name + ".sym"));
    }

    /// <summary>Writes <paramref name="inputJson"/> to a file and runs snarkjs wtns calculate; returns the .wtns path.</summary>
    public string SnarkjsWitness(Circuit circuit, string inputJson, string tag)
    {
        var input = Path.Combine(Dir, $"{circuit.Name}.{tag}.input.json");
        File.WriteAllText(input, inputJson);
        var wtns = Path.Combine(Dir, $"{circuit.Name}.{tag}.snarkjs.wtns");
        NpmPeers.RunSnarkjs(Dir, "wtns", "calculate", circuit.Wasm, input, wtns);
        return wtns;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        foreach (var f in Directory.GetFiles(from, "*.circom", SearchOption.AllDirectories))
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)), overwrite: true);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
