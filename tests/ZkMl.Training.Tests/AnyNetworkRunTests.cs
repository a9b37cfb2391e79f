using System.Runtime.CompilerServices;
using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Training.Tests;

/// <summary>
/// Whole runs of a deep network with biases (6-5-4-3, batch 2) through the public TrainingProver and TrainingVerifier with
/// each backend, the version-3 transcript they write, a tampered bias, commit-only runs, and that the two-layer
/// transcripts (version 2) read and verify exactly as before.
/// </summary>
public class AnyNetworkRunTests
{
    private static readonly QuantizedNetworkConfig Deep = new(NetworkDescription.Create(6, [5, 4], 3, bias: true)) { BatchSize = 2 };
    private const int Rows = 6, Steps = 2;

    private static QuantizedDataset Data()
    {
        var rng = new Random(11);
        return new QuantizedDataset(6, Enumerable.Range(0, Rows * 6).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Deep.FractionBits)).ToArray(),
            Enumerable.Range(0, Rows).Select(_ => rng.Next(3)).ToArray());
    }

    private static (TrainingContract Contract, TrainingProver Prover, TrainingKeys Keys, WorkerKey Worker) Run(Backend backend, bool commitOnly = false)
    {
        var data = DatasetCommitment.Create(Data(), Deep, backend);
        var keys = commitOnly ? TrainingKeys.ForCommitmentsOnly(Deep, Rows) : TrainingSetup.Create(backend, Deep, Rows);
        var worker = WorkerKey.Create();
        var contract = TrainingContracts.Create(keys, data, new ContractTerms
        {
            StepCount = Steps, WorkerPublicKey = [.. worker.PublicKey], ChallengeSource = ChallengeSourceKind.FiatShamir,
            Audit = commitOnly ? AuditPolicy.SampleSteps : AuditPolicy.AllSteps,
        });
        return (contract, TrainingProvers.Create(keys, data, contract, worker), keys, worker);
    }

    private static TrainingVerifier Verifier(TrainingContract contract, TrainingKeys keys) =>
        TrainingVerifier.Create(contract, new FiatShamirChallenge(contract), keys.Groth16VerifyingKeys);

    [Theory]
    [InlineData(Backend.Groth16)]
    [InlineData(Backend.Stark)]
    public void ADeepNetworkWithBiasesIsProvenAndVerifiedAndATamperedBiasIsRejected(Backend backend)
    {
        var (contract, prover, keys, worker) = Run(backend);
        Assert.Equal(Deep, prover.NetworkConfig);
        Assert.Throws<NotSupportedException>(() => prover.Network);
        var transcript = TrainingTranscript.Parse(prover.Train(new FiatShamirChallenge(contract)).ToJsonBytes());
        Assert.Equal(TrainingTranscript.CurrentVersion, transcript.Version);
        Assert.Equal(3, transcript.FinalWeights.Layers!.Count);
        Assert.DoesNotContain("\"w1\"", System.Text.Encoding.UTF8.GetString(transcript.ToJsonBytes()));

        var verifier = Verifier(contract, keys);
        var result = verifier.VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal([0, 1], result.ProvenSteps);

        // The published final weights are the reference trainer's on the scheduled rows from the seeded start.
        var seed = transcript.ScheduleChallenge.Value;
        var reference = SeededInitialWeights.CreateNetwork(contract, seed);
        for (int t = 0; t < Steps; t++) reference.Train(prover.Dataset.Data, [prover.RowsOf(seed, t)]);
        Assert.True(reference.ParametersEqual(transcript.FinalWeights.ToNetwork(Deep)));

        // One bias of the published final weights changed, the transcript re-signed: the weights no longer open the final commitment.
        var tampered = TestData.Clone(transcript);
        tampered.FinalWeights.Layers![1].Biases![0] += 1;
        Assert.Contains("not signed", verifier.VerifyRun(tampered).Message);
        var rejected = verifier.VerifyRun(TestData.Sign(tampered, worker, contract));
        Assert.False(rejected.IsValid);
        Assert.Contains("Final weights do not open", rejected.Message);
    }

    [Fact]
    public void ATamperedBiasInTheInitialWeightsOrADroppedBiasIsRejected()
    {
        var (contract, prover, keys, worker) = Run(Backend.Stark, commitOnly: true);
        var honest = prover.Train(new FiatShamirChallenge(contract));
        var verifier = Verifier(contract, keys);
        Assert.True(verifier.VerifyRun(honest).IsValid);

        var initial = TestData.Clone(honest);
        initial.InitialWeights.Layers![0].Biases![2] -= 1;
        Assert.Contains("Initial weights do not open", verifier.VerifyRun(TestData.Sign(initial, worker, contract)).Message);

        // A layer without its biases is not the contract's network (caught by its size, before any commitment is computed).
        var layers = honest.FinalWeights.Layers!.ToArray();
        layers[2] = new TranscriptLayer { Weights = layers[2].Weights };
        var dropped = TestData.With(honest, final: new TranscriptWeights { Layers = layers, Salt = honest.FinalWeights.Salt });
        Assert.Contains("Final weights do not open", verifier.VerifyRun(TestData.Sign(dropped, worker, contract)).Message);
    }

    [Fact]
    public void ACommitOnlyRunPublishesTheChainAndProvesNothing()
    {
        var (contract, prover, keys, _) = Run(Backend.Stark, commitOnly: true);
        Assert.True(TrainingContracts.ProvesNoStep(contract));
        var transcript = prover.Train(new FiatShamirChallenge(contract));
        Assert.Empty(transcript.Proofs);
        Assert.Equal(Steps + 1, transcript.Commitments.Count);
        var result = Verifier(contract, keys).VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal(0, result.ProofsVerified);
        Assert.Contains("No step is proven", result.Coverage);

        // Commit-only keys never serve a contract that asks for proofs.
        var (proving, _, _, _) = Run(Backend.Stark);
        var data = DatasetCommitment.Create(Data(), Deep, Backend.Stark);
        var worker = WorkerKey.Create();
        var asking = TrainingContracts.Create(keys, data, new ContractTerms { StepCount = Steps, WorkerPublicKey = [.. worker.PublicKey], ChallengeSource = ChallengeSourceKind.FiatShamir });
        Assert.Throws<ArgumentException>(() => TrainingProvers.Create(keys, data, asking, worker));
        Assert.False(TrainingContracts.ProvesNoStep(proving));
    }

    [Fact]
    public void TheBackendsSayWhetherTheyFitAShape()
    {
        Assert.Null(BackendLimits.Refusal(Backend.Stark, Deep, Rows));
        Assert.Null(BackendLimits.Refusal(Backend.Groth16, Deep, Rows));
        var mnist = new QuantizedNetworkConfig(NetworkDescription.Create(784, [128], 10, bias: false)) { BatchSize = 64 };
        Assert.Contains("Poseidon inputs", BackendLimits.Refusal(Backend.Groth16, mnist, 8000));
    }

    [Fact]
    public void AStoredTwoLayerTranscriptReadsAsVersionTwoWithItsSignatureAndBytesUnchanged()
    {
        string path = Path.Combine(SourceDirectory(), "..", "ZkMl.Fuzz", "corpus", "transcript", "ours-run.json");
        byte[] stored = File.ReadAllBytes(path);
        var transcript = TrainingTranscript.Parse(stored);
        Assert.Equal(TrainingTranscript.TwoLayerVersion, transcript.Version);
        Assert.True(transcript.FinalWeights.Layers is null);
        var contract = TrainingContract.Decode(transcript.Contract);
        Assert.True(WorkerKey.VerifyTranscript(contract, transcript.Digest(), transcript.Signature));
        Assert.Equal(stored, transcript.ToJsonBytes());

        // Its weights read into the general form as the same two-layer network.
        var config = contract.ToQuantizedNetworkConfig();
        var general = transcript.FinalWeights.ToNetwork(config);
        Assert.Equal(transcript.FinalWeights.W1, general.Weights(0).ToArray());
        Assert.True(TranscriptWeights.From(general, transcript.FinalWeights.Salt).W2.SequenceEqual(transcript.FinalWeights.W2));

        // The same file relabelled version 3 is refused: the weights' form must match the version.
        var relabelled = System.Text.Encoding.UTF8.GetString(stored).Replace("\"version\": 2", "\"version\": 3");
        Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(relabelled)));
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
