using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Cli.Tests;

/// <summary>wtns calculate/check, groth16 fullprove and r1cs print against circom2's and snarkjs's files, without Node on our side.</summary>
[Collection(SnarkjsCollection.Name)]
public sealed class CircomCommandsTests(SnarkjsFixture fx)
{
    private string Wasm => Path.Combine(fx.Dir, "mul_js", "mul.wasm");
    private string Input => Path.Combine(fx.Dir, "input.json");

    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Temp(string name) => Path.Combine(fx.Dir, $"{Guid.NewGuid():N}-{name}");

    private static void AssertOneLineError(string err, string mentions)
    {
        Assert.StartsWith("error: ", err);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
        Assert.Contains(mentions, err);
    }

    [Fact]
    public void WtnsCalculateIsByteIdenticalToCircomsWitness()
    {
        var wtns = Temp("w.wtns");
        var (code, _, err) = Zkml("wtns", "calculate", Wasm, Input, wtns);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(fx.Wtns), File.ReadAllBytes(wtns));
    }

    [Fact]
    public void FullProveWritesAProofSnarkjsAccepts()
    {
        string proof = Temp("proof.json"), pub = Temp("public.json");
        var (code, _, err) = Zkml("groth16", "fullprove", Input, Wasm, fx.Zkey, proof, pub);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllText(fx.PublicJson), File.ReadAllText(pub));
        Assert.True(fx.SnarkjsVerifies(fx.VkJson, pub, proof));
        Assert.Equal("OK", Zkml("groth16", "verify", fx.VkJson, pub, proof).Out.Trim());
    }

    [Fact]
    public void WtnsCheckAcceptsTheWitnessAndNamesTheFirstFailingConstraint()
    {
        var (code, output, _) = Zkml("wtns", "check", fx.R1cs, fx.Wtns);
        Assert.Equal(0, code);
        Assert.StartsWith("OK", output);

        // Wire 5 is t = a·b, used by constraint 0 (t = a·b) and constraint 1 (out = t·c + a): the first one fails.
        var bad = Temp("bad.wtns");
        var bytes = File.ReadAllBytes(fx.Wtns);
        bytes[^(32 * 1)] ^= 1;
        File.WriteAllBytes(bad, bytes);
        var (badCode, badOut, err) = Zkml("wtns", "check", fx.R1cs, bad);
        Assert.Equal(1, badCode);
        Assert.Empty(badOut);
        AssertOneLineError(err, $"{bad}: constraint 0 is not satisfied");
    }

    [Fact]
    public void R1csPrintMatchesSnarkjs()
    {
        // Hand-written symbols for mul.circom's wires (out, a, b, c, t).
        var sym = Temp("mul.sym");
        File.WriteAllText(sym, "1,1,0,main.out\n2,2,0,main.a\n3,3,0,main.b\n4,4,0,main.c\n5,5,0,main.t\n");
        var expected = fx.Snarkjs("r1cs", "print", fx.R1cs, sym).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[(l.IndexOf("[ ", StringComparison.Ordinal))..].TrimEnd());
        var (code, output, err) = Zkml("r1cs", "print", fx.R1cs, sym);
        Assert.True(code == 0, err);
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // Without a .sym beside the .r1cs, wires are named by index.
        Assert.Contains("w5", Zkml("r1cs", "print", fx.R1cs).Out);
    }

    [Fact]
    public void BadInputsNameTheirFile()
    {
        var input = Temp("input.json");
        File.WriteAllText(input, """{"a": 3, "b": 11, "c": 5, "d": 1}""");
        var (code, _, err) = Zkml("wtns", "calculate", Wasm, input, Temp("w.wtns"));
        Assert.Equal(1, code);
        AssertOneLineError(err, $"{input}: 'd' is not an input signal of the circuit");

        File.WriteAllText(input, """{"a": 3, "b": [11, 12], "c": 5}""");
        AssertOneLineError(Zkml("groth16", "fullprove", input, Wasm, fx.Zkey, Temp("p.json"), Temp("q.json")).Err, $"{input}: input signal 'b' takes 1 value, got 2");

        var missing = Temp("missing.wasm");
        AssertOneLineError(Zkml("wtns", "calculate", missing, Input, Temp("w.wtns")).Err, $"{missing}: no such file or directory");
        AssertOneLineError(Zkml("wtns", "calculate", fx.R1cs, Input, Temp("w.wtns")).Err, $"{fx.R1cs}: not a WebAssembly module");
        var missingZkey = Temp("missing.zkey");
        AssertOneLineError(Zkml("groth16", "fullprove", Input, Wasm, missingZkey, Temp("p.json"), Temp("q.json")).Err, missingZkey);
        AssertOneLineError(Zkml("wtns", "check", fx.R1cs, missing).Err, missing);
    }

    [Fact]
    public void HelpListsTheCircomCommands()
    {
        var output = Zkml("--help").Out;
        foreach (var usage in new[]
                 {
                     "zkml wtns calculate <circuit.wasm> <input.json> <witness.wtns>",
                     "zkml wtns check <circuit.r1cs> <witness.wtns>",
                     "zkml groth16 fullprove <input.json> <circuit.wasm> <circuit.zkey> <proof.json> <public.json>",
                     "zkml r1cs print <circuit.r1cs> <circuit.sym>",
                 })
            Assert.Contains(usage, output);
    }
}
