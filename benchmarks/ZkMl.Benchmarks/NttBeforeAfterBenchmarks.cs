using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ZkMl.Benchmarks.Baseline;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// In-place NTTs (natural order, parallel over chunks) with the specialised paths (lazy Bn254Fr butterflies, AVX2
/// Goldilocks lanes) against the generic radix-2 path with the same scalar arithmetic (<see cref="PlainField{T}"/>),
/// side by side in one run so machine load hits both alike.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class NttBeforeAfterBenchmarks
{
    private Goldilocks[] _gl = [];
    private PlainField<Goldilocks>[] _glPlain = [];
    private Bn254Fr[] _fr = [];
    private PlainField<Bn254Fr>[] _frPlain = [];

    [Params(16, 20)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _gl = new Goldilocks[1 << LogSize];
        _fr = new Bn254Fr[1 << LogSize];
        for (int i = 0; i < _gl.Length; i++)
        {
            _gl[i] = Goldilocks.Random(rng);
            _fr[i] = Bn254Fr.Random(rng);
        }
        _glPlain = [.. _gl.Select(PlainField<Goldilocks>.From)];
        _frPlain = [.. _fr.Select(PlainField<Bn254Fr>.From)];
        // Build the twiddle tables outside the measurement.
        GoldilocksBefore();
        GoldilocksAfter();
        Bn254FrBefore();
        Bn254FrAfter();
        Bn254FrCosetReevaluateBefore();
        Bn254FrCosetReevaluateAfter();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Goldilocks")]
    public void GoldilocksBefore() => Ntt<PlainField<Goldilocks>>.Instance.Forward(_glPlain);

    [Benchmark, BenchmarkCategory("Goldilocks")]
    public void GoldilocksAfter() => Ntt<Goldilocks>.Instance.Forward(_gl);

    [Benchmark(Baseline = true), BenchmarkCategory("Bn254Fr")]
    public void Bn254FrBefore() => Ntt<PlainField<Bn254Fr>>.Instance.Forward(_frPlain);

    [Benchmark, BenchmarkCategory("Bn254Fr")]
    public void Bn254FrAfter() => Ntt<Bn254Fr>.Instance.Forward(_fr);

    /// <summary>The Groth16 quotient's step: evaluations on the subgroup to evaluations on the coset (DIF, scale, DIT).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Bn254FrCosetReevaluate")]
    public void Bn254FrCosetReevaluateBefore() => Ntt<PlainField<Bn254Fr>>.Instance.CosetReevaluate(_frPlain, PlainField<Bn254Fr>.MultiplicativeGenerator);

    [Benchmark, BenchmarkCategory("Bn254FrCosetReevaluate")]
    public void Bn254FrCosetReevaluateAfter() => Ntt<Bn254Fr>.Instance.CosetReevaluate(_fr, Bn254Fr.MultiplicativeGenerator);
}
