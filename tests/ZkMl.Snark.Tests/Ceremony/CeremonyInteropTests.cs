using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Ceremony;

/// <summary>
/// Ceremonies mixing zkml and snarkjs 0.7 participants: each tool's verify accepts the other's files, deterministic steps
/// (new, beacon, prepare phase2) give byte-identical files, and the final key proves with our prover and verifies with snarkjs.
/// </summary>
[Collection(CeremonyCollection.Name)]
public class CeremonyInteropTests
{
    private readonly CeremonyFixture _fx;

    public CeremonyInteropTests(CeremonyFixture fx) => _fx = fx;

    private bool SnarkjsVerifiesPtau(string ptau) => _fx.SnarkjsAccepts("Powers of Tau Ok!", "powersoftau", "verify", ptau);

    private bool SnarkjsVerifiesZkey(string zkey) => _fx.SnarkjsAccepts("ZKey Ok!", "zkey", "verify", _fx.R1cs, _fx.Ptau, zkey);

    [Fact]
    public void NewPtauIsByteIdenticalToSnarkjs()
    {
        var ours = _fx.Temp("new.ptau");
        var theirs = _fx.Temp("new-snarkjs.ptau");
        PowersOfTau.New(3, ours);
        _fx.Snarkjs("powersoftau", "new", "bn128", "3", theirs);
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
    }

    [Fact]
    public void PhaseOneMixedCeremonyVerifiesInBothAndDeterministicStepsMatchSnarkjs()
    {
        // pot2: zkml new, snarkjs contribution, zkml contribution.
        Assert.True(SnarkjsVerifiesPtau(_fx.Pot2), "snarkjs rejects a ptau with a zkml contribution");
        var chain = PowersOfTau.Verify(_fx.Pot2);
        Assert.Equal(["alice", "bob"], chain.Select(c => c.Name));

        var pot3 = _fx.Temp("pot3.ptau");
        _fx.Snarkjs("powersoftau", "contribute", _fx.Pot2, pot3, "--name=carol", "-e=carol entropy");
        Assert.Equal(3, PowersOfTau.Verify(pot3).Count);

        var ours = _fx.Temp("beacon.ptau");
        var theirs = _fx.Temp("beacon-snarkjs.ptau");
        var beacon = PowersOfTau.Beacon(pot3, ours, "final", CeremonyFixture.BeaconHex, 10);
        _fx.Snarkjs("powersoftau", "beacon", pot3, theirs, CeremonyFixture.BeaconHex, "10", "-n=final");
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
        Assert.Equal(4, beacon.Index);
        Assert.True(SnarkjsVerifiesPtau(ours));

        var prepared = _fx.Temp("prepared.ptau");
        var preparedTheirs = _fx.Temp("prepared-snarkjs.ptau");
        PowersOfTau.PreparePhase2(ours, prepared);
        _fx.Snarkjs("powersoftau", "prepare", "phase2", ours, preparedTheirs);
        Assert.Equal(File.ReadAllBytes(preparedTheirs), File.ReadAllBytes(prepared));
        Assert.Equal(4, PowersOfTau.Verify(preparedTheirs).Count);
    }

    [Fact]
    public void PhaseTwoMixedCeremonyVerifiesInBothAndTheKeyProvesForSnarkjs()
    {
        var z0 = _fx.Temp("z0.zkey");
        ZkeyCeremony.New(_fx.R1cs, _fx.Ptau, z0);
        Assert.True(SnarkjsVerifiesZkey(z0), "snarkjs rejects zkml's zkey new");
        var z0s = _fx.Temp("z0s.zkey");
        _fx.Snarkjs("zkey", "new", _fx.R1cs, _fx.Ptau, z0s);
        Assert.Empty(ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, z0s));

        var z1 = _fx.Temp("z1.zkey");
        _fx.Snarkjs("zkey", "contribute", z0, z1, "--name=alice", "-e=alice phase 2");
        var z2 = _fx.Temp("z2.zkey");
        var bob = ZkeyCeremony.Contribute(z1, z2, "bob", "bob phase 2");
        Assert.Equal(2, bob.Index);
        Assert.True(SnarkjsVerifiesZkey(z2), "snarkjs rejects a zkey with a zkml contribution");
        var z3 = _fx.Temp("z3.zkey");
        _fx.Snarkjs("zkey", "contribute", z2, z3, "--name=carol", "-e=carol phase 2");
        Assert.Equal(["alice", "bob", "carol"], ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, z3).Select(c => c.Name));

        var z4 = _fx.Temp("z4.zkey");
        var z4s = _fx.Temp("z4s.zkey");
        ZkeyCeremony.Beacon(z3, z4, "final", CeremonyFixture.BeaconHex, 10);
        _fx.Snarkjs("zkey", "beacon", z3, z4s, CeremonyFixture.BeaconHex, "10", "-n=final");
        Assert.Equal(File.ReadAllBytes(z4s), File.ReadAllBytes(z4));
        Assert.True(SnarkjsVerifiesZkey(z4));
        Assert.Equal(4, ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, z4).Count);

        var key = Zkey.ReadProvingKey(z4);
        var (proof, pub) = new Groth16Prover().Prove(key, _fx.Witness);
        var proofJson = _fx.Temp("proof.json");
        var publicJson = _fx.Temp("public.json");
        var vkJson = _fx.Temp("vk.json");
        SnarkjsJson.WriteProof(proofJson, proof);
        SnarkjsJson.WritePublicSignals(publicJson, pub);
        _fx.Snarkjs("zkey", "export", "verificationkey", z4, vkJson);
        Assert.True(_fx.SnarkjsAccepts("OK!", "groth16", "verify", vkJson, publicJson, proofJson));
    }

    [Fact]
    public void SnarkjsOnlyCeremonyVerifiesWithUs()
    {
        var p1 = _fx.Temp("s1.ptau");
        var p2 = _fx.Temp("s2.ptau");
        var pf = _fx.Temp("sf.ptau");
        _fx.Snarkjs("powersoftau", "new", "bn128", "4", p1);
        _fx.Snarkjs("powersoftau", "contribute", p1, p2, "--name=solo", "-e=solo");
        _fx.Snarkjs("powersoftau", "prepare", "phase2", p2, pf);
        Assert.Single(PowersOfTau.Verify(pf));
        var z0 = _fx.Temp("s0.zkey");
        var z1 = _fx.Temp("s1.zkey");
        _fx.Snarkjs("groth16", "setup", _fx.R1cs, pf, z0);
        _fx.Snarkjs("zkey", "contribute", z0, z1, "--name=solo", "-e=solo 2");
        Assert.Single(ZkeyCeremony.Verify(_fx.R1cs, pf, z1));
        // A key is bound to its ptau: the fixture's ptau is another ceremony.
        var e = Assert.Throws<CeremonyVerificationException>(() => ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, z1));
        Assert.Contains(z1, e.Message);
    }
}
