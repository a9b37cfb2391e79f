using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training;
using ZkMl.Training.Backends.Sumcheck;
using ZkMl.Training.Contract;

namespace ZkMl.Benchmarks;

/// <summary>
/// One SGD step proven by the sumcheck backend (<see cref="SumcheckStepProof"/>: membership in a 1,024-row data set (the
/// rows' salted Poseidon digests, the rows hashed inside the proof), chained hiding weight commitments, the zero-knowledge step, >= 100-bit parameters) and its verification, on synthetic rows
/// (pixels 0..16) and seeded initial weights. The setup prints the proof size, the soundness bits and a breakdown of one
/// proof by <see cref="SumcheckTelemetry"/> phase.
/// </summary>
[MemoryDiagnoser]
public class SumcheckStepBenchmarks
{
    private const int DatasetRows = 1024;
    private QuantizedNetworkConfig _config = null!;
    private QuantizedNetwork _model = null!;
    private QuantizedDataset _data = null!;
    private Hashing.Blake3MerkleTree _tree = null!;
    private ZkMl.Field.Goldilocks[][] _salts = null!;
    private StepStatement _statement = null!;
    private long[] _inputs = null!;
    private int[] _labels = null!;
    private byte[] _proof = null!;
    private byte[] _saltBefore = null!, _saltAfter = null!;

    /// <summary>input-hidden-output/batch; a width followed by "b" has a bias.</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "64-32-10/16";

    /// <summary>
    /// The shapes measured: the two, the scaling table (784-{128,256,512}-10 x batch {32,64,128}) when
    /// ZKML_SUMCHECK_SCALING=1, or 784-128-10 against 784-128b-10b (batch 64) when ZKML_SUMCHECK_BIAS=1.
    /// </summary>
    public static IEnumerable<string> Shapes() =>
        Environment.GetEnvironmentVariable("ZKML_SUMCHECK_SCALING") == "1"
            ? from width in new[] { 128, 256, 512 } from batch in new[] { 32, 64, 128 } select $"784-{width}-10/{batch}"
            : Environment.GetEnvironmentVariable("ZKML_SUMCHECK_BIAS") == "1" ? ["784-128-10/64", "784-128b-10b/64"]
            : ["64-32-10/16", "784-128-10/64"];

