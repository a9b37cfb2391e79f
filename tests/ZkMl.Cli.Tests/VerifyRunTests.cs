using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Onnx;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Cli.Tests;

/// <summary>A tiny STARK run, verified by `zkml verify-run` from its contract file, then with its transcript tampered.</summary>
public sealed class VerifyRunFixture : IDisposable
{
    public VerifyRunFixture()
    {
        var network = new QuantizedMlpConfig { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
        var rng = new Random(1);
        var data = new QuantizedDataset(network.InputSize,
            Enumerable.Range(0, 8 * network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), network.FractionBits)).ToArray(),
            Enumerable.Range(0, 8).Select(_ => rng.Next(network.OutputSize)).ToArray());
        var dataset = DatasetCommitment.Create(data, network, Backend.Stark);
        var keys = TrainingSetup.Create(Backend.Stark, network, data.Count);
        using var worker = WorkerKey.Create();
        using var auditor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var contract = TrainingContracts.Create(keys, dataset, new ContractTerms
        {
            StepCount = 2, WorkerPublicKey = [.. worker.PublicKey],
            ChallengeSource = ChallengeSourceKind.Interactive, AuditorPublicKey = [.. auditor.ExportSubjectPublicKeyInfo()], AnswerWindowSeconds = 3600,
        });
        var transcript = TrainingProvers.Create(keys, dataset, contract, worker).Train(InteractiveChallenge.ForAuditor(contract, auditor));
        Directory.CreateDirectory(Folder);
        ContractFile.Write(ContractPath, contract);
        transcript.Save(TranscriptPath);
        var w1 = transcript.FinalWeights.W1.ToArray();
        w1[0]++;
        var tampered = new TrainingTranscript
        {
            Contract = transcript.Contract, ScheduleChallenge = transcript.ScheduleChallenge, AuditChallenge = transcript.AuditChallenge,
            InitialWeights = transcript.InitialWeights, FinalWeights = new TranscriptWeights { W1 = w1, W2 = transcript.FinalWeights.W2, Salt = transcript.FinalWeights.Salt },
            Commitments = transcript.Commitments, Proofs = transcript.Proofs, Signature = transcript.Signature,
        };
        tampered.Save(TamperedPath);

        // The final model as the sample exports it, one with a weight changed (metadata kept), one naming another contract.
        var final = QuantizedNetwork.FromMlp(transcript.FinalWeights.ToModel(network));
        var metadata = new OnnxRunMetadata(transcript.Commitments[^1], contract.Digest());
        File.WriteAllBytes(OnnxPath, OnnxModel.Export(final, Models.InputQuantization.Pixel16, metadata));
        var changed = final.Parameters.ToArray();
        changed[5] += 1;
        File.WriteAllBytes(TamperedOnnxPath, OnnxModel.Export(new QuantizedNetwork(final.Config, changed), Models.InputQuantization.Pixel16, metadata));
        var otherDigest = contract.Digest();
        otherDigest[0] ^= 1;
        File.WriteAllBytes(OtherContractOnnxPath, OnnxModel.Export(final, Models.InputQuantization.Pixel16, metadata with { ContractDigest = otherDigest }));
        File.WriteAllBytes(NoMetadataOnnxPath, OnnxModel.Export(final, Models.InputQuantization.Pixel16));
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"zkml-verify-run-{Guid.NewGuid():N}");
    public string ContractPath => Path.Combine(Folder, "run.contract");
    public string TranscriptPath => Path.Combine(Folder, "transcript.json");
    public string TamperedPath => Path.Combine(Folder, "tampered.json");
    public string OnnxPath => Path.Combine(Folder, "model.onnx");
    public string TamperedOnnxPath => Path.Combine(Folder, "tampered.onnx");
    public string OtherContractOnnxPath => Path.Combine(Folder, "other-contract.onnx");
    public string NoMetadataOnnxPath => Path.Combine(Folder, "no-metadata.onnx");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public class VerifyRunTests(VerifyRunFixture fx) : IClassFixture<VerifyRunFixture>
{
    private static (int Code, string Out, string Err) Zkml(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ZkmlCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void HonestRunIsAcceptedWithWhatWasProven()
    {
        var (code, output, err) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath);
        Assert.True(code == 0, output + err);
        Assert.Contains("verdict: ACCEPTED", output);
        Assert.Contains("Every one of the 2 steps is proven", output);
    }

    [Fact]
    public void ExportedModelOfTheRunMatches()
    {
        var (code, output, err) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--onnx", fx.OnnxPath);
        Assert.True(code == 0, output + err);
        Assert.Contains("verdict: ACCEPTED", output);
        Assert.Contains("onnx: MATCHES", output);
    }

    [Fact]
    public void OnnxWithATamperedWeightIsRejected()
    {
        var (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--onnx", fx.TamperedOnnxPath);
        Assert.Equal(1, code);
        Assert.Contains("onnx: REJECTED", output);
        Assert.Contains("its weights are not the run's final committed weights", output);
    }

    [Fact]
    public void OnnxNamingAnotherContractOrNoneIsRejected()
    {
        var (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--onnx", fx.OtherContractOnnxPath);
        Assert.Equal(1, code);
        Assert.Contains("its metadata names contract", output);
        (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--onnx", fx.NoMetadataOnnxPath);
        Assert.Equal(1, code);
        Assert.Contains("names no contract digest", output);
    }

    [Fact]
    public void OnnxIsNotCheckedAgainstARejectedRunAndGarbageIsRejected()
    {
        var (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TamperedPath, "--onnx", fx.OnnxPath);
        Assert.Equal(1, code);
        Assert.Contains("onnx: not checked", output);
        string garbage = Path.Combine(fx.Folder, "garbage.onnx");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5]);
        (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--onnx", garbage);
        Assert.Equal(1, code);
        Assert.Contains("onnx: REJECTED", output);
    }

    [Fact]
    public void TamperedTranscriptIsRejectedWithTheReason()
    {
        var (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TamperedPath);
        Assert.Equal(1, code);
        Assert.Contains("verdict: REJECTED", output);
        Assert.Contains("not signed by the contract's worker key", output);
    }

    [Fact]
    public void AnswerAfterTheDeadlineIsRejected()
    {
        var (code, output, _) = Zkml("verify-run", fx.ContractPath, fx.TranscriptPath, "--answered-at", DateTimeOffset.UtcNow.AddDays(2).ToString("O"));
        Assert.Equal(1, code);
        Assert.Contains("Schedule-seed challenge rejected", output);
    }

    [Fact]
    public void MissingAndMalformedFilesAreNamed()
    {
        var (code, _, err) = Zkml("verify-run", Path.Combine(fx.Folder, "absent.contract"), fx.TranscriptPath);
        Assert.Equal(1, code);
        Assert.Contains("absent.contract", err);
        (code, _, err) = Zkml("verify-run", fx.TranscriptPath, fx.TranscriptPath);
        Assert.Equal(1, code);
        Assert.Contains("transcript.json", err);
        Assert.Contains("MaxEncodedBytes", err); // refused by size before it is read
        string junk = Path.Combine(fx.Folder, "junk.contract");
        File.WriteAllText(junk, "hello, world");
        (code, _, err) = Zkml("verify-run", junk, fx.TranscriptPath);
        Assert.Equal(1, code);
        Assert.Contains("junk.contract", err);
        Assert.Contains("Magic", err);
    }
}
