using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// Bn254Fr element-wise products over 4096 elements: the scalar loop (before) against
/// <see cref="Bn254FrBatch"/> (AVX2 + FMA, four lanes), reported per element.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class Bn254FrBatchBenchmarks
{
    private const int Length = 4096;
    private Bn254Fr[] _a = [], _b = [], _d = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        _a = [.. Enumerable.Range(0, Length).Select(_ => Bn254Fr.Random(rng))];
        _b = [.. Enumerable.Range(0, Length).Select(_ => Bn254Fr.Random(rng))];
        _d = new Bn254Fr[Length];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Length), BenchmarkCategory("Multiply")]
    public void MultiplyScalar()
    {
        for (int i = 0; i < Length; i++) _d[i] = _a[i] * _b[i];
    }

    [Benchmark(OperationsPerInvoke = Length), BenchmarkCategory("Multiply")]
    public void MultiplyBatch() => Bn254FrBatch.Multiply(_a, _b, _d);
}
