using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// The Groth16 quotient's move of one polynomial from its evaluations on the rows to the odd coset of the 2n-domain:
/// Inverse then CosetForward (before: two bit-reversal passes, two scaling passes) against CosetReevaluate, same run.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams), CategoriesColumn]
public class QuotientNttBenchmarks
{
    private Bn254Fr[] _values = [];
    private Bn254Fr _shift;

    [Params(15, 17, 20)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _values = new Bn254Fr[1 << LogSize];
        for (int i = 0; i < _values.Length; i++) _values[i] = Bn254Fr.Random(rng);
        _shift = Bn254Fr.RootOfUnity(LogSize + 1);
        // Twiddles and the scaling table are built outside the measurement, as in a prover that has run once.
        InverseThenCosetForward();
        CosetReevaluate();
    }

    [Benchmark(Baseline = true)]
    public void InverseThenCosetForward()
    {
        Ntt<Bn254Fr>.Instance.Inverse(_values);
        Ntt<Bn254Fr>.Instance.CosetForward(_values, _shift);
    }

    [Benchmark]
    public void CosetReevaluate() => Ntt<Bn254Fr>.Instance.CosetReevaluate(_values, _shift);
}
