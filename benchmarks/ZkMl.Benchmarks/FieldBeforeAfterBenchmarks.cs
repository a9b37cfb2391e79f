using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ZkMl.Benchmarks.Baseline;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// Bn254Fr arithmetic against its wave-1 code (<see cref="BaselineFr"/>) in the same run, so machine load hits both
/// sides alike: dependent chains, reported per operation. Inverse: the baseline's Pow goes through a BigInteger
/// exponent (one small allocation per call, well under 1 % of an inversion).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class FieldBeforeAfterBenchmarks
{
    private const int Chain = 1000;
    private Bn254Fr _x, _s;
    private BaselineFr _bx, _bs;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        (_x, _s) = (Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        _bx = BaselineFr.FromBigInteger(_x.ToBigInteger());
        _bs = BaselineFr.FromBigInteger(_s.ToBigInteger());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("Mul")]
    public BaselineFr MulBefore()
    {
        BaselineFr x = _bx, s = _bs;
        for (int i = 0; i < Chain; i++) x = BaselineFr.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("Mul")]
    public Bn254Fr MulAfter()
    {
        Bn254Fr x = _x, s = _s;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Mul(x, s);
        return x;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("Square")]
    public BaselineFr SquareBefore()
    {
        BaselineFr x = _bx;
        for (int i = 0; i < Chain; i++) x = BaselineFr.Square(x);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("Square")]
    public Bn254Fr SquareAfter()
    {
        Bn254Fr x = _x;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Square(x);
        return x;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Chain), BenchmarkCategory("Add")]
    public BaselineFr AddBefore()
    {
        BaselineFr x = _bx, s = _bs;
        for (int i = 0; i < Chain; i++) x = BaselineFr.Add(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain), BenchmarkCategory("Add")]
    public Bn254Fr AddAfter()
    {
        Bn254Fr x = _x, s = _s;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Add(x, s);
        return x;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Inverse")]
    public BaselineFr InverseBefore() => BaselineFr.Inverse(_bx);

    [Benchmark, BenchmarkCategory("Inverse")]
    public Bn254Fr InverseAfter() => Bn254Fr.Inverse(_x);
}
