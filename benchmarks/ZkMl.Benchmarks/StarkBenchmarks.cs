using BenchmarkDotNet.Attributes;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Benchmarks;

/// <summary>
/// Generic 8-column AIR used for STARK throughput numbers: a degree-2 mixing round
/// x_c' = x_c^2 + x_(c+1) + rc (rc periodic), plus boundary constraints on row 0.
/// </summary>
public sealed class GenericBenchmarkAir : Air
{
    public const int Width = 8;

    public GenericBenchmarkAir(int rows) : base("bench/generic-8", Width, rows, []) { }

    public override IReadOnlyList<TransitionConstraint> TransitionConstraints { get; } =
        Enumerable.Range(0, Width).Select(c => new TransitionConstraint($"mix{c}", 2)).ToArray();

    public override IReadOnlyList<PeriodicColumn> PeriodicColumns { get; } =
        [new("rc", Enumerable.Range(0, 16).Select(i => Goldilocks.FromUInt64((ulong)(i * 0x9E3779B9 + 1))).ToArray())];

    public override IReadOnlyList<BoundaryConstraint> BoundaryConstraints { get; } =
        Enumerable.Range(0, Width).Select(c => new BoundaryConstraint($"init{c}", c, 0, Goldilocks.FromUInt64((ulong)c + 1))).ToArray();

    public override void EvaluateTransition<TF>(ReadOnlySpan<TF> cur, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> result)
    {
        for (int c = 0; c < Width; c++)
            result[c] = next[c] - (cur[c] * cur[c] + cur[(c + 1) % Width] + periodic[0]);
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

/// <summary>Prover and verifier time for the generic 8-column AIR at 2^16, 2^18, 2^20 rows.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
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
        Console.WriteLine($"// {proof}");
    }

    [Benchmark]
    public int Prove() => StarkProver.Prove(_air, _trace, Parameters).TraceLength;

    [Benchmark]
    public bool Verify() => StarkVerifier.Verify(_air, _proof, Parameters);
}
