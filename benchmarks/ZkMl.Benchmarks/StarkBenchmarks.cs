using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using ZkMl.Training.Air;

namespace ZkMl.Benchmarks;

/// <summary>
/// Generic 8-column AIR used for STARK throughput numbers: a degree-2 mixing round
/// x_c' = x_c^2 + x_(c+1) + rc (rc periodic), plus boundary constraints on row 0.
/// </summary>
public sealed class GenericBenchmarkAir : Air
{
    public const int Width = 8;

    public GenericBenchmarkAir(int rows) : base("bench/generic-8", Width, rows, []) { }

    public override IReadOnlyList<PeriodicColumn> PeriodicColumns { get; } =
        [new("rc", Enumerable.Range(0, 16).Select(i => Goldilocks.FromUInt64((ulong)(i * 0x9E3779B9 + 1))).ToArray())];

    public override IReadOnlyList<BoundaryConstraint> BoundaryConstraints { get; } =
        Enumerable.Range(0, Width).Select(c => new BoundaryConstraint($"init{c}", c, 0, Goldilocks.FromUInt64((ulong)c + 1))).ToArray();

    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        ReadOnlySpan<TF> cur = b.Current, next = b.Next;
        for (int c = 0; c < Width; c++)
            b.AssertZero("mix", c, next[c] - (cur[c] * cur[c] + cur[(c + 1) % Width] + b.Periodic[0]));
    }

    public static Goldilocks[][] BuildTrace(int rows)
    {
        var t = new Goldilocks[Width][];
        for (int c = 0; c < Width; c++) { t[c] = new Goldilocks[rows]; t[c][0] = Goldilocks.FromUInt64((ulong)c + 1); }
        for (int i = 1; i < rows; i++)
        {
            var rc = Goldilocks.FromUInt64((ulong)((i - 1) % 16 * 0x9E3779B9 + 1));
            for (int c = 0; c < Width; c++)
            {
                var x = t[c][i - 1];
                t[c][i] = x * x + t[(c + 1) % Width][i - 1] + rc;
            }
        }
        return t;
    }
}

/// <summary>Prover and verifier time for the generic 8-column AIR at 2^16, 2^18, 2^20 rows (Secure100 parameters).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 2)]
public class StarkGenericBenchmarks
{
    private GenericBenchmarkAir _air = null!;
    private Goldilocks[][] _trace = null!;
    private byte[] _proof = null!;

    [Params(16, 18, 20)]
    public int LogRows { get; set; }

    [Params(false, true)]
    public bool ZeroKnowledge { get; set; }

    private StarkParameters Parameters => StarkParameters.Secure100 with { ZeroKnowledge = ZeroKnowledge };

    [GlobalSetup]
    public void Setup()
    {
        _air = new GenericBenchmarkAir(1 << LogRows);
        _trace = GenericBenchmarkAir.BuildTrace(1 << LogRows);
        var proof = StarkProver.Prove(_air, _trace, Parameters);
        _proof = proof.ToBytes();
        Console.WriteLine($"// {proof}; {(double)_air.TraceLength * GenericBenchmarkAir.Width:F0} cells");
    }

    [Benchmark]
    public int Prove() => StarkProver.Prove(_air, _trace, Parameters).TraceLength;

    [Benchmark]
    public bool Verify() => StarkVerifier.Verify(_air, _proof, Parameters);
}

/// <summary>Prover and verifier time and proof size for one SGD step of the 64-32-10 MLP with batch 16 (Secure100, zero knowledge).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class StarkTrainingStepBenchmarks
{
    private readonly QuantizedMlpConfig _config = new();
    private QuantizedMlp _net = null!;
    private long[] _inputs = null!;
    private int[] _labels = null!;
    private TrainingStepProof _proof = null!;
    private readonly TrainingStepSeeds _seeds = TrainingStepSeeds.CreateRandom();

    [GlobalSetup]
    public void Setup()
    {
        _net = QuantizedMlp.CreateInitial(_config, 1);
        var rng = new Random(1);
        _inputs = Enumerable.Range(0, _config.BatchSize * _config.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), _config.FractionBits)).ToArray();
        _labels = Enumerable.Range(0, _config.BatchSize).Select(_ => rng.Next(_config.OutputSize)).ToArray();
        _proof = TrainingStepStark.Prove(QuantizedNetworkConfig.FromMlp(_config), [.. _net.Weights1, .. _net.Weights2], _inputs, _labels, _seeds);
        Console.WriteLine($"// {_proof.Metadata}");
    }

    [Benchmark]
    public int Prove() => TrainingStepStark.Prove(QuantizedNetworkConfig.FromMlp(_config), [.. _net.Weights1, .. _net.Weights2], _inputs, _labels, _seeds).Proof.Length;

    [Benchmark]
    public bool Verify() => TrainingStepStark.Verify(QuantizedNetworkConfig.FromMlp(_config), _proof.Commitments, _proof.Proof);
}

/// <summary>Merkle node hash candidates: Blake3 (chosen) vs SHA-256 on a 64-byte node and a 144-byte leaf.</summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class StarkHashBenchmarks
{
    private readonly byte[] _node = new byte[64];
    private readonly byte[] _leaf = new byte[144];
    private readonly byte[] _out = new byte[32];

    [Benchmark(Baseline = true)]
    public byte Blake3Node() { Blake3.Hasher.Hash(_node, _out); return _out[0]; }

    [Benchmark]
    public byte Sha256Node() { System.Security.Cryptography.SHA256.HashData(_node, _out); return _out[0]; }

    [Benchmark]
    public byte Blake3Leaf144() { Blake3.Hasher.Hash(_leaf, _out); return _out[0]; }

    [Benchmark]
    public byte Sha256Leaf144() { System.Security.Cryptography.SHA256.HashData(_leaf, _out); return _out[0]; }
}
