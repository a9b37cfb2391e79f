using ZkMl.Models;
using ZkMl.Snark.Groth16;
using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Network.Tests;

/// <summary>
/// A tiny Groth16 run (4-3-3 network, batch 2, development setups) over the shards of three data contributors (4, 4 and 3
/// rows, one attestation key for capacity 4) under a Fiat-Shamir contract of <see cref="Steps"/> steps auditing
/// <see cref="Audited"/>. Built once per test class: the setups are the slow part.
/// </summary>
public sealed class ShardedGroth16Run : IDisposable
{
    public const int Steps = 3;
    public const int Audited = 2;
    public const string RunId = "groth16-sharded";
    public static readonly QuantizedMlpConfig Network = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private static readonly int[] Sizes = [4, 4, 3];

    public ShardedGroth16Run()
    {
        var rng = new Random(2);
        var parameters = ShardParameters.For(Network, 4);
        AttestationKey = ShardAttestations.DevelopmentSetup(parameters);
        Shards = [.. Sizes.Select(rows => ShardContributor.Commit(new QuantizedDataset(Network.InputSize,
            [.. Enumerable.Range(0, rows * Network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Network.FractionBits))],
            [.. Enumerable.Range(0, rows).Select(_ => rng.Next(Network.OutputSize))]), parameters))];
        Contributors = [.. Sizes.Select(_ => ContributorKey.Create())];
        Attestations = [.. Shards.Select((s, i) => s.Attest(NetworkMessages.ShardRunId(RunId), Contributors[i], AttestationKey))];

        // The trainer: the layout of the attested shards, the one dataset commitment over their rows and salts, the contract.
        Layout = DatasetShards.FromAttestations(Attestations);
        var dataset = Layout.Assemble(Shards, Network);
        Keys = TrainingSetup.Create(Backend.Groth16, Network, dataset.RowCount);
        Worker = WorkerKey.Create();
        Contract = TrainingContracts.Create(Keys, dataset, new ContractTerms
        {
            StepCount = Steps, WorkerPublicKey = [.. Worker.PublicKey], Audit = AuditPolicy.SampleSteps, AuditSampleCount = Audited,
            ChallengeSource = ChallengeSourceKind.FiatShamir,
        });
        Trained = new TinyRun.TrainedChain(TrainerRun.Train(TrainingProvers.Create(Keys, dataset, Contract, Worker), new FiatShamirChallenge(Contract)));
        Verifiers = [WorkerKey.Create(), WorkerKey.Create(), WorkerKey.Create()];
    }

    public Groth16ProvingKey AttestationKey { get; }
    public ShardContributor[] Shards { get; }
    public ContributorKey[] Contributors { get; }
    public ShardAttestation[] Attestations { get; }
    public DatasetShards Layout { get; }
    public TrainingKeys Keys { get; }
    public Groth16VerifyingKeys VerifyingKeys => Keys.Groth16VerifyingKeys!;
    public WorkerKey Worker { get; }
    public TrainingContract Contract { get; }
    public byte[] ContractBytes => Contract.Encode();
    public TinyRun.TrainedChain Trained { get; }
    public WorkerKey[] Verifiers { get; }

    public RunRegistration Registration(bool withKeys = true, ContributorRegistration[]? contributors = null) => new()
    {
        Contract = ContractBytes, VerifierKeys = [.. Verifiers.Select(v => v.PublicKey)],
        Policy = new RunPolicy { Coverage = 2, Quorum = 2, CommitSeconds = 30, RevealSeconds = 30, LeaseSeconds = 60, VerdictSeconds = 60 },
        Contributors = contributors ?? [.. Contributors.Select(c => new ContributorRegistration
        {
            PublicKey = c.PublicKey, Capacity = 4, AttestationKey = Groth16VerifyingKeys.CanonicalBytes(AttestationKey.VerifyingKey),
        })],
        Groth16StepKey = withKeys ? Groth16VerifyingKeys.CanonicalBytes(VerifyingKeys.Step) : [],
        Groth16MembershipKey = withKeys ? Groth16VerifyingKeys.CanonicalBytes(VerifyingKeys.Membership) : [],
    };

    /// <summary>A verifier holding its own copy of the keys (as read from the ceremony's files).</summary>
    public VerifierNode Node(IGrainFactory grains, string runId, int index, Groth16VerifyingKeys? own = null) =>
        new(grains, runId, index, Verifiers[index], ContractBytes, own ?? VerifyingKeys) { Poll = TimeSpan.FromMilliseconds(30) };

    public void Dispose()
    {
        Worker.Dispose();
        foreach (var k in Contributors) k.Dispose();
        foreach (var v in Verifiers) v.Dispose();
    }
}
