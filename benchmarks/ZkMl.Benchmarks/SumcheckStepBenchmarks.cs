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
    private readonly byte[] _saltBefore = RandomNumberGenerator.GetBytes(SumcheckStepProof.SaltBytes), _saltAfter = RandomNumberGenerator.GetBytes(SumcheckStepProof.SaltBytes);

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
        var phases = new ConcurrentDictionary<string, double>();
        var children = new ConcurrentDictionary<Activity, double>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SumcheckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                // Phases nest (a lookup runs sumchecks, a block commits): count each phase's own time, not its children's.
                double own = a.Duration.TotalMilliseconds - children.GetValueOrDefault(a, 0);
                if (a.Parent is { } parent) children.AddOrUpdate(parent, a.Duration.TotalMilliseconds, (_, v) => v + a.Duration.TotalMilliseconds);
                phases.AddOrUpdate(a.OperationName, own, (_, v) => v + own);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var clock = Stopwatch.StartNew();
        _proof = Prove();
        double total = clock.Elapsed.TotalMilliseconds;
        listener.Dispose();
        if (!Verify()) throw new InvalidOperationException("The benchmark's step proof does not verify.");
        Console.WriteLine($"// {Shape}: proof {_proof.Length} bytes ({_proof.Length / 1024.0:F1} KiB), {SumcheckSoundness.ZeroKnowledgeBits(_config):F2} bits, " +
            $"one traced proof {total:F0} ms: " + string.Join(", ", phases.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:F0} ms")) +
            $", other {total - phases.Values.Sum():F0} ms");
    }

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
