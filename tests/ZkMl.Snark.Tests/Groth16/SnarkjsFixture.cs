using System.Text.Json;
using ZkMl.Field;
using ZkMl.Tests.Shared;

namespace ZkMl.Snark.Tests.Groth16;

/// <summary>Shares one <see cref="SnarkjsFixture"/> across the test classes that use it (it takes several node runs to build).</summary>
[CollectionDefinition(Name)]
public sealed class SnarkjsCollection : ICollectionFixture<SnarkjsFixture>
{
    public const string Name = "snarkjs peers";
}

/// <summary>
/// One small circom circuit compiled by circom2 and keyed by snarkjs (powers of tau 2^8, one contribution each phase),
/// built once per test run: out = a·b·c + a with a public, so nPublic = 2 (output, then a).
/// </summary>
public sealed class SnarkjsFixture
{
    public const string Circuit = """
        pragma circom 2.0.0;
        template Mul() {
          signal input a;
          signal input b;
          signal input c;
          signal output out;
          signal t;
          t <== a * b;
          out <== t * c + a;
        }
        component main {public [a]} = Mul();
        """;

    public string Dir { get; }
    public string R1cs => Path.Combine(Dir, "mul.r1cs");
    public string Wtns => Path.Combine(Dir, "witness.wtns");
    public string Ptau => Path.Combine(Dir, "pot.ptau");
    public string Zkey => Path.Combine(Dir, "mul.zkey");
    public string VkJson => Path.Combine(Dir, "verification_key.json");
    public string ProofJson => Path.Combine(Dir, "proof.json");
    public string PublicJson => Path.Combine(Dir, "public.json");
    public Bn254Fr[] Witness { get; }

    public SnarkjsFixture()
    {
        Dir = NpmPeers.NewTempDir("groth16");
        File.WriteAllText(Path.Combine(Dir, "mul.circom"), Circuit);
        File.WriteAllText(Path.Combine(Dir, "input.json"), """{"a": "3", "b": "11", "c": "5"}""");
        NpmPeers.RunCircom2(Dir, "mul.circom", "--r1cs", "--wasm", "-o", ".");
        NpmPeers.RunNode(Dir, Path.Combine(Dir, "mul_js", "generate_witness.js"), Path.Combine(Dir, "mul_js", "mul.wasm"), "input.json", "witness.wtns");
        Snarkjs("powersoftau", "new", "bn128", "8", "pot0.ptau");
        // A fresh ptau has τ = α = β = 1 (degenerate: τ lies in every domain); one contribution randomises it.
        Snarkjs("powersoftau", "contribute", "pot0.ptau", "pot1.ptau", "-e=groth16 test entropy");
        Snarkjs("powersoftau", "prepare", "phase2", "pot1.ptau", "pot.ptau");
        Snarkjs("groth16", "setup", "mul.r1cs", "pot.ptau", "mul0.zkey");
        Snarkjs("zkey", "contribute", "mul0.zkey", "mul.zkey", "-e=phase 2 entropy");
        Snarkjs("zkey", "export", "verificationkey", "mul.zkey", "verification_key.json");
        Snarkjs("groth16", "prove", "mul.zkey", "witness.wtns", "proof.json", "public.json");
        Snarkjs("wtns", "export", "json", "witness.wtns", "witness.json");
        Witness = JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(Dir, "witness.json")))!
            .Select(s => Bn254Fr.FromBigInteger(System.Numerics.BigInteger.Parse(s))).ToArray();
    }

    public string Snarkjs(params string[] args) => NpmPeers.RunSnarkjs(Dir, args);

    /// <summary>Runs `snarkjs groth16 verify`; true when it prints OK (it exits non-zero otherwise).</summary>
    public bool SnarkjsVerifies(string vk, string pub, string proof)
    {
        try { return Snarkjs("groth16", "verify", vk, pub, proof).Contains("OK!"); }
        catch (InvalidOperationException) { return false; }
    }
}
