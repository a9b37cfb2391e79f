using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Cli.Tests;

/// <summary>
/// A whole ceremony through the CLI with a snarkjs participant in the middle (zkml new, zkml contribute, snarkjs
/// contribute, zkml beacon, prepare phase2, zkey new/contribute/beacon/verify), the final key proving for snarkjs; and the
/// one-line errors naming the file.
/// </summary>
[Collection(SnarkjsCollection.Name)]
public sealed class CeremonyCommandsTests(SnarkjsFixture fx)
{
    private const string BeaconHex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Temp(string name) => Path.Combine(fx.Dir, $"{Guid.NewGuid():N}-{name}");

    private static void Ok((int Code, string Out, string Err) r) => Assert.True(r.Code == 0, r.Err);

    private static void AssertOneLineError((int Code, string Out, string Err) r, params string[] mentions)
    {
        Assert.Equal(1, r.Code);
        Assert.StartsWith("error: ", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        foreach (var m in mentions) Assert.Contains(m, r.Err);
    }

    [Fact]
    public void MixedCeremonyThroughTheCliGivesAKeySnarkjsAccepts()
    {
        string p0 = Temp("p0.ptau"), p1 = Temp("p1.ptau"), p2 = Temp("p2.ptau"), p3 = Temp("p3.ptau"), pf = Temp("pf.ptau");
        Ok(Zkml("powersoftau", "new", "bn128", "4", p0));
        var alice = Zkml("powersoftau", "contribute", p0, p1, "--name=alice", "-e=alice entropy");
        Ok(alice);
        Assert.StartsWith("contribution #1 (alice): ", alice.Out);
        fx.Snarkjs("powersoftau", "contribute", p1, p2, "--name=bob", "-e=bob entropy");
        Ok(Zkml("powersoftau", "beacon", p2, p3, BeaconHex, "10", "--name=final"));
        Ok(Zkml("powersoftau", "prepare", "phase2", p3, pf));
        var verified = Zkml("powersoftau", "verify", pf);
        Ok(verified);
        Assert.Equal(4, verified.Out.TrimEnd('\n').Split('\n').Length);
        Assert.EndsWith("Powers of Tau OK", verified.Out.TrimEnd());
        Assert.Contains("Powers of Tau Ok!", fx.Snarkjs("powersoftau", "verify", pf));

        string z0 = Temp("z0.zkey"), z1 = Temp("z1.zkey"), z2 = Temp("z2.zkey");
        Ok(Zkml("zkey", "new", fx.R1cs, pf, z0));
        Ok(Zkml("zkey", "contribute", z0, z1, "-n", "carol", "-e", "carol entropy"));
        Ok(Zkml("zkey", "beacon", z1, z2, BeaconHex, "10", "-n=final"));
        var zkeyVerified = Zkml("zkey", "verify", fx.R1cs, pf, z2);
        Ok(zkeyVerified);
        Assert.Contains("contribution #2 (final)", zkeyVerified.Out);
        Assert.Contains("ZKey Ok!", fx.Snarkjs("zkey", "verify", fx.R1cs, pf, z2));

        string proof = Temp("proof.json"), pub = Temp("public.json"), vk = Temp("vk.json");
        Ok(Zkml("groth16", "prove", z2, fx.Wtns, proof, pub));
        Ok(Zkml("zkey", "export", "verificationkey", z2, vk));
        Assert.True(fx.SnarkjsVerifies(vk, pub, proof));

        // The key belongs to pf's ceremony, not the fixture's.
        AssertOneLineError(Zkml("zkey", "verify", fx.R1cs, fx.Ptau, z2), z2);
        // A changed byte in the last contribution's record (section 7 is the file's tail before phase 2's sections).
        var bytes = File.ReadAllBytes(p3);
        bytes[^1] ^= 1; // the beacon hash's last byte
        var forged = Temp("forged.ptau");
        File.WriteAllBytes(forged, bytes);
        AssertOneLineError(Zkml("powersoftau", "verify", forged), forged, "contribution #3 (final)");
    }

    [Fact]
    public void CeremonyErrorsAreOneLineNamingTheFile()
    {
        var missing = Temp("missing.ptau");
        AssertOneLineError(Zkml("powersoftau", "verify", missing), missing);
        AssertOneLineError(Zkml("powersoftau", "contribute", missing, Temp("out.ptau"), "-e=x"), missing);
        AssertOneLineError(Zkml("zkey", "contribute", fx.Ptau, Temp("out.zkey")), fx.Ptau);
        var fresh = Temp("fresh.ptau");
        Ok(Zkml("powersoftau", "new", "bn128", "2", fresh));
        AssertOneLineError(Zkml("powersoftau", "verify", fresh), fresh, "no contribution");
        var noFolder = Path.Combine(fx.Dir, "no-such-folder", "out.ptau");
        AssertOneLineError(Zkml("powersoftau", "contribute", fresh, noFolder, "-e=x"), noFolder);
        AssertOneLineError(Zkml("powersoftau", "new", "bls12381", "4", Temp("x.ptau")), "bls12381");
        AssertOneLineError(Zkml("powersoftau", "beacon", fresh, Temp("b.ptau"), "xyz", "10"), "xyz");
        AssertOneLineError(Zkml("zkey", "beacon", fx.Zkey, Temp("b.zkey"), BeaconHex, "5"), "numIterationsExp");
    }
}
