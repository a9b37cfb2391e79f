using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// Goldilocks element-wise multiply and inner product over 4096 elements: the scalar loop (before) against
/// <see cref="GoldilocksBatch"/> (AVX2 lanes), reported per element.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class GoldilocksBatchBenchmarks
{
    private const int Length = 4096;
    private Goldilocks[] _a = [], _b = [], _d = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _a = [.. Enumerable.Range(0, Length).Select(_ => Goldilocks.Random(rng))];
        _b = [.. Enumerable.Range(0, Length).Select(_ => Goldilocks.Random(rng))];
        _d = new Goldilocks[Length];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Length), BenchmarkCategory("Multiply")]
    public void MultiplyScalar()
    {
        for (int i = 0; i < Length; i++) _d[i] = _a[i] * _b[i];
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("Multiply")]
    public void MultiplyBatch() => GoldilocksBatch.Multiply(_a, _b, _d);

    [Benchmark(Baseline = true, OperationsPerInvoke = Length), BenchmarkCategory("InnerProduct")]
    public Goldilocks InnerProductScalar()
    {
        Goldilocks sum = Goldilocks.Zero;
        for (int i = 0; i < Length; i++) sum += _a[i] * _b[i];
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("InnerProduct")]
    public Goldilocks InnerProductBatch() => GoldilocksBatch.InnerProduct(_a, _b);
}
