using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>Keeps README.md's "Proving training" snippet identical to <see cref="ReadmeTrainingSnippet"/> and runs it.</summary>
public class ReadmeSnippetTests
{
    // README.md shows this body with the literal path "training-transcript.json" (and without the return).
    internal static ChainVerificationResult ReadmeTrainingSnippet(string transcriptPath)
    {
        // SNIPPET START
        var (trainSet, _) = DigitsDataset.LoadBuiltIn().Split(1400, seed: 42);       // UCI digits, built into ZkMl.Models
        var network = new QuantizedMlpConfig { HiddenSize = 8 };                     // 64-8-10, batch 16, f = 10, lr = 13/2^11
        var train = trainSet.Quantize(network.FractionBits);
        var dataset = DatasetCommitment.Create(train, network, Backend.Groth16);     // the data owner's salted Poseidon Merkle root
        var keys = TrainingSetup.Create(Backend.Groth16, network, dataset.RowCount); // single-party setup: tests and local use only
        using var worker = WorkerKey.Create();
        using var auditorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var contract = TrainingContracts.Create(keys, dataset, new ContractTerms     // agreed before training; the auditor keeps it
        {
            StepCount = SeededBatchSchedule.StepsPerEpoch(dataset.RowCount, network.BatchSize), // one epoch
            WorkerPublicKey = [.. worker.PublicKey],
            Audit = AuditPolicy.SampleSteps, AuditSampleCount = 1,
            ChallengeSource = ChallengeSourceKind.Interactive,
            AuditorPublicKey = [.. auditorKey.ExportSubjectPublicKeyInfo()], AnswerWindowSeconds = 3600,
        });
        var auditor = InteractiveChallenge.ForAuditor(contract, auditorKey);        // draws the schedule seed, then the audit
        var transcript = TrainingProvers.Create(keys, dataset, contract, worker)
            .Train(auditor, progress: new Progress<TrainingProgress>(p => Console.Write($"\r{p.Phase} {p.Done}/{p.Total}  ")));
        transcript.Save(transcriptPath); // signed by the worker; atomic write
        var verifier = TrainingVerifier.Create(contract, InteractiveChallenge.ForVerifier(contract, DateTimeOffset.UtcNow), keys.Groth16VerifyingKeys);
        var result = verifier.VerifyRun(TrainingTranscript.Load(transcriptPath));
        Console.WriteLine($"{result.IsValid}: {result.Message} {result.Coverage}");
        // SNIPPET END
        return result;
    }

    [Fact]
    public void ReadmeShowsTheSnippet()
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(TestData.DigitsPath))))!;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string source = File.ReadAllText(Path.Combine(root, "tests", "ZkMl.Training.Tests", "ReadmeSnippetTests.cs"));
        string section = readme[readme.IndexOf("## Proving training", StringComparison.Ordinal)..];
        int start = section.IndexOf("```csharp", StringComparison.Ordinal) + "```csharp".Length;
        var shown = Lines(section[start..section.IndexOf("```", start, StringComparison.Ordinal)]).Where(l => !l.StartsWith("using ", StringComparison.Ordinal) || l.StartsWith("using var ", StringComparison.Ordinal));
        int from = source.IndexOf("// SNIPPET START", StringComparison.Ordinal) + "// SNIPPET START".Length;
        var body = Lines(source[from..source.IndexOf("// SNIPPET END", StringComparison.Ordinal)]
            .Replace("transcriptPath", "\"training-transcript.json\""));
        Assert.Equal(body, shown);
    }

    [Fact]
    public void SnippetRunsAndTheRunVerifies()
    {
        string transcript = Path.Combine(Path.GetTempPath(), $"zkml-readme-{Guid.NewGuid():N}.json");
        try
        {
            var result = ReadmeTrainingSnippet(transcript);
            Assert.True(result.IsValid, result.Message);
            Assert.Single(result.ProvenSteps);
        }
        finally { File.Delete(transcript); }
    }

    private static List<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
