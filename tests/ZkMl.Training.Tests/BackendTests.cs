using ZkMl.Models;

namespace ZkMl.Training.Tests;

/// <summary>A tiny network and data set trained and proven once with one backend, shared by that backend's tests.</summary>
public abstract class BackendFixture
{
    protected BackendFixture(Backend backend, QuantizedMlpConfig network, ProofPlan plan)
    {
        Backend = backend;
        Network = network;
        Data = TestData.Synthetic(network, rows: 8, seed: 1);
        Other = TestData.Synthetic(network, rows: 8, seed: 2);
        Dataset = DatasetCommitment.Create(Data, network, backend);
        OtherDataset = DatasetCommitment.Create(Other, network, backend);
        Keys = TrainingSetup.Create(backend, network, Data.Count);
        Initial = QuantizedMlp.CreateInitial(network, 5);
        Batches = BatchSchedule.Create(Data.Count, network.BatchSize, 1, 7).Take(3).ToList();
        Honest = TrainingProvers.Create(Keys, Dataset).Train(Initial, Batches, plan);
    }

    public Backend Backend { get; }
    public QuantizedMlpConfig Network { get; }
    public QuantizedDataset Data { get; }
    public QuantizedDataset Other { get; }
    public DatasetCommitment Dataset { get; }
    public DatasetCommitment OtherDataset { get; }
    public TrainingKeys Keys { get; }
    public QuantizedMlp Initial { get; }
    public IReadOnlyList<int[]> Batches { get; }
    public TrainingTranscript Honest { get; }
}

/// <summary>End-to-end checks every backend must pass: honest chains verify; tampering, foreign data and corrupt bytes are rejected.</summary>
public abstract class BackendTests<TFixture>(TFixture fx) where TFixture : BackendFixture
{
    protected TFixture Fx => fx;

    protected TrainingVerifier Verifier(TrainingTranscript t) => TrainingVerifier.ForTranscript(t, fx.Keys.VerifyingKeyFingerprint);

    [Fact]
    public void HonestStepsProveAndVerifyThroughTheTranscriptFile()
    {
        Assert.NotEmpty(fx.Honest.Proofs);
        string path = Path.Combine(Path.GetTempPath(), $"zkml-{fx.Backend}-{Guid.NewGuid():N}.json");
        try
        {
            fx.Honest.Save(path);
            var loaded = TrainingTranscript.Load(path);
            var result = Verifier(loaded).VerifyChain(loaded, fx.Dataset.Root.Span);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(fx.Honest.Proofs.Count, result.ProofsVerified);
            Assert.Equal(fx.Batches.Count, result.StepCount);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FinalWeightsMatchTheReferenceTrainer()
    {
        var model = fx.Initial.Clone();
        model.Train(fx.Data, fx.Batches);
        Assert.True(model.WeightsEqual(fx.Honest.FinalWeights.ToModel(fx.Network)));
    }

    [Fact]
    public void TamperedWeightInTranscriptFails()
    {
        var t = TestData.Clone(fx.Honest);
        t.FinalWeights.W1[0] += 1;
        var result = Verifier(t).VerifyChain(t);
        Assert.False(result.IsValid);
        Assert.Contains("Final weights", result.Message);
        var u = TestData.Clone(fx.Honest);
        u.InitialWeights.W2[1] += 1;
        Assert.Contains("Initial weights", Verifier(u).VerifyChain(u).Message);
    }

    [Fact]
    public void SwappedCommitmentInTheChainFailsNamingTheStep()
    {
        var commitments = fx.Honest.Commitments.ToList();
        commitments[1] = commitments[0];
        var broken = TestData.With(fx.Honest, commitments: commitments);
        var result = Verifier(broken).VerifyChain(broken);
        Assert.False(result.IsValid);
        Assert.Equal(0, result.FailedStep);
    }

    [Theory]
    [InlineData(TamperMode.Alter)]
    [InlineData(TamperMode.Skip)]
    public void DishonestUpdateIsRejectedNamingTheStep(TamperMode mode)
    {
        var t = DishonestWorker.Train(TrainingProvers.Create(fx.Keys, fx.Dataset), fx.Keys.VerifyingKey, fx.Initial, fx.Batches.Take(2).ToList(), ProofPlan.All, 1, mode);
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
    public void CorruptOrForeignProofBytesAreRejectedNotThrown()
    {
        var verifier = Verifier(fx.Honest);
        var proof = fx.Honest.Proofs[0].Proof;
        var c = fx.Honest.Commitments;
        bool Check(byte[] bytes, int rows = -1, byte[]? root = null) => verifier.VerifyStep(c[0], c[1], root ?? fx.Honest.DatasetRoot,
            rows < 0 ? fx.Honest.DatasetRows : rows, new StepProof(0, fx.Backend, c[0], c[1], bytes));
        Assert.True(Check(proof));
        for (int i = 0; i < proof.Length; i += Math.Max(1, proof.Length / 60))
        {
            var bad = (byte[])proof.Clone();
            bad[i] ^= 0x5A;
            Assert.False(Check(bad));
        }
        Assert.False(Check(proof[..^1]));
        Assert.False(Check([]));
        Assert.False(Check(fx.Honest.Proofs[1].Proof));
        Assert.False(Check(proof, root: fx.Honest.DatasetRoot[..^1]));
        Assert.False(Check(proof, root: fx.OtherDataset.Root.ToArray()));
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
