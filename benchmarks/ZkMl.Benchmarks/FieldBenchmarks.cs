using BenchmarkDotNet.Attributes;
using ZkMl.Field;

namespace ZkMl.Benchmarks;

/// <summary>Field multiplication latency: a dependent chain (each product feeds the next), reported per multiply.</summary>
public class FieldMulBenchmarks
{
    private const int Chain = 1000;
    private Bn254Fr _fr, _frStep;
    private Bn254Fq _fq, _fqStep;
    private Goldilocks _gl, _glStep;
    private GoldilocksExt2 _ext, _extStep;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        (_fr, _frStep) = (Bn254Fr.Random(rng), Bn254Fr.Random(rng));
        (_fq, _fqStep) = (Bn254Fq.Random(rng), Bn254Fq.Random(rng));
        (_gl, _glStep) = (Goldilocks.Random(rng), Goldilocks.Random(rng));
        (_ext, _extStep) = (GoldilocksExt2.Random(rng), GoldilocksExt2.Random(rng));
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn254Fr Bn254FrMul()
    {
        Bn254Fr x = _fr, s = _frStep;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn254Fq Bn254FqMul()
    {
        Bn254Fq x = _fq, s = _fqStep;
        for (int i = 0; i < Chain; i++) x = Bn254Fq.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Goldilocks GoldilocksMul()
    {
        Goldilocks x = _gl, s = _glStep;
        for (int i = 0; i < Chain; i++) x = Goldilocks.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public GoldilocksExt2 GoldilocksExt2Mul()
    {
        GoldilocksExt2 x = _ext, s = _extStep;
        for (int i = 0; i < Chain; i++) x = GoldilocksExt2.Mul(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain)]
    public Bn254Fr Bn254FrAdd()
    {
        Bn254Fr x = _fr, s = _frStep;
        for (int i = 0; i < Chain; i++) x = Bn254Fr.Add(x, s);
        return x;
    }
}

/// <summary>In-place NTTs (natural order in and out, parallel over chunks) of 2^LogSize elements.</summary>
public class NttBenchmarks
{
    private Goldilocks[] _gl = [];
    private Bn254Fr[] _fr = [];

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
        // Build the twiddle tables outside the measurement.
        Ntt<Goldilocks>.Instance.Forward(_gl);
        Ntt<Bn254Fr>.Instance.Forward(_fr);
    }

    [Benchmark]
    public void GoldilocksForward() => Ntt<Goldilocks>.Instance.Forward(_gl);

    [Benchmark]
    public void GoldilocksForwardToBitReversed() => Ntt<Goldilocks>.Instance.ForwardToBitReversed(_gl);

    [Benchmark]
    public void Bn254FrForward() => Ntt<Bn254Fr>.Instance.Forward(_fr);

    [Benchmark]
    public void Bn254FrForwardToBitReversed() => Ntt<Bn254Fr>.Instance.ForwardToBitReversed(_fr);
}
