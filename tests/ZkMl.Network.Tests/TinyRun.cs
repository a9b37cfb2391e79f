using System.Collections.Concurrent;
using ZkMl.Models;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Network.Tests;

/// <summary>
/// The smallest STARK training setup the training tests use (4-3-3 network, batch 2, 8 synthetic rows, Secure100) under a
/// Fiat-Shamir contract of <see cref="Steps"/> steps auditing <see cref="Audited"/>, with three registered verifier keys.
/// </summary>
public sealed class TinyRun : IDisposable
{
    public const int Steps = 3;
    public const int Audited = 2;
    public static readonly QuantizedMlpConfig Network = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };

    private readonly BeaconAccess? _beacon;

    /// <summary>With <paramref name="beacon"/>, the contract draws its schedule seed from that beacon instead of Fiat-Shamir.</summary>
    public TinyRun(BeaconAccess? beacon = null)
    {
        _beacon = beacon;
        var rng = new Random(1);
        var inputs = Enumerable.Range(0, 8 * Network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Network.FractionBits)).ToArray();
        var labels = Enumerable.Range(0, 8).Select(_ => rng.Next(Network.OutputSize)).ToArray();
        var data = new QuantizedDataset(Network.InputSize, inputs, labels);
        var dataset = DatasetCommitment.Create(data, Network, Backend.Stark);
        var keys = TrainingSetup.Create(Backend.Stark, Network, data.Count);
        Worker = WorkerKey.Create();
        Contract = TrainingContracts.Create(keys, dataset, new ContractTerms
        {
            StepCount = Steps, WorkerPublicKey = [.. Worker.PublicKey], Audit = AuditPolicy.SampleSteps, AuditSampleCount = Audited,
            ChallengeSource = beacon is null ? ChallengeSourceKind.FiatShamir : ChallengeSourceKind.Beacon,
            BeaconId = beacon is null ? [] : [.. beacon.Beacon.Id.Span],
        });
        Prover = TrainingProvers.Create(keys, dataset, Contract, Worker);
        Verifiers = [WorkerKey.Create(), WorkerKey.Create(), WorkerKey.Create()];
        Trained = new TrainedChain(TrainerRun.Train(Prover, beacon is null ? new FiatShamirChallenge(Contract) : new BeaconChallenge(Contract, beacon.Beacon, beacon.Board)));
    }

    /// <summary>One trained chain (published under each test's run id), its proofs computed once per step on demand: proving is the slow part.</summary>
    public TrainedChain Trained { get; }

    public WorkerKey Worker { get; }
    public TrainingContract Contract { get; }
    public byte[] ContractBytes => Contract.Encode();
    public TrainingProver Prover { get; }
    public WorkerKey[] Verifiers { get; }

    public RunRegistration Registration(RunPolicy? policy = null) => new()
    {
        Contract = ContractBytes, VerifierKeys = [.. Verifiers.Select(v => v.PublicKey)],
        Policy = policy ?? new RunPolicy { Coverage = 2, Quorum = 2, CommitSeconds = 30, RevealSeconds = 30, LeaseSeconds = 60, VerdictSeconds = 60 },
    };

    public ChainPublication Publication(string runId) => Trained.Trainer.Publish(runId, Worker);

    public VerifierNode Node(IGrainFactory grains, string runId, int index) =>
        new(grains, runId, index, Verifiers[index], ContractBytes) { Poll = TimeSpan.FromMilliseconds(30), Beacon = _beacon };

    public void Dispose()
    {
        Worker.Dispose();
        foreach (var v in Verifiers) v.Dispose();
    }

    public sealed class TrainedChain(TrainerRun trainer)
    {
        private readonly ConcurrentDictionary<int, Lazy<byte[]>> _proofs = new();

        public TrainerRun Trainer => trainer;

        public byte[] Proof(int step) => _proofs.GetOrAdd(step, s => new Lazy<byte[]>(() => trainer.ProveStep(s))).Value;

        public Func<int, CancellationToken, Task<byte[]>> Prove => (step, _) => Task.Run(() => Proof(step));
    }
}
