using ZkMl.Circuits.Circom;
using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Network;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Node;

/// <summary>
/// A small demonstration job in a directory: a 4-3-3 STARK network on 8 synthetic rows, its contract, the trainer's worker
/// key and (for the demonstration only) the verifiers' keys. In a real deployment each verifier generates its key itself
/// and sends only the public half; the trainer's files (worker key, states) stay on its farm. With contributors the job is
/// Groth16 over their shards (4, 4, 3, ... rows): each contributor's directory holds its key and its shard's rows and salts
/// (handed to the trainer, whose copy is in trainer/), development setups stand in for the ceremonies (keys/*.zkey), and the
/// contract's dataset root is the shards' layout root.
/// </summary>
internal sealed class JobDirectory
{
    private static readonly QuantizedMlpConfig Network = new() { InputSize = 4, HiddenSize = 3, OutputSize = 3, BatchSize = 2 };
    private const int Rows = 8;

    private JobDirectory(string dir) => Dir = dir;

    public string Dir { get; }
    private string ContractPath => Path.Combine(Dir, "contract.bin");
    private string WorkerPath => Path.Combine(Dir, "trainer", "worker.pk8");
    private string SaltsPath => Path.Combine(Dir, "trainer", "dataset-salts.bin");
    private string StatesPath => Path.Combine(Dir, "trainer", "states.bin");
    private string VerifierPath(int i) => Path.Combine(Dir, $"verifier-{i}", "key.pk8");
    private string VerifierPublicPath(int i) => Path.Combine(Dir, $"verifier-{i}.pub");
    private string ContributorKeyPath(int i) => Path.Combine(Dir, $"contributor-{i}", "key.pk8");
    private string ContributorSecretPath(int i) => Path.Combine(Dir, $"contributor-{i}", "shard.secret");
    private string TrainerShardPath(int i) => Path.Combine(Dir, "trainer", $"shard-{i}.secret");
    private string ContributorPublicPath(int i) => Path.Combine(Dir, $"contributor-{i}.pub");
    private string ZkeyPath(string name) => Path.Combine(Dir, "keys", name + ".zkey");

    public static JobDirectory Open(string dir) => new(dir);