    [GlobalSetup]
    public void Setup()
    {
        // ZKML_SUMCHECK_SEED=n: every secret (salts, masks) from an INSECURE seeded source, so two builds' proofs compare
        // byte for byte (the setup prints the proof's SHA-256). The scope stays open for the process's measurements.
        if (ulong.TryParse(Environment.GetEnvironmentVariable("ZKML_SUMCHECK_SEED"), out ulong seeded)) ZkMl.Common.RandomSource.UseInsecureSeeded(seeded);
        _saltBefore = ZkMl.Common.RandomSource.Current.GetBytes(SumcheckStepProof.SaltBytes);
        _saltAfter = ZkMl.Common.RandomSource.Current.GetBytes(SumcheckStepProof.SaltBytes);
        var parts = Shape.Split('/');
        var sizes = parts[0].Split('-');
        _config = new QuantizedNetworkConfig(new NetworkDescription(int.Parse(sizes[0]),
            sizes.Skip(1).Select(w => new DenseLayer(int.Parse(w.TrimEnd('b')), w.EndsWith('b'))))) { BatchSize = int.Parse(parts[1]) };
        int inputs = _config.Network.InputSize, outputs = _config.Network.OutputSize;
        var rng = new Random(7);
        _data = new QuantizedDataset(inputs,
            [.. Enumerable.Range(0, DatasetRows * inputs).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), _config.FractionBits))],
            [.. Enumerable.Range(0, DatasetRows).Select(_ => rng.Next(outputs))]);
        var saltBytes = BatchMembership.NewSalts(DatasetRows);
        _salts = [.. Enumerable.Range(0, DatasetRows).Select(i => BatchMembership.ReadSalt(saltBytes.AsSpan(i * BatchMembership.SaltBytes, BatchMembership.SaltBytes)))];
        var leaves = new byte[DatasetRows][];
        Parallel.For(0, DatasetRows, i => leaves[i] = BatchMembership.Leaf(_config, _data.Row(i), _data.Labels[i], _salts[i]));
        _tree = BatchMembership.Tree(leaves);
        var seed = SHA256.HashData("sumcheck benchmark seed"u8);
        int[] batch = SeededBatchSchedule.Rows(seed, DatasetRows, _config.BatchSize, 0);
        _model = QuantizedNetwork.CreateInitial(_config, 42);
        _inputs = new long[_config.BatchSize * inputs];
        _labels = new int[_config.BatchSize];
        _data.GatherBatch(batch, _inputs, _labels);
        var after = _model.Clone();
        after.TrainStep(_inputs, _labels);
        _statement = new StepStatement([.. SHA256.HashData("contract"u8)], 0,
            [.. SumcheckStepProof.WeightsCommitment(_model, _saltBefore).Digest],
            [.. SumcheckStepProof.WeightsCommitment(after, _saltAfter).Digest],
            [.. _tree.Root], DatasetRows, [.. batch]);

        _proof = Prove(); // warm
        if (ZkMl.Common.RandomSource.IsInsecure) Console.WriteLine($"// {Shape}: seeded proof SHA-256 {Convert.ToHexString(SHA256.HashData(_proof))}");
        // ZKML_SUMCHECK_TRACED=n prints n traced proofs (default 1).
        int traced = int.TryParse(Environment.GetEnvironmentVariable("ZKML_SUMCHECK_TRACED"), out int n) && n > 0 ? n : 1;
        for (int t = 0; t < traced; t++)
            Console.WriteLine($"// {Shape}: proof {_proof.Length} bytes ({_proof.Length / 1024.0:F1} KiB), {SumcheckSoundness.ZeroKnowledgeBits(_config):F2} bits, {TracedProof()}");
        if (!Verify()) throw new InvalidOperationException("The benchmark's step proof does not verify.");
    }

    /// <summary>
    /// One proof traced by phase: each phase's own wall time (its duration less the time its children cover) and, in
    /// brackets, the cores it kept busy on average (the process's CPU time over the phase, less that over its children's
    /// span, over its own wall time). Children that run side by side (the chain's two commitments) are counted once
    /// by their parent, but each sums its own time, so phases that overlap count the overlap in both.
    /// </summary>
    private string TracedProof()
    {
        var phases = new ConcurrentDictionary<string, (double Wall, double Cpu)>();
        // Per running parent: its finished children's (start, end) in wall ms and in process CPU ms.
        var children = new ConcurrentDictionary<Activity, ConcurrentBag<(double Start, double End, double CpuStart, double CpuEnd)>>();
        var started = new ConcurrentDictionary<Activity, (double Wall, double Cpu)>();
        var roots = new ConcurrentBag<(double Start, double End, double CpuStart, double CpuEnd)>();
        var clock = Stopwatch.StartNew();
        double Now() => clock.Elapsed.TotalMilliseconds;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a => started[a] = (Now(), CpuMilliseconds()),
            ActivityStopped = a =>
            {
                var end = (Wall: Now(), Cpu: CpuMilliseconds());
                var start = started.TryRemove(a, out var at) ? at : end;
                var (innerWall, innerCpu) = children.TryRemove(a, out var bag) ? Covered(bag) : (0, 0);
                if (a.Parent is { } parent) children.GetOrAdd(parent, _ => []).Add((start.Wall, end.Wall, start.Cpu, end.Cpu));
                else roots.Add((start.Wall, end.Wall, start.Cpu, end.Cpu));
                double wall = end.Wall - start.Wall - innerWall, cpu = end.Cpu - start.Cpu - innerCpu;
                phases.AddOrUpdate(a.OperationName, (wall, cpu), (_, v) => (v.Wall + wall, v.Cpu + cpu));
            },
        };
        ActivitySource.AddActivityListener(listener);
        double cpu0 = CpuMilliseconds(), wall0 = Now();
        _proof = Prove();
        double total = Now() - wall0, totalCpu = CpuMilliseconds() - cpu0;
        listener.Dispose();
        static string Cores(double wall, double cpu) => wall > 0 ? $" ({cpu / wall:F1} cores)" : "";
        // Other: the time outside every phase (phases that overlap make the phases' sum exceed the rest).
        var (phaseWall, phaseCpu) = Covered(roots);
        double otherWall = total - phaseWall, otherCpu = totalCpu - phaseCpu;
        return $"one traced proof {total:F0} ms{Cores(total, totalCpu)}: " +
            string.Join(", ", phases.OrderByDescending(kv => kv.Value.Wall).Select(kv => $"{kv.Key} {kv.Value.Wall:F0} ms{Cores(kv.Value.Wall, kv.Value.Cpu)}")) +
            $", other {otherWall:F0} ms{Cores(otherWall, otherCpu)}";
    }

    /// <summary>The wall time the intervals cover together, and the process CPU time over those stretches.</summary>
    private static (double Wall, double Cpu) Covered(IEnumerable<(double Start, double End, double CpuStart, double CpuEnd)> intervals)
    {
        double wall = 0, cpu = 0;
        (double Start, double End, double CpuStart, double CpuEnd)? run = null;
        foreach (var i in intervals.OrderBy(i => i.Start))
        {
            if (run is { } r && i.Start <= r.End)
            {
                run = i.End > r.End ? (r.Start, i.End, r.CpuStart, i.CpuEnd) : r;
                continue;
            }
            if (run is { } done) (wall, cpu) = (wall + done.End - done.Start, cpu + done.CpuEnd - done.CpuStart);
            run = i;
        }
        if (run is { } last) (wall, cpu) = (wall + last.End - last.Start, cpu + last.CpuEnd - last.CpuStart);
        return (wall, cpu);
    }

    /// <summary>The process's CPU time (all threads) in milliseconds.</summary>
    private static double CpuMilliseconds() => ProcessCpuClock.Instance.IsAvailable
        ? ProcessCpuClock.Instance.GetTimestamp() / 1e6
        : Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>One step proof (as the backend's prover makes it: the batch rows hashed inside the proof).</summary>
    [Benchmark]
    public int ProveStep() => Prove().Length;

    /// <summary>Its verification.</summary>
    [Benchmark]
    public bool VerifyStep() => Verify();

    private byte[] Prove() =>
        SumcheckStepProof.Prove(_statement, _model, _inputs, _labels, _tree, [.. _statement.Rows.Select(r => _salts[r])], _saltBefore, _saltAfter);

    private bool Verify() => SumcheckStepProof.Verify(_statement, _config, _proof);
}
