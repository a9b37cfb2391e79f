using ZkMl.Circuits.Quantized;

namespace ZkMl.Training.Tests;

/// <summary>One tiny network, data set and Groth16 setup shared by the Groth16 tests (setup is the slow part).</summary>
public sealed class Groth16Fixture
{
    public static readonly QuantizedMlpConfig Tiny = new()
    {
        InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2, FractionBits = 6, ValueBits = 16,
        LearningRateNumerator = 13, LearningRateShift = 4,
    };

    public Groth16Fixture()
    {
        Data = TestData.Synthetic(Tiny, rows: 8, seed: 1);
        Other = TestData.Synthetic(Tiny, rows: 8, seed: 2);
        Dataset = DatasetCommitment.Create(Data, Tiny, Backend.Groth16);
        OtherDataset = DatasetCommitment.Create(Other, Tiny, Backend.Groth16);
        Keys = TrainingSetup.Create(Backend.Groth16, Tiny, Data.Count);
        Initial = QuantizedMlp.CreateInitial(Tiny, 5);
        Batches = BatchSchedule.Create(Data.Count, Tiny.BatchSize, 1, 7).Take(3).ToList();
        Honest = TrainingProvers.Create(Keys, Dataset).Train(Initial, Batches, ProofPlan.All);
    }

    public QuantizedDataset Data { get; }
    public QuantizedDataset Other { get; }
    public DatasetCommitment Dataset { get; }
    public DatasetCommitment OtherDataset { get; }
    public TrainingKeys Keys { get; }
    public QuantizedMlp Initial { get; }
    public IReadOnlyList<int[]> Batches { get; }
    public TrainingTranscript Honest { get; }
}

public class Groth16Tests(Groth16Fixture fx) : IClassFixture<Groth16Fixture>
{
    private TrainingVerifier Verifier(TrainingTranscript t) => TrainingVerifier.ForTranscript(t, fx.Keys.VerifyingKeyFingerprint);

    [Fact]
    public void HonestStepsProveAndVerifyThroughTheTranscriptFile()
    {
        Assert.Equal(3, fx.Honest.Proofs.Count);
        string path = Path.Combine(Path.GetTempPath(), $"zkml-g16-{Guid.NewGuid():N}.json");
        try
        {
            fx.Honest.Save(path);
            var loaded = TrainingTranscript.Load(path);
            var result = Verifier(loaded).VerifyChain(loaded, fx.Dataset.Root.Span);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(3, result.ProofsVerified);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FinalWeightsMatchTheReferenceTrainer()
    {
        var model = fx.Initial.Clone();
        model.Train(fx.Data, fx.Batches);
        Assert.True(model.WeightsEqual(fx.Honest.FinalWeights.ToModel(Groth16Fixture.Tiny)));
    }

    [Fact]
    public void TamperedWeightInTranscriptFails()
    {
        var t = TestData.Clone(fx.Honest);
        t.FinalWeights.W1[0] += 1;
        var result = Verifier(t).VerifyChain(t);
        Assert.False(result.IsValid);
        Assert.Contains("Final weights", result.Message);
    }

    [Fact]
    public void SwappedCommitmentInTheChainFailsNamingTheStep()
    {
        var t = TestData.Clone(fx.Honest);
        var commitments = t.Commitments.ToList();
        commitments[2] = commitments[1];
        var broken = TestData.With(t, commitments: commitments);
        var result = Verifier(broken).VerifyChain(broken);
        Assert.False(result.IsValid);
        Assert.Equal(1, result.FailedStep);
    }

    [Fact]
    public void AlteredUpdateIsRejected()
    {
        var t = TrainingProvers.Create(fx.Keys, fx.Dataset).Train(fx.Initial, fx.Batches.Take(2).ToList(), ProofPlan.All, tamper: new StepTamper(1, TamperMode.Alter));
        var result = Verifier(t).VerifyChain(t);
        Assert.False(result.IsValid);
        Assert.Equal(1, result.FailedStep);
    }

    [Fact]
    public void BatchNotInTheCommittedDatasetFails()
    {
        // The worker trains on other rows (committed under another root) and claims the data owner's root.
        var t = TrainingProvers.Create(fx.Keys, fx.OtherDataset).Train(fx.Initial, fx.Batches.Take(1).ToList(), ProofPlan.All);
        Assert.True(Verifier(t).VerifyChain(t).IsValid);
        var claimed = TestData.With(t, datasetRoot: fx.Dataset.Root.ToArray());
        var result = Verifier(claimed).VerifyChain(claimed, fx.Dataset.Root.Span);
        Assert.False(result.IsValid);
        Assert.Equal(0, result.FailedStep);
    }

    [Fact]
    public void CorruptProofBytesAreRejectedNotThrown()
    {
        var verifier = Verifier(fx.Honest);
        var proof = fx.Honest.Proofs[0].Proof;
        var c = fx.Honest.Commitments;
        for (int i = 0; i < proof.Length; i += 7)
        {
            var bad = (byte[])proof.Clone();
            bad[i] ^= 0x5A;
            Assert.False(verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot, fx.Honest.DatasetRows,
                new StepProof(0, Backend.Groth16, c[0], c[1], bad)));
        }
        Assert.False(verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot, fx.Honest.DatasetRows, new StepProof(0, Backend.Groth16, c[0], c[1], proof[..^1])));
        Assert.True(verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot, fx.Honest.DatasetRows, new StepProof(0, Backend.Groth16, c[0], c[1], proof)));
    }

    [Fact]
    public void UntrustedVerifyingKeyIsRefused()
    {
        var fingerprint = (byte[])fx.Keys.VerifyingKeyFingerprint!.Clone();
        fingerprint[0] ^= 1;
        Assert.Throws<TranscriptFormatException>(() => TrainingVerifier.ForTranscript(fx.Honest, fingerprint));
    }

    [Fact]
    public void ProveStepApiMatchesTheChain()
    {
        var prover = TrainingProvers.Create(fx.Keys, fx.Dataset);
        var s0 = prover.Start(fx.Initial);
        var s1 = prover.Advance(s0, fx.Batches[0]);
        var proof = prover.ProveStep(s0, s1, fx.Batches[0]);
        var verifier = Verifier(fx.Honest);
        Assert.True(verifier.VerifyStep(s0.Commitment.Span, s1.Commitment.Span, fx.Dataset.Root.Span, fx.Dataset.RowCount, proof));
        Assert.False(verifier.VerifyStep(s1.Commitment.Span, s0.Commitment.Span, fx.Dataset.Root.Span, fx.Dataset.RowCount,
            proof with { CommitmentBefore = s1.Commitment.ToArray(), CommitmentAfter = s0.Commitment.ToArray() }));
        var s2 = prover.Advance(s1, fx.Batches[1]);
        Assert.Throws<ArgumentException>(() => prover.ProveStep(s0, s2, fx.Batches[0]));
    }
}
