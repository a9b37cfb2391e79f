using ZkMl.Models;
using ZkMl.Training.Contract;
using ZkMl.Training.Tests.Contract;

namespace ZkMl.Training.Tests;

/// <summary>
/// A tiny network and data set trained and proven once with one backend under a contract (3 steps, a test worker key, an
/// interactive test auditor), shared by that backend's tests.
/// </summary>
public abstract class BackendFixture
{
    public const int Steps = 3;

    protected BackendFixture(Backend backend, QuantizedMlpConfig network, AuditPolicy audit, int auditSampleCount = 0)
    {
        Backend = backend;
        Network = network;
        Data = TestData.Synthetic(network, rows: 8, seed: 1);
        Other = TestData.Synthetic(network, rows: 8, seed: 2);
        Dataset = DatasetCommitment.Create(Data, network, backend);
        OtherDataset = DatasetCommitment.Create(Other, network, backend);
        Keys = TrainingSetup.Create(backend, network, Data.Count);
        Worker = WorkerKey.Create();
        Auditor = ContractSamples.Auditor();
        Terms = new ContractTerms
        {
            StepCount = Steps, WorkerPublicKey = [.. Worker.PublicKey], Audit = audit, AuditSampleCount = auditSampleCount,
            ChallengeSource = ChallengeSourceKind.Interactive, AuditorPublicKey = ContractSamples.Hex(ContractSamples.AuditorSpki), AnswerWindowSeconds = 3600,
        };
        Contract = TrainingContracts.Create(Keys, Dataset, Terms);
        Honest = Prover().Train(Challenges());
        Seed = Honest.ScheduleChallenge.Value;
        Initial = SeededInitialWeights.Create(Contract, Seed);
        Batches = Enumerable.Range(0, Steps).Select(t => SeededBatchSchedule.Rows(Seed, Data.Count, network.BatchSize, t)).ToList();
    }

    public Backend Backend { get; }
    public QuantizedMlpConfig Network { get; }
    public QuantizedDataset Data { get; }
    public QuantizedDataset Other { get; }
    public DatasetCommitment Dataset { get; }
    public DatasetCommitment OtherDataset { get; }
    public TrainingKeys Keys { get; }
    public WorkerKey Worker { get; }
    public System.Security.Cryptography.ECDsa Auditor { get; }
    public ContractTerms Terms { get; }
    public TrainingContract Contract { get; }
    public TrainingTranscript Honest { get; }
    /// <summary>The honest run's schedule seed.</summary>
    public byte[] Seed { get; }
    /// <summary>The initial weights the contract derives from <see cref="Seed"/>.</summary>
    public QuantizedMlp Initial { get; }
    /// <summary>The scheduled rows of each step of the honest run.</summary>
    public IReadOnlyList<int[]> Batches { get; }

    public TrainingProver Prover(ProvingEngines? engines = null) => TrainingProvers.Create(Keys, Dataset, Contract, Worker, engines);
    /// <summary>
    /// The test auditor's signed draws, except that each contract's schedule seed is drawn once (redrawn until every step of
    /// the reference run changes the weights) and then reused by every run of the suite. A random seed gives a step with a
    /// zero update now and then (about 7% of seeds for 4-3-3 at step 0), and on such a step "skip the update" is honest and
    /// the before and after commitments of an unsalted backend are equal, so the tamper tests would not tamper.
    /// </summary>
    public IChallengeSource Challenges(TrainingContract? contract = null) =>
        new NonZeroUpdateChallenges(this, contract ?? Contract, InteractiveChallenge.ForAuditor(contract ?? Contract, Auditor));

    private readonly Dictionary<string, ChallengeRecord> _schedules = [];

    private bool EveryStepUpdates(TrainingContract contract, ReadOnlySpan<byte> seed)
    {
        var model = SeededInitialWeights.Create(contract, seed);
        for (int t = 0; t < Steps; t++)
        {
            var before = model.Clone();
            try { model.Train(Data, [SeededBatchSchedule.Rows(seed, Data.Count, Network.BatchSize, t)]); }
            catch (FixedPointOverflowException) { return false; }
            if (model.WeightsEqual(before)) return false;
        }
        return true;
    }

    private sealed class NonZeroUpdateChallenges(BackendFixture fx, TrainingContract contract, InteractiveChallenge auditor) : IChallengeSource
    {
        private const int MaxDraws = 64;

        public ChallengeSourceKind Kind => auditor.Kind;

        public ChallengeRecord Draw(ChallengePurpose purpose, ReadOnlySpan<byte> commitment)
        {
            if (purpose != ChallengePurpose.ScheduleSeed || !commitment.SequenceEqual(contract.Digest())) return auditor.Draw(purpose, commitment);
            string key = Convert.ToHexString(commitment);
            lock (fx._schedules)
            {
                if (fx._schedules.TryGetValue(key, out var known)) return known;
                for (int i = 0; i < MaxDraws; i++)
                {
                    var record = auditor.Draw(purpose, commitment);
                    if (fx.EveryStepUpdates(contract, record.Value.AsSpan()))
                        return fx._schedules[key] = record;
                }
                throw new InvalidOperationException($"No schedule seed in {MaxDraws} draws updates the weights at every step.");
            }
        }

        public bool Verify(ChallengeRecord record, out string reason) => auditor.Verify(record, out reason);
    }
    public TrainingVerifier Verifier(TrainingContract? contract = null) => TrainingVerifier.Create(contract ?? Contract,
        InteractiveChallenge.ForVerifier(contract ?? Contract, DateTimeOffset.UtcNow), Keys.Groth16VerifyingKeys);
    public TrainingTranscript Sign(TrainingTranscript t) => TestData.Sign(t, Worker, Contract);
}

