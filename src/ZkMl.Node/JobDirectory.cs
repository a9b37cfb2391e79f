using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Network;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Node;

/// <summary>
/// A small demonstration job in a directory: a 4-3-3 STARK network on 8 synthetic rows, its contract, the trainer's worker
/// key and (for the demonstration only) the verifiers' keys. In a real deployment each verifier generates its key itself
/// and sends only the public half; the trainer's files (worker key, states) stay on its farm.
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

    public static JobDirectory Open(string dir) => new(dir);

    /// <summary>Writes a new job: contract for <paramref name="steps"/> steps auditing <paramref name="audit"/> (0: all), worker key, <paramref name="verifiers"/> verifier keys.</summary>
    public static JobDirectory Create(string dir, int steps, int audit, int verifiers)
    {
        var job = new JobDirectory(dir);
        Directory.CreateDirectory(Path.Combine(dir, "trainer"));
        using var worker = WorkerKey.Create();
        var dataset = DatasetCommitment.Create(Data(), Network, Backend.Stark);
        AtomicFile.WriteAllBytes(job.SaltsPath, dataset.ExportSalts());
        var contract = TrainingContracts.Create(Keys(), dataset, new ContractTerms
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

    public byte[] ContractBytes => File.ReadAllBytes(ContractPath);

    public byte[][] VerifierPublicKeys()
    {
        var keys = new List<byte[]>();
        for (int i = 0; File.Exists(VerifierPublicPath(i)); i++) keys.Add(File.ReadAllBytes(VerifierPublicPath(i)));
        return [.. keys];
    }

    public WorkerKey Verifier(int i) => WorkerKey.ImportPkcs8(File.ReadAllBytes(VerifierPath(i)));

    public WorkerKey Worker() => WorkerKey.ImportPkcs8(File.ReadAllBytes(WorkerPath));

    public TrainingProver Prover(WorkerKey worker) => TrainingProvers.Create(Keys(), DatasetCommitment.Restore(Data(), Network, Backend.Stark, File.ReadAllBytes(SaltsPath)), TrainingContract.Decode(ContractBytes), worker);

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

    private static QuantizedDataset Data()
    {
        var rng = new Random(1);
        var inputs = Enumerable.Range(0, Rows * Network.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), Network.FractionBits)).ToArray();
        var labels = Enumerable.Range(0, Rows).Select(_ => rng.Next(Network.OutputSize)).ToArray();
        return new QuantizedDataset(Network.InputSize, inputs, labels);
    }

    private static TrainingKeys Keys() => TrainingSetup.Create(Backend.Stark, Network, Rows);
}
