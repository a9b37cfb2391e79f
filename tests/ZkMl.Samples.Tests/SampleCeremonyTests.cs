using System.Reflection;
using System.Text;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Samples.Tests;

/// <summary>The sample's --ceremony 3 end to end on a tiny network: phase 1 and phase 2 with three parties, then a proven run.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SampleCeremonyTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zkml-sample-ceremony-" + Guid.NewGuid().ToString("N"));

    public SampleCeremonyTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string P(string name) => Path.Combine(_folder, name);

    // The prepared powers of tau (2^12, snarkjs, two contributions and a beacon) the Training tests' ceremony starts from.
    private static string PublishedPtau => Path.Combine(RepoPaths.Root(), "tests", "ZkMl.Training.Tests", "Groth16", "TestData", "pot12.ptau");

    // Phase 2 from the published ptau runs in the suite (a few minutes on two cores, most of it in zkey verify and ptau
    // verify); phase 1 too (three contributions and prepare phase 2 at 2^12) only with ZKML_SAMPLE_CEREMONY=phase1.
    [Fact]
    public void ThreePartyPhase2FromAPublishedPtauVerifiesAndProvesTheRun() => Run(PublishedPtau);

    [OptInFact("ZKML_SAMPLE_CEREMONY", "phase1")]
    public void ThreePartyPhase1AndPhase2VerifyAndProveTheRun() => Run(ptau: null);

    private void Run(string? ptau)
    {
        // 10 rows of 2 features and 2 classes: a 2-1-2 network, whose step circuit (3,356 constraints) needs 2^12.
        var csv = new StringBuilder();
        for (int r = 0; r < 10; r++) csv.AppendLine(r % 2 == 0 ? $"{r},{14 - r},0" : $"{14 - r},{r},1");
        File.WriteAllText(P("tiny.csv"), csv.ToString());

        var (stdout, stderr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        int code;
        try
        {
            string[] args = ["--data", P("tiny.csv"), "--hidden", "1", "--batch", "1", "--epochs", "1", "--audit", "sample:1", "--ceremony", "3",
                "--challenge", "fiat-shamir", "--contract", P("run.contract"), "--out", P("transcript.json"), "--quiet",
                .. ptau is null ? Array.Empty<string>() : ["--ptau", ptau]];
            code = (int)Assembly.Load("ZkMl.Samples.Training").EntryPoint!.Invoke(null, [args])!;
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        Assert.True(code == 0, o.ToString() + e);
        Assert.Contains("verified=True", o.ToString());

        // zkey verify: each key is the circuit's, from the prepared powers of tau, with the three parties' contributions.
        string ceremony = P("ceremony");
        string prepared = ptau ?? Path.Combine(ceremony, "pot_final.ptau");
        foreach (var circuit in new[] { "step", "membership" })
        {
            var r1cs = CircomR1cs.ReadFile<Bn254Fr>(Path.Combine(ceremony, circuit + ".r1cs"));
            Assert.Equal(3, ZkeyCeremony.Verify(r1cs, prepared, Path.Combine(ceremony, circuit + ".zkey")).Count);
        }
        if (ptau is null) Assert.Equal(3, PowersOfTau.Verify(prepared).Count);

        // The run's proofs verify under the ceremony's keys, which the contract pins.
        var contract = ContractFile.Read(P("run.contract"));
        var keys = TrainingSetup.FromZkeys(contract.ToQuantizedMlpConfig(), contract.DatasetRows,
            Path.Combine(ceremony, "step.zkey"), Path.Combine(ceremony, "membership.zkey"));
        var verifier = TrainingVerifier.Create(contract, new FiatShamirChallenge(contract), keys.Groth16VerifyingKeys);
        var result = verifier.VerifyRun(TrainingTranscript.Load(P("transcript.json")));
        Assert.True(result.IsValid, result.Message);
        Assert.True(result.ProofsVerified >= 1);
    }
}
