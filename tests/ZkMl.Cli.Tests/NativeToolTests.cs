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

    private static (int Code, string Output, string Error) Run(params string[] args) => RunWith(null, [], args);

    // avx512: the ZKML_AVX512 variable (0 runs the portable build); null: unset. environment: more NAME=VALUE pairs.
    private static (int Code, string Output, string Error) RunWith(string? avx512, string[] environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable(Variable)!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment.Remove("ZKML_AVX512");
        start.Environment.Remove("ZKML_TIMINGS");
        if (avx512 != null) start.Environment["ZKML_AVX512"] = avx512;
        foreach (var pair in environment) start.Environment[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
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
        // The linux-x64 publish is the AVX-512 build with the portable one beside it; ZKML_AVX512=0 runs the portable one,
        // and so does a CPU without AVX-512 (the choice is made before the runtime starts: Native/cpu_dispatch.c).
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(Environment.GetEnvironmentVariable(Variable))!, "zkml-avx2")));
        Assert.Contains("(no AVX-512)", ProveAndVerify("0"));
        Assert.Contains(System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "(AVX-512)" : "(no AVX-512)", ProveAndVerify("1"));
    }

    [NativeFact]
    public void TimingsListThePhases()
    {
        // ZKML_TIMINGS=1: a timeline of the prover's phases on standard error, offsets from Main's entry.
        string timeline = ProveAndVerify(null);
        foreach (var phase in new[] { "wtns.read", "zkey.read", "zkey.points", "quotient", "msm.a", "msm.b2", "msm.h", "blinding", "write" })
            Assert.Contains(phase, timeline);
        Assert.Contains("main entered at unix", timeline);
        Assert.Contains("minor page faults", timeline);
    }

    // Proves with the tool (ZKML_TIMINGS=1), checks the proof by the library and by the tool; returns the timeline.
    private string ProveAndVerify(string? avx512)
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

        var (code, output, error) = RunWith(avx512, ["ZKML_TIMINGS=1"], "groth16", "prove", zkey, wtns, proof, pub);
        Assert.True(code == 0, output + error);
        string timeline = error;
        (code, output, error) = Run("zkey", "export", "verificationkey", zkey, vk);
        Assert.True(code == 0, output + error);
        Assert.True(Groth16Verifier.Verify(SnarkjsJson.ReadVerifyingKey(vk), SnarkjsJson.ReadPublicSignals(pub), SnarkjsJson.ReadProof(proof)));
        (code, output, error) = Run("groth16", "verify", vk, pub, proof);
        Assert.True(code == 0, output + error);
        return timeline;
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
