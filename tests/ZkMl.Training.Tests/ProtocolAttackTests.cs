using System.Collections.Immutable;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Contract;
using ZkMl.Training.Tests.Contract;

namespace ZkMl.Training.Tests;

/// <summary>
/// The attacks of issue #13 that do not depend on the proof system, tried against the real prover and verifier over
/// <see cref="FakeBackend"/> (the backend-specific forgeries are in the Groth16 and STARK tests).
/// </summary>
public class ProtocolAttackTests
{
    // ---- 3. The worker writes the rules ----

    [Theory]
    [InlineData(nameof(TrainingContract.Backend))]
    [InlineData(nameof(TrainingContract.StarkPreset))]
    [InlineData(nameof(TrainingContract.InputSize))]
    [InlineData(nameof(TrainingContract.Layers))]
    [InlineData(nameof(TrainingContract.FractionBits))]
    [InlineData(nameof(TrainingContract.ValueBits))]
    [InlineData(nameof(TrainingContract.LearningRateNumerator))]
    [InlineData(nameof(TrainingContract.LearningRateShift))]
    [InlineData(nameof(TrainingContract.BatchSize))]
    [InlineData(nameof(TrainingContract.DatasetRoot))]
    [InlineData(nameof(TrainingContract.DatasetRows))]
    [InlineData(nameof(TrainingContract.InitialWeights))]
    [InlineData(nameof(TrainingContract.StepCount))]
    [InlineData(nameof(TrainingContract.Audit))]
    [InlineData(nameof(TrainingContract.AuditSampleCount))]
    [InlineData(nameof(TrainingContract.WorkerPublicKey))]
    [InlineData(nameof(TrainingContract.ChallengeSource))]
    [InlineData(nameof(TrainingContract.AuditorPublicKey))]
    [InlineData(nameof(TrainingContract.AnswerWindowSeconds))]
    public void ContractCopyThatDiffersInAnyFieldIsRejectedNamingIt(string field)
    {
        var run = new FakeRun(steps: 6, audit: AuditPolicy.SampleSteps, sample: 2);
        var c = run.Contract;
        using var otherKey = WorkerKey.Create();
        var theirs = field switch
        {
            nameof(TrainingContract.Backend) => c with
            {
                Backend = Backend.Groth16, StepVerifyingKeySha256 = ContractSamples.Filled(1), MembershipVerifyingKeySha256 = ContractSamples.Filled(2),
                StarkPreset = StarkPreset.None, StarkSecurityBits = 0, DatasetFormat = DatasetCommitmentFormat.PoseidonBn254Merkle,
            },
            nameof(TrainingContract.StarkPreset) => c with { StarkPreset = StarkPreset.InsecureTestOnly, StarkSecurityBits = 0 },
            nameof(TrainingContract.InputSize) => c.WithNetwork(FakeRun.Small with { InputSize = 32 }),
            nameof(TrainingContract.Layers) => c.WithNetwork(FakeRun.Small with { HiddenSize = 5 }),
            nameof(TrainingContract.FractionBits) => c.WithNetwork(FakeRun.Small with { FractionBits = 11 }),
            nameof(TrainingContract.ValueBits) => c.WithNetwork(FakeRun.Small with { ValueBits = 30 }),
            nameof(TrainingContract.LearningRateNumerator) => c.WithNetwork(FakeRun.Small with { LearningRateNumerator = 7 }),
            nameof(TrainingContract.LearningRateShift) => c.WithNetwork(FakeRun.Small with { LearningRateShift = 9 }),
            nameof(TrainingContract.BatchSize) => c.WithNetwork(FakeRun.Small with { BatchSize = 4 }),
            nameof(TrainingContract.DatasetRoot) => c with { DatasetRoot = ContractSamples.Filled(0x42) },
            nameof(TrainingContract.DatasetRows) => c with { DatasetRows = c.DatasetRows - 1 },
            nameof(TrainingContract.InitialWeights) => c with { InitialWeights = InitialWeightsRule.ExplicitCommitment, InitialWeightsCommitment = ContractSamples.Filled(3) },
            nameof(TrainingContract.StepCount) => c with { StepCount = 1000 },
            nameof(TrainingContract.Audit) => c with { Audit = AuditPolicy.AllSteps, AuditSampleCount = 0 },
            nameof(TrainingContract.AuditSampleCount) => c with { AuditSampleCount = 1 },
            nameof(TrainingContract.WorkerPublicKey) => c with { WorkerPublicKey = [.. otherKey.PublicKey] },
            nameof(TrainingContract.ChallengeSource) => c with { ChallengeSource = ChallengeSourceKind.FiatShamir, AuditorPublicKey = [], AnswerWindowSeconds = 0 },
            nameof(TrainingContract.AuditorPublicKey) => c with { AuditorPublicKey = [.. otherKey.PublicKey] },
            nameof(TrainingContract.AnswerWindowSeconds) => c with { AnswerWindowSeconds = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        Assert.Equal(field, TrainingContracts.FirstDifference(c, theirs));
        var transcript = run.Sign(TestData.With(run.Train(), contract: theirs.Encode()));
        var result = run.Verifier().VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Contains($"{field} differs", result.Message);
        Assert.Empty(result.ProvenSteps);
    }

    [Fact]
    public void OneProvenStepUnderTheWorkersOwnRulesIsRejected()
    {
        // The worker trains 1 step of a 1000-step claim under a contract it wrote (one sampled proof, Fiat-Shamir), signs it...
        var run = new FakeRun(steps: 6);
        var own = run.Contract with { StepCount = 1, Audit = AuditPolicy.SampleSteps, AuditSampleCount = 1, ChallengeSource = ChallengeSourceKind.FiatShamir,
            AuditorPublicKey = [], AnswerWindowSeconds = 0 };
        var transcript = new TrainingProver(run.Fake, run.Dataset, own, run.Worker).Train(new FiatShamirChallenge(own));
        Assert.True(run.VerifierFor(own).VerifyRun(transcript).IsValid);
        // ...but the verifier holds the agreed contract and never reads the rules from the transcript.
        var result = run.Verifier().VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Contains("StepCount differs", result.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void ChainWithAnotherStepCountThanTheContractIsRejected(int delta)
    {
        var run = new FakeRun(steps: 6, audit: AuditPolicy.SampleSteps, sample: 1);
        var honest = run.Train();
        var commitments = delta < 0 ? honest.Commitments.Take(6).ToList() : [.. honest.Commitments, honest.Commitments[^1]];
        var proofs = honest.Proofs.Where(p => p.Step < commitments.Count - 1).ToList();
        var result = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, commitments: commitments, proofs: proofs)));
        Assert.False(result.IsValid);
        Assert.Contains($"The chain has {6 + delta} steps; the contract agreed on 6", result.Message);
    }

    [Fact]
    public void InitialWeightsNotDerivedFromTheSeedAreRejected()
    {
        var run = new FakeRun(steps: 3);
        var p = run.Prover;
        var schedule = run.Challenges.Draw(ChallengePurpose.ScheduleSeed, run.Contract.Digest());
        byte[] seed = schedule.Value.ToArray();
        var states = new List<TrainingState> { p.Start(QuantizedMlp.CreateInitial(FakeRun.Small, 9)) }; // the worker's own start
        for (int t = 0; t < 3; t++) states.Add(p.Advance(states[t], p.RowsOf(seed, t)));
        var proofs = Enumerable.Range(0, 3).Select(t => new TranscriptStepProof { Step = t, Proof = p.ProveStep(states[t], states[t + 1], p.RowsOf(seed, t)).Proof }).ToList();
        var transcript = p.Publish(schedule, null, TranscriptWeights.From(states[0].Model, states[0].Salt.Span),
            TranscriptWeights.From(states[^1].Model, states[^1].Salt.Span), states.Select(s => s.Commitment.ToArray()).ToList(), proofs);
        var result = run.Verifier().VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Contains("not the ones the contract's rule derives from the schedule seed", result.Message);
    }

    // ---- 4. Grinding the audit ----

    [Fact]
    public void ResaltingTheLastCommitmentInvalidatesTheAuditChallenge()
    {
        var run = new FakeRun(steps: 6, audit: AuditPolicy.SampleSteps, sample: 1);
        var honest = run.Train();
        var final = honest.FinalWeights.ToModel(FakeRun.Small);
        var resalted = run.Prover.Resume(6, final, run.Fake.NewSalt());
        var commitments = honest.Commitments.Take(6).Append(resalted.Commitment.ToArray()).ToList();
        Assert.NotEqual(TrainingTranscript.ChainDigest(run.Contract.Digest(), honest.Commitments),
            TrainingTranscript.ChainDigest(run.Contract.Digest(), commitments));
        var ground = TestData.With(honest, commitments: commitments, final: TranscriptWeights.From(final, resalted.Salt.Span),
            proofs: honest.Proofs.Where(q => q.Step < 5).ToList());

        // The old audit answers the old chain.
        var stale = run.Verifier().VerifyRun(run.Sign(ground));
        Assert.False(stale.IsValid);
        Assert.Contains("Audit challenge rejected: it answers another commitment", stale.Message);

        // Relabelling the old answer for the new chain breaks the auditor's signature; the worker cannot make a new one.
        var a = honest.AuditChallenge!;
        var relabelled = new TranscriptChallenge { Purpose = a.Purpose, Commitment = TrainingTranscript.ChainDigest(run.Contract.Digest(), commitments), Value = a.Value, Evidence = a.Evidence };
        var forged = run.Verifier().VerifyRun(run.Sign(TestData.With(ground, audit: relabelled)));
        Assert.False(forged.IsValid);
        Assert.Contains("auditor's signature does not verify", forged.Message);

        // Nor can it draw one itself: a Fiat-Shamir record (no evidence) is not an interactive answer.
        var own = TranscriptChallenge.From(new FiatShamirChallenge(run.Contract with
        {
            ChallengeSource = ChallengeSourceKind.FiatShamir, AuditorPublicKey = [], AnswerWindowSeconds = 0,
        }).Draw(ChallengePurpose.AuditSample, relabelled.Commitment));
        Assert.False(run.Verifier().VerifyRun(run.Sign(TestData.With(ground, audit: own))).IsValid);
    }

    [Fact]
    public void FiatShamirGrindingBoundIsTheDocumentedOne()
    {
        // The named convenience says what it costs to evade: S = 1000, N = 50, one bad step: about 1.05 hashes.
        Assert.Equal(1000.0 / 950, FiatShamirChallenge.ExpectedGrindingHashes(1000, 50, 1), 6);
        Assert.True(FiatShamirChallenge.ExpectedGrindingHashes(1000, 500, 100) > Math.Pow(2, 100));
    }

    [Fact]
    public void AuditChallengeForAnotherPurposeOrCommitmentIsRejected()
    {
        var run = new FakeRun(steps: 6, audit: AuditPolicy.SampleSteps, sample: 2);
        var honest = run.Train();
        var purpose = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, audit: honest.ScheduleChallenge)));
        Assert.False(purpose.IsValid);
        Assert.Contains("its purpose is ScheduleSeed", purpose.Message);

        var otherRun = run.Train(); // same contract, other salts: another chain, another audit
        var other = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, audit: otherRun.AuditChallenge)));
        Assert.False(other.IsValid);
        Assert.Contains("answers another commitment", other.Message);

        var missing = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, dropAudit: true)));
        Assert.False(missing.IsValid);
        Assert.Contains("no audit challenge", missing.Message);
    }

    [Fact]
    public void ScheduleChallengeNotOverTheContractDigestIsRejected()
    {
        var run = new FakeRun(steps: 4);
        var honest = run.Train();
        // The auditor answered some other commitment (say, the digest of a contract the worker prefers).
        var elsewhere = run.Challenges.Draw(ChallengePurpose.ScheduleSeed, ContractSamples.Filled(0x77).AsSpan());
        var result = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, schedule: TranscriptChallenge.From(elsewhere))));
        Assert.False(result.IsValid);
        Assert.Contains("Schedule-seed challenge rejected: it answers another commitment", result.Message);

        // A seed the worker picked (same commitment, another value) breaks the auditor's signature.
        var s = honest.ScheduleChallenge;
        var picked = new TranscriptChallenge { Purpose = s.Purpose, Commitment = s.Commitment, Value = new byte[32], Evidence = s.Evidence };
        var chosen = run.Verifier().VerifyRun(run.Sign(TestData.With(honest, schedule: picked)));
        Assert.False(chosen.IsValid);
        Assert.Contains("Schedule-seed challenge rejected", chosen.Message);
    }

    [Fact]
    public void InteractiveAnswerAfterTheDeadlineIsRejected()
    {
        var run = new FakeRun(steps: 4, audit: AuditPolicy.SampleSteps, sample: 1);
        var transcript = run.Train();
        Assert.True(run.Verifier(DateTimeOffset.UtcNow.AddSeconds(60)).VerifyRun(transcript).IsValid);
        var late = run.Verifier(DateTimeOffset.UtcNow.AddSeconds(run.Contract.AnswerWindowSeconds + 60)).VerifyRun(transcript);
        Assert.False(late.IsValid);
        Assert.Contains("after the deadline", late.Message);
    }

    // ---- 5. Unscheduled and repeated rows; proofs moved between steps or runs ----

    public static TheoryData<string> UnscheduledBatches => new() { "repeated", "next-step" };

    [Theory]
    [MemberData(nameof(UnscheduledBatches))]
    public void StepProvenOnRowsOtherThanTheScheduledOnesIsRejected(string kind)
    {
        var run = new FakeRun(steps: 4);
        var p = run.Prover;
        // A batch whose update happens to equal the scheduled batch's is no cheat (tiny networks often round both to the
        // same weights): draw schedules until the unscheduled batch really changes the published weights.
        ChallengeRecord schedule = null!;
        byte[] seed = [];
        List<TrainingState> states = [];
        for (int attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 50, "no schedule where the unscheduled batch changes the update");
            schedule = run.Challenges.Draw(ChallengePurpose.ScheduleSeed, run.Contract.Digest());
            seed = schedule.Value.ToArray();
            states = [p.Start(SeededInitialWeights.Create(run.Contract, seed))];
            for (int t = 0; t < 4; t++) states.Add(p.Advance(states[t], RowsAt(t)));
            if (!p.Advance(states[1], p.RowsOf(seed, 1)).Model.WeightsEqual(states[2].Model)) break;
        }
        int[] RowsAt(int t) => t != 1 ? p.RowsOf(seed, t) : kind == "repeated" ? [3, 3] : p.RowsOf(seed, 2);
        Assert.NotEqual(p.RowsOf(seed, 1), RowsAt(1));
        var proofs = Enumerable.Range(0, 4).Select(t => new TranscriptStepProof { Step = t, Proof = p.ProveStep(states[t], states[t + 1], RowsAt(t)).Proof }).ToList();
        var transcript = p.Publish(schedule, null, TranscriptWeights.From(states[0].Model, states[0].Salt.Span),
            TranscriptWeights.From(states[^1].Model, states[^1].Salt.Span), states.Select(s => s.Commitment.ToArray()).ToList(), proofs);
        var result = run.Verifier().VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Equal(1, result.FailedStep);
    }

    [Fact]
    public void VerifierDerivesEveryStatementFieldItself()
    {
        var run = new FakeRun(steps: 5, audit: AuditPolicy.SampleSteps, sample: 3);
        var transcript = run.Train();
        var recorder = new RecordingVerifier(run.Fake);
        var result = TrainingVerifier.ForBackend(run.Contract, run.VerifierChallenges(), recorder).VerifyRun(transcript);
        Assert.True(result.IsValid, result.Message);
        var seed = transcript.ScheduleChallenge.Value;
        Assert.Equal(transcript.Proofs.Select(p => p.Step), recorder.Statements.Select(s => s.Step));
        foreach (var s in recorder.Statements)
        {
            Assert.Equal(run.Contract.Digest(), s.ContractDigest.ToArray());
            Assert.Equal(transcript.Commitments[s.Step], s.CommitmentBefore.ToArray());
            Assert.Equal(transcript.Commitments[s.Step + 1], s.CommitmentAfter.ToArray());
            Assert.Equal(run.Contract.DatasetRoot, s.DatasetRoot);
            Assert.Equal(run.Contract.DatasetRows, s.DatasetRows);
            Assert.Equal(SeededBatchSchedule.Rows(seed, run.Contract.DatasetRows, run.Contract.BatchSize, s.Step), s.Rows.ToArray());
        }
    }

    [Fact]
    public void ProofMovedToAnotherStepOrFromAnotherRunIsRejected()
    {
        var run = new FakeRun(steps: 4);
        var transcript = run.Train();
        var seed = transcript.ScheduleChallenge.Value;
        var verifier = run.Verifier();
        var c = transcript.Commitments;
        var proof0 = new StepProof(0, Backend.Stark, c[0], c[1], transcript.Proofs[0].Proof);
        Assert.True(verifier.VerifyStep(proof0, seed));
        Assert.False(verifier.VerifyStep(proof0 with { Step = 2 }, seed));

        // The same step, weights and rows proven under another contract (another digest) does not verify under this one.
        var other = run.Contract with { StepCount = 5 };
        var prover = new TrainingProver(run.Fake, run.Dataset, other, run.Worker);
        var s0 = prover.Start(SeededInitialWeights.Create(run.Contract, seed));
        var s1 = prover.Advance(s0, prover.RowsOf(seed, 0));
        var foreign = prover.ProveStep(s0, s1, prover.RowsOf(seed, 0));
        Assert.True(run.VerifierFor(other).VerifyStep(foreign, seed));
        Assert.False(verifier.VerifyStep(foreign, seed));
    }

    // ---- 6. Resource exhaustion ----

    private static readonly QuantizedMlpConfig Wide = new() { InputSize = 65534, HiddenSize = 1, OutputSize = 1, BatchSize = 1, FractionBits = 10 };

    [Fact]
    public void HugeNetworkInTheTranscriptsContractCopyIsACleanRejection()
    {
        var run = new FakeRun(steps: 2);
        var hostile = run.Contract.WithNetwork(Wide);
        var transcript = run.Sign(TestData.With(run.Train(), contract: hostile.Encode(),
            initial: new TranscriptWeights { W1 = new long[Wide.Weights1Count], W2 = [0], Salt = new byte[16] },
            proofs: [new TranscriptStepProof { Step = 0, Proof = new byte[1 << 20] }]));
        var bytes = transcript.ToJsonBytes();
        Assert.True(bytes.Length > 1_100_000, $"{bytes.Length} bytes");
        var result = run.Verifier().VerifyRun(TrainingTranscript.Parse(bytes));
        Assert.False(result.IsValid);
        Assert.Contains("InputSize differs", result.Message);
    }

    [Fact]
    public void HugeNetworkContractWithARealVerifierGetsATypedAnswerNotOutOfMemory()
    {
        // Suppose the auditor accepted such a contract: a 1.1 MiB transcript for it must be a clean verdict or a typed exception.
        using var worker = WorkerKey.Create();
        var contract = new TrainingContract
        {
            Backend = Backend.Stark, StarkPreset = StarkPreset.Secure100, StarkSecurityBits = 100,
            DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle, DatasetRoot = ContractSamples.Filled(5), DatasetRows = 8,
            InitialWeights = InitialWeightsRule.DerivedFromScheduleSeed, StepCount = 1, Audit = AuditPolicy.AllSteps,
            WorkerPublicKey = [.. worker.PublicKey], ChallengeSource = ChallengeSourceKind.FiatShamir,
        }.WithNetwork(Wide);
        var challenges = new FiatShamirChallenge(contract);
        Exception? thrown = null;
        ChainVerificationResult? result = null;
        try
        {
            var verifier = TrainingVerifier.Create(contract, challenges);
            var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, contract.Digest());
            var initial = SeededInitialWeights.Create(contract, schedule.Value.AsSpan());
            byte[] salt = ValidSalt(verifier, initial);
            byte[] commitment = verifier.CommitWeights(initial, salt);
            var proof = new byte[1 << 20];
            new Random(1).NextBytes(proof);
            proof[0] = 1;
            BitConverter.GetBytes(proof.Length - 5).CopyTo(proof, 1);
            var weights = TranscriptWeights.From(initial, salt);
            var unsigned = new TrainingTranscript
            {
                Contract = contract.Encode(), ScheduleChallenge = TranscriptChallenge.From(schedule), InitialWeights = weights, FinalWeights = weights,
                Commitments = [commitment, commitment], Proofs = [new TranscriptStepProof { Step = 0, Proof = proof }],
            };
            var transcript = TrainingTranscript.Parse(TestData.Sign(unsigned, worker, contract).ToJsonBytes());
            result = verifier.VerifyRun(transcript);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InsufficientExecutionStackException)
        {
            thrown = e;
        }
        if (thrown is not null)
            Assert.True(thrown is NotSupportedException or TranscriptFormatException or ContractFormatException, thrown.ToString());
        else
        {
            Assert.False(result!.IsValid);
            Assert.Equal(0, result.FailedStep);
        }
    }

    [Fact]
    public void TranscriptOverTheSizeLimitIsRefusedBeforeReading()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zkml-huge-{Guid.NewGuid():N}.json");
        try
        {
            using (var f = File.Create(path)) f.SetLength(TranscriptLimits.Default.MaxTranscriptBytes + 1); // sparse: nothing to read
            var e = Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Load(path));
            Assert.Contains(nameof(TranscriptLimits.MaxTranscriptBytes), e.Message);
        }
        finally { File.Delete(path); }
        var small = new TranscriptLimits { MaxTranscriptBytes = 100 };
        Assert.Contains(nameof(TranscriptLimits.MaxTranscriptBytes),
            Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(new byte[101], small)).Message);
    }

    [Fact]
    public void ProofOverTheSizeLimitIsRefused()
    {
        var run = new FakeRun(steps: 2);
        var transcript = run.Train();
        var limits = new TranscriptLimits { MaxProofBytes = transcript.Proofs[0].Proof.Length - 1 };
        var e = Assert.Throws<TranscriptFormatException>(() => TrainingTranscript.Parse(transcript.ToJsonBytes(), limits));
        Assert.Contains(nameof(TranscriptLimits.MaxProofBytes), e.Message);
        var result = run.Verifier(limits: limits).VerifyRun(transcript);
        Assert.False(result.IsValid);
        Assert.Contains(nameof(TranscriptLimits.MaxProofBytes), result.Message);
    }

    [Fact]
    public void ContractOverTheVerifiersLimitsIsRefusedAtConstruction()
    {
        var run = new FakeRun(steps: 6);
        var e = Assert.Throws<NotSupportedException>(() => run.Verifier(limits: new TranscriptLimits { MaxWeights = 100 }));
        Assert.Contains(nameof(TranscriptLimits.MaxWeights), e.Message);
        e = Assert.Throws<NotSupportedException>(() => run.Verifier(limits: new TranscriptLimits { MaxSteps = 5 }));
        Assert.Contains(nameof(TranscriptLimits.MaxSteps), e.Message);
    }

    // ---- Signatures ----

    [Fact]
    public void TranscriptSignedByAnotherKeyIsRejected()
    {
        var run = new FakeRun(steps: 3);
        var transcript = run.Train();
        using var other = WorkerKey.Create();
        var resigned = transcript.WithSignature(other.Sign(run.Contract.Digest(), transcript.Digest()));
        var result = run.Verifier().VerifyRun(resigned);
        Assert.False(result.IsValid);
        Assert.Contains("not signed by the contract's worker key", result.Message);
        Assert.Throws<ArgumentException>(() => other.SignTranscript(run.Contract, transcript.Digest()));
    }

    [Fact]
    public void ProofOrCommitmentAlteredAfterSigningIsRejected()
    {
        var run = new FakeRun(steps: 3);
        var transcript = run.Train();
        Assert.True(run.Verifier().VerifyRun(transcript).IsValid);
        var proof = TestData.Clone(transcript);
        proof.Proofs[1].Proof[^1] ^= 1;
        Assert.Contains("not signed by the contract's worker key", run.Verifier().VerifyRun(proof).Message);
        var commitment = TestData.Clone(transcript);
        commitment.Commitments[2][0] ^= 1;
        Assert.Contains("not signed by the contract's worker key", run.Verifier().VerifyRun(commitment).Message);
        var weights = TestData.Clone(transcript);
        weights.FinalWeights.W1[0] += 1;
        Assert.Contains("not signed by the contract's worker key", run.Verifier().VerifyRun(weights).Message);
    }

    /// <summary>A salt the backend accepts (all zeros of the backend's salt length), found without depending on its internals.</summary>
    private static byte[] ValidSalt(TrainingVerifier verifier, QuantizedMlp model)
    {
        for (int length = 8; length <= 256; length += 8)
        {
            try
            {
                verifier.CommitWeights(model, new byte[length]);
                return new byte[length];
            }
            catch (ArgumentException) { }
        }
        throw new InvalidOperationException("No salt length up to 256 bytes is accepted.");
    }

    /// <summary>Records the statements the verifier derives and delegates to another backend.</summary>
    private sealed class RecordingVerifier(IStepVerifier inner) : IStepVerifier
    {
        public List<StepStatement> Statements { get; } = [];
        public Backend Backend => inner.Backend;
        public QuantizedNetworkConfig Network => inner.Network;
        public byte[] CommitWeights(QuantizedNetwork model, ReadOnlySpan<byte> salt) => inner.CommitWeights(model, salt);

        public bool VerifyStep(StepStatement statement, ReadOnlySpan<byte> proof)
        {
            Statements.Add(statement);
            return inner.VerifyStep(statement, proof);
        }
    }
}
