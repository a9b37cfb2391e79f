using BenchmarkDotNet.Attributes;
using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Benchmarks;

/// <summary>
/// Matrix-product sumcheck prover at the first layer of a 784-128-10 network with batch 128 (A: 128 x 784,
/// B: 784 x 64): contracting A and B with the eq tables plus a 10-round two-factor sumcheck.
/// </summary>
[MemoryDiagnoser]
public class MatrixProductSumcheckBenchmarks
{
    private static readonly MatrixShape Shape = new(128, 784, 64);
    private Goldilocks[] _a = [], _b = [];
    private GoldilocksExt2[] _rowPoint = [], _columnPoint = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _a = Enumerable.Range(0, Shape.Rows * Shape.Inner).Select(_ => Goldilocks.Random(rng)).ToArray();
        _b = Enumerable.Range(0, Shape.Inner * Shape.Columns).Select(_ => Goldilocks.Random(rng)).ToArray();
        _rowPoint = Enumerable.Range(0, Shape.RowVariables).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
        _columnPoint = Enumerable.Range(0, Shape.ColumnVariables).Select(_ => GoldilocksExt2.Random(rng)).ToArray();
    }

    [Benchmark]
    public SumcheckProverResult Prove128x784x64() =>
        MatrixProductSumcheck.Prove(new Transcript("bench", [1]), Shape, _a, _b, _rowPoint, _columnPoint);
}

/// <summary>Plain sumcheck of a product of <see cref="Factors"/> base-field multilinears in 20 variables.</summary>
[MemoryDiagnoser]
public class ProductSumcheckBenchmarks
{
    private const int Variables = 20;
    private Goldilocks[][] _factors = [];

    [Params(2, 3)]
    public int Factors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _factors = Enumerable.Range(0, Factors)
            .Select(_ => Enumerable.Range(0, 1 << Variables).Select(_ => Goldilocks.Random(rng)).ToArray()).ToArray();
    }

    [Benchmark]
    public SumcheckProverResult ProveN20() => ProductSumcheck.Prove(new Transcript("bench", [2]), _factors);
}
