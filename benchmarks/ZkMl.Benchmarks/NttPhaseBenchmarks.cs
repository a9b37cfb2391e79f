using BenchmarkDotNet.Attributes;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>
/// The phases of a Bn254Fr NTT at one size (issue #18's 2^20 target): the natural-order transform, the transform alone
/// in each direction (no bit reversal), the bit-reversal pass alone, and the Groth16 quotient's coset step. Each
/// iteration first restores the input (the copy row measures that share).
/// </summary>
public class NttPhaseBenchmarks
{
    private Bn254Fr[] _source = [];
    private Bn254Fr[] _values = [];

    [Params(20)]
    public int LogSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _source = new Bn254Fr[1 << LogSize];
        for (int i = 0; i < _source.Length; i++) _source[i] = Bn254Fr.Random(rng);
        _values = new Bn254Fr[_source.Length];
        Forward(); // twiddle table outside the measurement
    }

    [Benchmark(Baseline = true)]
    public void CopyOnly() => _source.CopyTo(_values, 0);

    [Benchmark]
    public void Forward()
    {
        _source.CopyTo(_values, 0);
        Ntt<Bn254Fr>.Instance.Forward(_values);
    }

    [Benchmark]
    public void ForwardToBitReversed()
    {
        _source.CopyTo(_values, 0);
        Ntt<Bn254Fr>.Instance.ForwardToBitReversed(_values);
    }

    [Benchmark]
    public void InverseFromBitReversed()
    {
        _source.CopyTo(_values, 0);
        Ntt<Bn254Fr>.Instance.InverseFromBitReversed(_values);
    }

    [Benchmark]
    public void BitReversePermute()
    {
        _source.CopyTo(_values, 0);
        Ntt<Bn254Fr>.BitReversePermute(_values);
    }

    [Benchmark]
    public void CosetReevaluate()
    {
        _source.CopyTo(_values, 0);
        Ntt<Bn254Fr>.Instance.CosetReevaluate(_values, Bn254Fr.MultiplicativeGenerator);
    }
}
