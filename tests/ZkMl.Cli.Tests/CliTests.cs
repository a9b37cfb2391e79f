using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Cli.Tests;

/// <summary>The zkml command line, run in-process, against files made by circom2 and snarkjs.</summary>
[Collection(SnarkjsCollection.Name)]
public class CliTests
{
    private readonly SnarkjsFixture _fx;

    public CliTests(SnarkjsFixture fx) => _fx = fx;

    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Temp(string name) => Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}-{name}");

    private static void AssertOneLineError(string err)
    {
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var (code, output, _) = Zkml("--help");
        Assert.Equal(0, code);
        foreach (var c in new[] { "groth16 prove", "groth16 verify", "zkey export verificationkey", "r1cs info" })
            Assert.Contains(c, output);
        Assert.Equal(2, Zkml().Code);
    }

    [Fact]
    public void UnknownCommandIsAUsageError()
    {
        var (code, _, err) = Zkml("groth16", "prove", "only-one-arg");
        Assert.Equal(2, code);
        Assert.Contains("zkml --help", err);
    }

    [Fact]
    public void ProveWritesAProofSnarkjsAcceptsAndWeVerify()
    {
        string proof = Temp("proof.json"), pub = Temp("public.json");
        var (code, _, err) = Zkml("groth16", "prove", _fx.Zkey, _fx.Wtns, proof, pub);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(_fx.PublicJson), File.ReadAllText(pub));
        Assert.True(_fx.SnarkjsVerifies(_fx.VkJson, pub, proof));
        var (vcode, vout, verr) = Zkml("groth16", "verify", _fx.VkJson, pub, proof);
        Assert.True(vcode == 0, verr);
        Assert.Equal("OK", vout.Trim());
        Assert.Empty(Directory.GetFiles(_fx.Dir, "*.tmp"));
    }

    [Fact]
    public void VerifyAcceptsSnarkjsProofAndRejectsOtherPublicSignals()
    {
        var (code, output, _) = Zkml("groth16", "verify", _fx.VkJson, _fx.PublicJson, _fx.ProofJson);
        Assert.Equal(0, code);
        Assert.Equal("OK", output.Trim());

        string pub = Temp("public.json");
        File.WriteAllText(pub, File.ReadAllText(_fx.PublicJson).Replace("\"3\"", "\"4\""));
        var (bad, badOut, badErr) = Zkml("groth16", "verify", _fx.VkJson, pub, _fx.ProofJson);
        Assert.Equal(1, bad);
        Assert.Empty(badOut);
        Assert.StartsWith("INVALID: ", badErr);
    }

    [Fact]
    public void ExportVerificationKeyMatchesSnarkjsByteForByte()
    {
        string vk = Temp("vk.json");
        var (code, _, err) = Zkml("zkey", "export", "verificationkey", _fx.Zkey, vk);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(_fx.VkJson), File.ReadAllText(vk));
    }

    [Fact]
    public void R1csInfoPrintsTheSizes()
    {
        var (code, output, _) = Zkml("r1cs", "info", _fx.R1cs);
        Assert.Equal(0, code);
        Assert.Contains("# of Constraints: 2", output);
        Assert.Contains("# of Outputs: 1", output);
        Assert.Contains("# of Public Inputs: 1", output);
    }

    [Fact]
    public void SetupFromPtauMakesAZkeyThatProvesAndVerifies()
    {
        string zkey = Temp("c.zkey"), vk = Temp("vk.json"), proof = Temp("proof.json"), pub = Temp("public.json");
        Assert.Equal(0, Zkml("groth16", "setup", _fx.R1cs, _fx.Ptau, zkey).Code);
        Assert.Equal(0, Zkml("zkey", "export", "verificationkey", zkey, vk).Code);
        Assert.Equal(0, Zkml("groth16", "prove", zkey, _fx.Wtns, proof, pub).Code);
        Assert.Equal(0, Zkml("groth16", "verify", vk, pub, proof).Code);
        Assert.True(_fx.SnarkjsVerifies(vk, pub, proof));
    }

    [Fact]
    public void BadFilesGiveOneClearLine()
    {
        string junk = Temp("junk.zkey");
        File.WriteAllText(junk, "not a zkey");
        string proof = Temp("proof.json"), pub = Temp("public.json");

        var (code, _, err) = Zkml("groth16", "prove", junk, _fx.Wtns, proof, pub);
        Assert.Equal(1, code);
        AssertOneLineError(err);
        Assert.False(File.Exists(proof));

        (code, _, err) = Zkml("groth16", "prove", _fx.Zkey, junk, proof, pub);
        Assert.Equal(1, code);
        AssertOneLineError(err);

        (code, _, err) = Zkml("groth16", "prove", Path.Combine(_fx.Dir, "missing.zkey"), _fx.Wtns, proof, pub);
        Assert.Equal(1, code);
        AssertOneLineError(err);

        string truncated = Temp("proof.json");
        File.WriteAllText(truncated, File.ReadAllText(_fx.ProofJson)[..100]);
        (code, _, err) = Zkml("groth16", "verify", _fx.VkJson, _fx.PublicJson, truncated);
        Assert.Equal(1, code);
        AssertOneLineError(err);
        Assert.Contains("invalid JSON", err);

        (code, _, err) = Zkml("r1cs", "info", junk);
        Assert.Equal(1, code);
        AssertOneLineError(err);

        (code, _, err) = Zkml("zkey", "export", "verificationkey", _fx.Ptau, Temp("vk.json"));
        Assert.Equal(1, code);
        AssertOneLineError(err);
    }

    [Fact]
    public void WitnessOfAnotherCircuitIsRejected()
    {
        string wtns = Temp("w.wtns");
        ZkMl.Circuits.Circom.CircomWitness.WriteFile<ZkMl.Field.Bn254Fr>([ZkMl.Field.Bn254Fr.One, ZkMl.Field.Bn254Fr.One], wtns);
        var (code, _, err) = Zkml("groth16", "prove", _fx.Zkey, wtns, Temp("p.json"), Temp("q.json"));
        Assert.Equal(1, code);
        AssertOneLineError(err);
        Assert.Contains("witness has 2 values", err);
    }
}
