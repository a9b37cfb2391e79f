using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Tests.Groth16;
using ZkMl.Tests.Shared;

namespace ZkMl.Snark.Tests.Ceremony;

/// <summary>Shares one <see cref="CeremonyFixture"/> across the ceremony tests.</summary>
[CollectionDefinition(Name)]
public sealed class CeremonyCollection : ICollectionFixture<CeremonyFixture>
{
    public const string Name = "ceremony peers";
}

/// <summary>
/// The tiny circom circuit of <see cref="SnarkjsFixture"/> (domain 2^3) and a mixed phase 1 at power 4: pot0 by zkml,
/// pot1 = snarkjs contribution "alice", pot2 = zkml contribution "bob", pot.ptau = pot2 prepared for phase 2 by zkml.
/// </summary>
public sealed class CeremonyFixture
{
    public const int Power = 4;
    public const string BeaconHex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

    public string Dir { get; }
    public string R1cs => Path("mul.r1cs");
    public string Pot2 => Path("pot2.ptau");
    public string Ptau => Path("pot.ptau");
    public Bn254Fr[] Witness { get; }

    public CeremonyFixture()
    {
        Dir = NpmPeers.NewTempDir("ceremony");
        File.WriteAllText(Path("mul.circom"), SnarkjsFixture.Circuit);
        File.WriteAllText(Path("input.json"), """{"a": "3", "b": "11", "c": "5"}""");
        NpmPeers.RunCircom2(Dir, "mul.circom", "--r1cs", "--wasm", "-o", ".");
        NpmPeers.RunNode(Dir, Path("mul_js/generate_witness.js"), Path("mul_js/mul.wasm"), "input.json", "witness.wtns");
        Witness = CircomWitness.ReadFile<Bn254Fr>(Path("witness.wtns"));
        PowersOfTau.New(Power, Path("pot0.ptau"));
        Snarkjs("powersoftau", "contribute", "pot0.ptau", "pot1.ptau", "--name=alice", "-e=alice entropy");
        PowersOfTau.Contribute(Path("pot1.ptau"), Pot2, "bob", "bob entropy");
        PowersOfTau.PreparePhase2(Pot2, Ptau);
    }

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    /// <summary>A fresh path in the fixture's folder.</summary>
    public string Temp(string name) => Path($"{Guid.NewGuid():N}-{name}");

    public string Snarkjs(params string[] args) => NpmPeers.RunSnarkjs(Dir, args);

    /// <summary>Runs a snarkjs verify command; true when it prints <paramref name="ok"/> (it exits non-zero otherwise).</summary>
    public bool SnarkjsAccepts(string ok, params string[] args)
    {
        try { return Snarkjs(args).Contains(ok); }
        catch (InvalidOperationException) { return false; }
    }
}
