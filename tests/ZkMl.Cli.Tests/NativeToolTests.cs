using System.Diagnostics;
using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Cli.Tests;

/// <summary>
/// The published Native AOT `zkml` (`dotnet publish src/ZkMl.Cli -c Release -r linux-x64 -o DIR`, minutes on two cores, so
/// kept out of .ci/run) run as a process: start-up, a Groth16 proof the library verifies, the verification key export,
/// and `verify-run` (JSON transcripts and ONNX through trimmed code). Opt-in: ZKML_AOT_BINARY=DIR/zkml.
/// </summary>
public sealed class NativeToolTests : IDisposable
{
    private const string Variable = "ZKML_AOT_BINARY";
    private readonly string _dir = Directory.CreateTempSubdirectory("zkml-aot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class NativeFactAttribute : FactAttribute
    {
        public NativeFactAttribute()
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
                Skip = $"Opt-in: publish the tool (dotnet publish src/ZkMl.Cli -c Release -r linux-x64 -o DIR) and set {Variable}=DIR/zkml.";
        }
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => RunWith(null, args);

    // avx512: the ZKML_AVX512 variable (0 keeps the portable build, which otherwise hands over to zkml-avx512); null: unset.
    private static (int Code, string Output, string Error) RunWith(string? avx512, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable(Variable)!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("ZKML_AVX512");
        if (avx512 != null) start.Environment["ZKML_AVX512"] = avx512;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the native tool did not finish in two minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    [NativeFact]
    public void StartsAndPrintsItsVersion()
    {
        var (code, output, error) = Run("--version");
        Assert.True(code == 0, output + error);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }

    [NativeFact]
    public void ProvesAWitnessTheLibraryVerifies() => ProveAndVerify(null);

    [NativeFact]
    public void BothBuildsProve()
    {
        // The linux-x64 publish carries the AVX-512 build beside the portable one; each proves on its own.
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Environment.GetEnvironmentVariable(Variable))!, "zkml-avx512")));
        ProveAndVerify("0");
        ProveAndVerify("1");
    }

    private void ProveAndVerify(string? avx512)
    {
        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        var acc = x;
        for (int i = 0; i < 300; i++) acc = b.Mul(acc, x);
        b.PublicOutput(acc);
        var circuit = b.Build();
        string zkey = Path.Combine(_dir, "c.zkey"), wtns = Path.Combine(_dir, "w.wtns"), vk = Path.Combine(_dir, "vk.json");
        string proof = Path.Combine(_dir, "proof.json"), pub = Path.Combine(_dir, "public.json");
        Zkey.Write(Groth16Setup.Development(circuit.System), zkey);
        CircomWitness.WriteFile(circuit.Witness, wtns);

        var (code, output, error) = RunWith(avx512, "groth16", "prove", zkey, wtns, proof, pub);
        Assert.True(code == 0, output + error);
        (code, output, error) = Run("zkey", "export", "verificationkey", zkey, vk);
        Assert.True(code == 0, output + error);
        Assert.True(Groth16Verifier.Verify(SnarkjsJson.ReadVerifyingKey(vk), SnarkjsJson.ReadPublicSignals(pub), SnarkjsJson.ReadProof(proof)));
        (code, output, error) = Run("groth16", "verify", vk, pub, proof);
        Assert.True(code == 0, output + error);
    }

    [NativeFact]
    public void VerifiesATrainingRunAndItsModel()
    {
        using var run = new VerifyRunFixture();
        var (code, output, error) = Run("verify-run", run.ContractPath, run.TranscriptPath, "--onnx", run.OnnxPath);
        Assert.True(code == 0, output + error);
        Assert.Contains("verdict: ACCEPTED", output);
        Assert.Contains("onnx: MATCHES", output);
    }
}
