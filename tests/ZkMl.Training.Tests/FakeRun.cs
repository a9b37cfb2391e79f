using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Contract;
using ZkMl.Training.Tests.Contract;

namespace ZkMl.Training.Tests;

/// <summary>
/// One run of the protocol over <see cref="FakeBackend"/>: a dataset of digits, a worker key, an interactive auditor (or
/// Fiat-Shamir) and the contract they agreed; the prover and verifier are the real ones.
/// </summary>
internal sealed class FakeRun
{
    public static readonly QuantizedMlpConfig Small = new()
    {
        InputSize = 64, HiddenSize = 4, OutputSize = 10, BatchSize = 2, FractionBits = 10,
    };

    public FakeRun(int steps = 6, AuditPolicy audit = AuditPolicy.AllSteps, int sample = 0,
        ChallengeSourceKind source = ChallengeSourceKind.Interactive, int rows = 40)
    {
        Data = TestData.SmallDigits(rows, Small.FractionBits);
        Fake = new FakeBackend(Small);
        Dataset = DatasetCommitment.Create(Data, Fake.Backend, Fake, new byte[Data.Count]);
        Worker = WorkerKey.Create();
        Auditor = ContractSamples.Auditor();
        Contract = ContractFor(Fake, Dataset, Worker, steps, audit, sample, source);
        Prover = new TrainingProver(Fake, Dataset, Contract, Worker);
        Challenges = source == ChallengeSourceKind.Interactive ? InteractiveChallenge.ForAuditor(Contract, Auditor) : new FiatShamirChallenge(Contract);
    }

    public QuantizedDataset Data { get; }
    public FakeBackend Fake { get; }
    public DatasetCommitment Dataset { get; }
    public WorkerKey Worker { get; }
    public ECDsa Auditor { get; }
    public TrainingContract Contract { get; }
    public TrainingProver Prover { get; }
    /// <summary>The worker's side of the contract's challenge source.</summary>
    public IChallengeSource Challenges { get; }

    public static TrainingContract ContractFor(FakeBackend fake, DatasetCommitment dataset, WorkerKey worker, int steps, AuditPolicy audit, int sample,
        ChallengeSourceKind source) => new TrainingContract
    {
        Backend = fake.Backend,
        StarkPreset = StarkPreset.Secure100,
        StarkSecurityBits = 100,
        DatasetFormat = DatasetCommitmentFormat.PoseidonGoldilocksMerkle,
        DatasetRoot = [.. dataset.Root.Span],
        DatasetRows = dataset.RowCount,
        InitialWeights = InitialWeightsRule.DerivedFromScheduleSeed,
        StepCount = steps,
        Audit = audit,
        AuditSampleCount = sample,
        WorkerPublicKey = [.. worker.PublicKey],
        ChallengeSource = source,
        AuditorPublicKey = source == ChallengeSourceKind.Interactive ? ContractSamples.Hex(ContractSamples.AuditorSpki) : [],
        AnswerWindowSeconds = source == ChallengeSourceKind.Interactive ? 3600 : 0,
    }.WithNetwork(fake.Config);

    public TrainingTranscript Train() => Prover.Train(Challenges);

    /// <summary>The verifier's side of the challenge source, for answers that arrived at <paramref name="answeredAt"/> (default: now).</summary>
    public IChallengeSource VerifierChallenges(DateTimeOffset? answeredAt = null) => Contract.ChallengeSource == ChallengeSourceKind.Interactive
        ? InteractiveChallenge.ForVerifier(Contract, answeredAt ?? DateTimeOffset.UtcNow)
        : new FiatShamirChallenge(Contract);

    public TrainingVerifier Verifier(DateTimeOffset? answeredAt = null, TranscriptLimits? limits = null) =>
        TrainingVerifier.ForBackend(Contract, VerifierChallenges(answeredAt), Fake, limits);

    /// <summary>A verifier holding <paramref name="contract"/> (another contract than the worker's).</summary>
    public TrainingVerifier VerifierFor(TrainingContract contract) => TrainingVerifier.ForBackend(contract,
        contract.ChallengeSource == ChallengeSourceKind.Interactive ? InteractiveChallenge.ForVerifier(contract, DateTimeOffset.UtcNow) : new FiatShamirChallenge(contract),
        Fake);

    /// <summary>Re-signs an edited transcript with the worker's key, so a check other than the signature must catch the edit.</summary>
    public TrainingTranscript Sign(TrainingTranscript t) => TestData.Sign(t, Worker, Contract);
}
