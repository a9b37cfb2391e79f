using ZkMl.Circuits.Quantized;

namespace ZkMl.Training.Tests;

/// <summary>One tiny network and data set, trained and proven with the STARK backend once for all tests.</summary>
public sealed class StarkFixture
{
    public static readonly QuantizedMlpConfig Tiny = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };

    public StarkFixture()
    {
        Data = TestData.Synthetic(Tiny, rows: 6, seed: 1);
        Other = TestData.Synthetic(Tiny, rows: 6, seed: 2);
        Dataset = DatasetCommitment.Create(Data, Tiny, Backend.Stark);
        OtherDataset = DatasetCommitment.Create(Other, Tiny, Backend.Stark);
        Keys = TrainingSetup.Create(Backend.Stark, Tiny, Data.Count);
        Initial = QuantizedMlp.CreateInitial(Tiny, 5);
        Batches = BatchSchedule.Create(Data.Count, Tiny.BatchSize, 1, 7).Take(3).ToList();
        Honest = TrainingProvers.Create(Keys, Dataset).Train(Initial, Batches, ProofPlan.Parse("first:2"));
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

public class StarkTests(StarkFixture fx) : IClassFixture<StarkFixture>
{
    private static TrainingVerifier Verifier(TrainingTranscript t) => TrainingVerifier.ForTranscript(t);

    [Fact]
    public void HonestStepsProveAndVerifyThroughTheTranscriptFile()
    {
        Assert.Equal(2, fx.Honest.Proofs.Count);
        Assert.Null(fx.Honest.VerifyingKey);
        Assert.Equal(32, fx.Honest.DatasetRoot.Length);
        string path = Path.Combine(Path.GetTempPath(), $"zkml-stark-{Guid.NewGuid():N}.json");
        try
        {
            fx.Honest.Save(path);
            var loaded = TrainingTranscript.Load(path);
            var result = Verifier(loaded).VerifyChain(loaded, fx.Dataset.Root.Span);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(2, result.ProofsVerified);
            Assert.Equal(3, result.StepCount);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FinalWeightsMatchTheReferenceTrainer()
    {
        var model = fx.Initial.Clone();
        model.Train(fx.Data, fx.Batches);
        Assert.True(model.WeightsEqual(fx.Honest.FinalWeights.ToModel(StarkFixture.Tiny)));
    }

    [Fact]
    public void TamperedWeightInTranscriptFails()
    {
        var t = TestData.Clone(fx.Honest);
        t.InitialWeights.W2[1] += 1;
        var result = Verifier(t).VerifyChain(t);
        Assert.False(result.IsValid);
        Assert.Contains("Initial weights", result.Message);
    }

    [Fact]
    public void SwappedCommitmentInTheChainFailsNamingTheStep()
    {
        var commitments = fx.Honest.Commitments.ToList();
        commitments[1] = commitments[2];
        var broken = TestData.With(fx.Honest, commitments: commitments);
        var result = Verifier(broken).VerifyChain(broken);
        Assert.False(result.IsValid);
        Assert.Equal(0, result.FailedStep);
    }

    [Fact]
    public void SkippedUpdateIsRejectedNamingTheStep()
    {
        var t = TrainingProvers.Create(fx.Keys, fx.Dataset).Train(fx.Initial, fx.Batches.Take(1).ToList(), ProofPlan.All, tamper: new StepTamper(0, TamperMode.Skip));
        var result = Verifier(t).VerifyChain(t);
        Assert.False(result.IsValid);
        Assert.Equal(0, result.FailedStep);
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
    public void CorruptOrForeignProofBytesAreRejectedNotThrown()
    {
        var verifier = Verifier(fx.Honest);
        var proof = fx.Honest.Proofs[0].Proof;
        var c = fx.Honest.Commitments;
        bool Check(byte[] bytes) => verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot, fx.Honest.DatasetRows, new StepProof(0, Backend.Stark, c[0], c[1], bytes));
        Assert.True(Check(proof));
        for (int i = 0; i < proof.Length; i += proof.Length / 50)
        {
            var bad = (byte[])proof.Clone();
            bad[i] ^= 0x5A;
            Assert.False(Check(bad));
        }
        Assert.False(Check(proof[..^1]));
        Assert.False(Check([]));
        Assert.False(Check(fx.Honest.Proofs[1].Proof));
        Assert.False(verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot, fx.Honest.DatasetRows + 1, new StepProof(0, Backend.Stark, c[0], c[1], proof)));
        Assert.False(verifier.VerifyStep(c[0], c[1], fx.Honest.DatasetRoot[..31], fx.Honest.DatasetRows, new StepProof(0, Backend.Stark, c[0], c[1], proof)));
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
        Assert.False(verifier.VerifyStep(s0.Commitment.Span, s1.Commitment.Span, fx.OtherDataset.Root.Span, fx.Dataset.RowCount, proof));
    }

    [Fact]
    public void ShapesTheAirCannotProveAreRefusedAtSetup()
    {
        Assert.Throws<NotSupportedException>(() => TrainingSetup.Create(Backend.Stark, Groth16Fixture.Tiny, 8));
        var withKey = TestData.With(fx.Honest);
        var json = System.Text.Encoding.UTF8.GetString(withKey.ToJsonBytes()).Replace("\"verifyingKey\": null", "\"verifyingKey\": \"AAEC\"");
        var parsed = TrainingTranscript.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Throws<TranscriptFormatException>(() => TrainingVerifier.ForTranscript(parsed));
    }
}