    /// <summary>
    /// Writes a new job: contract for <paramref name="steps"/> steps auditing <paramref name="audit"/> (0: all), worker key,
    /// <paramref name="verifiers"/> verifier keys, and (Groth16) <paramref name="contributors"/> contributors' shards.
    /// </summary>
    public static JobDirectory Create(string dir, int steps, int audit, int verifiers, int contributors = 0)
    {
        var job = new JobDirectory(dir);
        Directory.CreateDirectory(Path.Combine(dir, "trainer"));
        using var worker = WorkerKey.Create();
        DatasetCommitment dataset;
        TrainingKeys keys;
        if (contributors == 0)
        {
            dataset = DatasetCommitment.Create(Data(), Network, Backend.Stark);
            AtomicFile.WriteAllBytes(job.SaltsPath, dataset.ExportSalts());
            keys = Keys();
        }
        else (dataset, keys) = job.CreateShards(contributors);
        var contract = TrainingContracts.Create(keys, dataset, new ContractTerms
        {
            StepCount = steps, WorkerPublicKey = [.. worker.PublicKey], ChallengeSource = ChallengeSourceKind.FiatShamir,
            Audit = audit == 0 ? AuditPolicy.AllSteps : AuditPolicy.SampleSteps, AuditSampleCount = audit,
        });
        AtomicFile.WriteAllBytes(job.WorkerPath, worker.ExportPkcs8());
        AtomicFile.WriteAllBytes(job.ContractPath, contract.Encode());
        for (int i = 0; i < verifiers; i++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(job.VerifierPath(i))!);
            using var key = WorkerKey.Create();
            AtomicFile.WriteAllBytes(job.VerifierPath(i), key.ExportPkcs8());
            AtomicFile.WriteAllBytes(job.VerifierPublicPath(i), key.PublicKey);
        }
        return job;
    }

    // Each contributor commits its shard and keeps its key; the trainer gets the rows and salts and lays the shards out.
    private (DatasetCommitment Dataset, TrainingKeys Keys) CreateShards(int contributors)
    {
        Directory.CreateDirectory(Path.Combine(Dir, "keys"));
        var shards = new List<ShardContributor>();
        for (int i = 0; i < contributors; i++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(ContributorKeyPath(i))!);
            using var key = ContributorKey.Create();
            var shard = ShardContributor.Commit(Data(ShardRows(i), seed: 10 + i), ShardParameters.For(Network, ShardCapacity));
            AtomicFile.WriteAllBytes(ContributorKeyPath(i), key.ExportPkcs8());
            AtomicFile.WriteAllBytes(ContributorPublicPath(i), key.PublicKey);
            AtomicFile.WriteAllBytes(ContributorSecretPath(i), shard.ExportSecret());
            AtomicFile.WriteAllBytes(TrainerShardPath(i), shard.ExportSecret());
            shards.Add(shard);
        }
        Zkey.Write(ShardAttestations.DevelopmentSetup(ShardParameters.For(Network, ShardCapacity)), ZkeyPath("attestation"));
        var layout = DatasetShards.Create([.. shards.Select(s => s.Root)], [.. shards.Select(s => s.Data.Count)]);
        var dataset = layout.Assemble(shards, Network);
        string stepR1cs = Path.Combine(Dir, "keys", "step.r1cs"), membershipR1cs = Path.Combine(Dir, "keys", "membership.r1cs");
        TrainingSetup.ExportGroth16Circuits(Network, dataset.RowCount, stepR1cs, membershipR1cs);
        Zkey.Write(Groth16Setup.Development(CircomR1cs.ReadFile<ZkMl.Field.Bn254Fr>(stepR1cs)), ZkeyPath("step"));
        Zkey.Write(Groth16Setup.Development(CircomR1cs.ReadFile<ZkMl.Field.Bn254Fr>(membershipR1cs)), ZkeyPath("membership"));
        return (dataset, GrothKeys(dataset.RowCount));
    }

    private const int ShardCapacity = 4;

    private static int ShardRows(int i) => i == 0 || i % 2 == 1 ? 4 : 3; // 4, 4, 3: every shard but the last full

    public int Contributors => Enumerable.Range(0, 1 << 10).TakeWhile(i => File.Exists(ContributorPublicPath(i))).Count();

    public bool IsGroth16 => File.Exists(ZkeyPath("step"));

    private TrainingKeys GrothKeys(int rows) => TrainingSetup.FromZkeys(Network, rows, ZkeyPath("step"), ZkeyPath("membership"));

    /// <summary>The verifying keys a verifier reads from the ceremony's files itself (never from the trainer).</summary>
    public Groth16VerifyingKeys? VerifyingKeys() =>
        IsGroth16 ? new Groth16VerifyingKeys(Zkey.ReadVerifyingKey(ZkeyPath("step")), Zkey.ReadVerifyingKey(ZkeyPath("membership"))) : null;

    /// <summary>The contributors as the trainer registers them (public keys, capacity, attestation verifying key).</summary>
    public ContributorRegistration[] ContributorRegistrations()
    {
        if (Contributors == 0) return [];
        byte[] attestation = Groth16VerifyingKeys.CanonicalBytes(Zkey.ReadVerifyingKey(ZkeyPath("attestation")));
        return [.. Enumerable.Range(0, Contributors).Select(i => new ContributorRegistration
        {
            PublicKey = File.ReadAllBytes(ContributorPublicPath(i)), Capacity = ShardCapacity, AttestationKey = attestation,
        })];
    }

    /// <summary>Contributor <paramref name="i"/>'s key, shard (rows and salts) and the attestation proving key.</summary>
    public (ContributorKey Key, ShardContributor Shard, Groth16ProvingKey AttestationKey) Contributor(int i) =>
        (ContributorKey.ImportPkcs8(File.ReadAllBytes(ContributorKeyPath(i))),
         ShardContributor.ImportSecret(File.ReadAllBytes(ContributorSecretPath(i)), ShardParameters.For(Network, ShardCapacity)),
         Zkey.ReadProvingKey(ZkeyPath("attestation")));

    public byte[] ContractBytes => File.ReadAllBytes(ContractPath);

    public byte[][] VerifierPublicKeys()
    {
        var keys = new List<byte[]>();
        for (int i = 0; File.Exists(VerifierPublicPath(i)); i++) keys.Add(File.ReadAllBytes(VerifierPublicPath(i)));
        return [.. keys];
    }

    public WorkerKey Verifier(int i) => WorkerKey.ImportPkcs8(File.ReadAllBytes(VerifierPath(i)));

    public WorkerKey Worker() => WorkerKey.ImportPkcs8(File.ReadAllBytes(WorkerPath));

    public TrainingProver Prover(WorkerKey worker)
    {
        var contract = TrainingContract.Decode(ContractBytes);
        if (!IsGroth16) return TrainingProvers.Create(Keys(), DatasetCommitment.Restore(Data(), Network, Backend.Stark, File.ReadAllBytes(SaltsPath)), contract, worker);
        var shards = Enumerable.Range(0, Contributors).Select(i => ShardContributor.ImportSecret(File.ReadAllBytes(TrainerShardPath(i)), ShardParameters.For(Network, ShardCapacity))).ToList();
        var dataset = DatasetShards.Create([.. shards.Select(s => s.Root)], [.. shards.Select(s => s.Data.Count)]).Assemble(shards, Network);
        return TrainingProvers.Create(GrothKeys(dataset.RowCount), dataset, contract, worker);
    }

    /// <summary>Trains and saves the states (weights and salts) for the farm's provers.</summary>
    public TrainerRun Train(TrainingProver prover)
    {
        var run = TrainerRun.Train(prover, new FiatShamirChallenge(prover.Contract));
        AtomicFile.Write(StatesPath, stream =>
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(run.Seed.Length);
            w.Write(run.Seed.Span);
            w.Write(run.States.Count);
            foreach (var s in run.States)
            {
                w.Write(s.Salt.Length);
                w.Write(s.Salt.Span);
                foreach (long v in s.Model.Weights1) w.Write(v);
                foreach (long v in s.Model.Weights2) w.Write(v);
            }
        });
        return run;
    }

    /// <summary>A prover function over the saved states (the farm shares them; they never leave it).</summary>
    public async Task<Func<int, byte[]>> LoadProver(TrainingProver prover, CancellationToken cancel)
    {
        while (!File.Exists(StatesPath)) await Task.Delay(500, cancel); // the trainer writes them once it has trained
        using var r = new BinaryReader(File.OpenRead(StatesPath));
        byte[] seed = r.ReadBytes(r.ReadInt32());
        int count = r.ReadInt32();
        var states = new TrainingState[count];
        var c = prover.Network;
        for (int t = 0; t < count; t++)
        {
            byte[] salt = r.ReadBytes(r.ReadInt32());
            var w1 = new long[c.Weights1Count];
            var w2 = new long[c.Weights2Count];
            for (int i = 0; i < w1.Length; i++) w1[i] = r.ReadInt64();
            for (int i = 0; i < w2.Length; i++) w2[i] = r.ReadInt64();
            states[t] = prover.Resume(t, new QuantizedMlp(c, w1, w2), salt);
        }
        return step => prover.ProveStep(states[step], states[step + 1], prover.RowsOf(seed, step)).Proof;
    }

    private static QuantizedDataset Data(int rows = Rows, int seed = 1)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows * Network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Network.FractionBits)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(Network.OutputSize)).ToArray();
        return new QuantizedDataset(Network.InputSize, inputs, labels);
    }

    private static TrainingKeys Keys() => TrainingSetup.Create(Backend.Stark, Network, Rows);
}