/// <summary>End-to-end checks every backend must pass: honest runs verify; tampering, foreign data and corrupt bytes are rejected.</summary>
public abstract class BackendTests<TFixture>(TFixture fx) where TFixture : BackendFixture
{
    protected TFixture Fx => fx;

    [Fact]
    public void HonestRunProvesAndVerifiesThroughTheTranscriptFile()
    {
        Assert.NotEmpty(fx.Honest.Proofs);
        string path = Path.Combine(Path.GetTempPath(), $"zkml-{fx.Backend}-{Guid.NewGuid():N}.json");
        try
        {
            fx.Honest.Save(path);
            var loaded = TrainingTranscript.Load(path);
            var result = fx.Verifier().VerifyRun(loaded);
            Assert.True(result.IsValid, result.Message);
            Assert.Equal(fx.Honest.Proofs.Count, result.ProofsVerified);
            Assert.Equal(BackendFixture.Steps, result.StepCount);
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
        var result = fx.Verifier().VerifyRun(fx.Sign(t));
        Assert.False(result.IsValid);
        Assert.Contains("Final weights", result.Message);
        var u = TestData.Clone(fx.Honest);
        u.InitialWeights.W2[1] += 1;
        Assert.Contains("Initial weights", fx.Verifier().VerifyRun(fx.Sign(u)).Message);
    }

    [Theory]
    [InlineData(TamperMode.Alter)]
    [InlineData(TamperMode.Skip)]
    public void DishonestUpdatesAreRejectedNamingTheFirstAuditedStep(TamperMode mode)
    {
        var t = DishonestWorker.Train(fx.Prover(), fx.Challenges(), _ => true, mode);
        var result = fx.Verifier().VerifyRun(t);
        Assert.False(result.IsValid);
        Assert.Equal(t.Proofs[0].Step, result.FailedStep);
    }

    [Fact]
    public void StepsProvenOnAnotherDatasetFail()
    {
        // The worker draws the agreed seed but trains and proves on other rows (committed under another root, another contract).
        var other = TrainingContracts.Create(fx.Keys, fx.OtherDataset, fx.Terms);
        var foreign = TrainingProvers.Create(fx.Keys, fx.OtherDataset, other, fx.Worker);
        var schedule = fx.Challenges().Draw(ChallengePurpose.ScheduleSeed, fx.Contract.Digest());
        byte[] seed = schedule.Value.ToArray();
        var states = new List<TrainingState> { foreign.Start(SeededInitialWeights.Create(fx.Contract, seed)) };
        for (int t = 0; t < BackendFixture.Steps; t++) states.Add(foreign.Advance(states[t], foreign.RowsOf(seed, t)));
        var commitments = states.Select(s => s.Commitment.ToArray()).ToList();
        ChallengeRecord? audit = null;
        int[] audited = Enumerable.Range(0, BackendFixture.Steps).ToArray();
        if (fx.Contract.Audit == AuditPolicy.SampleSteps)
        {
            audit = fx.Challenges().Draw(ChallengePurpose.AuditSample, TrainingTranscript.ChainDigest(fx.Contract.Digest(), commitments));
            audited = AuditSample.Draw(audit.Value.AsSpan(), BackendFixture.Steps, fx.Contract.AuditSampleCount);
        }
        var proofs = audited.Select(t => new TranscriptStepProof { Step = t, Proof = foreign.ProveStep(states[t], states[t + 1], foreign.RowsOf(seed, t)).Proof }).ToList();
        var claimed = fx.Prover().Publish(schedule, audit, TranscriptWeights.From(states[0].Model, states[0].Salt.Span),
            TranscriptWeights.From(states[^1].Model, states[^1].Salt.Span), commitments, proofs);
        var result = fx.Verifier().VerifyRun(claimed);
        Assert.False(result.IsValid);
        Assert.Equal(audited[0], result.FailedStep);
    }

    [Fact]
    public void CorruptProofBytesAreRejectedNotThrown()
    {
        var verifier = fx.Verifier();
        var p = fx.Honest.Proofs[0];
        var c = fx.Honest.Commitments;
        bool Check(byte[] bytes) => verifier.VerifyStep(new StepProof(p.Step, fx.Backend, c[p.Step], c[p.Step + 1], bytes), fx.Seed);
        Assert.True(Check(p.Proof));
        for (int i = 0; i < p.Proof.Length; i += Math.Max(1, p.Proof.Length / 40))
        {
            var bad = (byte[])p.Proof.Clone();
            bad[i] ^= 0x5A;
            Assert.False(Check(bad));
        }
        Assert.False(Check(p.Proof[..^1]));
        Assert.False(Check([]));
        Assert.False(verifier.VerifyStep(new StepProof(p.Step, fx.Backend, c[p.Step + 1], c[p.Step], p.Proof), fx.Seed));
    }

    [Fact]
    public void ProveStepApiMatchesTheChain()
    {
        var prover = fx.Prover();
        var s0 = prover.Start(fx.Initial);
        var s1 = prover.Advance(s0, fx.Batches[0]);
        var proof = prover.ProveStep(s0, s1, fx.Batches[0]);
        var verifier = fx.Verifier();
        Assert.True(verifier.VerifyStep(proof, fx.Seed));
        Assert.False(verifier.VerifyStep(proof with { CommitmentBefore = s1.Commitment.ToArray(), CommitmentAfter = s0.Commitment.ToArray() }, fx.Seed));
        var s2 = prover.Advance(s1, fx.Batches[1]);
        Assert.Throws<ArgumentException>(() => prover.ProveStep(s0, s2, fx.Batches[0]));
    }
}
