using BenchmarkDotNet.Attributes;
using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Contract;

namespace ZkMl.Benchmarks;

/// <summary>
/// The quantized reference trainer on the sample's shape (64-32-10, batch 16, f = 10) and data, on the contract's seeded
/// batch schedule (as the training protocol uses it).
/// </summary>
[MemoryDiagnoser]
public class QuantizedTrainerBenchmarks
{
    private QuantizedDataset _train = null!, _test = null!;
    private IReadOnlyList<int[]> _epoch = null!;
    private QuantizedMlp _model = null!;
    private byte[] _seed = null!;
    private long[] _inputs = null!;
    private int[] _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = new QuantizedMlpConfig();
        string path = FindDigits();
        var (train, test) = DigitsDataset.Load(path).Split(1400, 42);
        _train = train.Quantize(config.FractionBits);
        _test = test.Quantize(config.FractionBits);
        _seed = SHA256.HashData("benchmark schedule seed"u8);
        _epoch = Enumerable.Range(0, SeededBatchSchedule.StepsPerEpoch(_train.Count, config.BatchSize))
            .Select(t => SeededBatchSchedule.Rows(_seed, _train.Count, config.BatchSize, t)).ToList();
        _model = QuantizedMlp.CreateInitial(config, 42);
        _inputs = new long[config.BatchSize * config.InputSize];
        _labels = new int[config.BatchSize];
        _train.GatherBatch(_epoch[0], _inputs, _labels);
    }

    /// <summary>One SGD step (forward, backward, update) on a batch of 16.</summary>
    [Benchmark]
    public void TrainStep() => _model.TrainStep(_inputs, _labels);

    /// <summary>One epoch: 87 steps over 1,400 rows.</summary>
    [Benchmark]
    public void TrainEpoch() => _model.Train(_train, _epoch);

    /// <summary>The rows of one step under the seeded schedule (O(batch) hashes, independent of the dataset size).</summary>
    [Benchmark]
    public int[] ScheduledRowsOfOneStep() => SeededBatchSchedule.Rows(_seed, _train.Count, _labels.Length, 40);

    /// <summary>Test accuracy over 397 rows.</summary>
    [Benchmark]
    public double TestAccuracy() => _model.Accuracy(_test);

    private static string FindDigits()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "ZkMl.Samples.Training", "data", "digits.csv.gz");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("samples/ZkMl.Samples.Training/data/digits.csv.gz");
    }
}
