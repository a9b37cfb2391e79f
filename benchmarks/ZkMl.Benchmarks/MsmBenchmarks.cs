using BenchmarkDotNet.Attributes;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Msm;

namespace ZkMl.Benchmarks;

/// <summary>
/// CPU Pippenger MSM on BN254 G1/G2: full-size random scalars, and the small signed values typical of NN witnesses.
/// Bases are distinct random subgroup points (an arithmetic progression of a random point).
/// </summary>
[MemoryDiagnoser]
public class MsmBenchmarks
{
    [Params(1 << 12, 1 << 16)]
    public int N;

    private G1Affine[] _g1 = [];
    private G2Affine[] _g2 = [];
    private Bn254Fr[] _full = [];
    private Bn254Fr[] _small = [];
    private readonly PippengerMsm _msm = PippengerMsm.Default;
    private readonly PippengerMsm _noGlv = new() { UseEndomorphism = false };

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _g1 = new G1Affine[N];
        var proj = new G1Projective[N];
        var acc = G1Affine.Generator.Multiply(Bn254Fr.Random(rng));
        var step = G1Affine.Generator.Multiply(Bn254Fr.Random(rng));
        for (int i = 0; i < N; i++) { proj[i] = acc; acc += step; }
        G1Projective.BatchToAffine(proj, _g1);

        int n2 = N / 16;
        _g2 = new G2Affine[n2];
        var proj2 = new G2Projective[n2];
        var acc2 = G2Affine.Generator.Multiply(Bn254Fr.Random(rng));
        var step2 = G2Affine.Generator.Multiply(Bn254Fr.Random(rng));
        for (int i = 0; i < n2; i++) { proj2[i] = acc2; acc2 += step2; }
        G2Projective.BatchToAffine(proj2, _g2);

        _full = new Bn254Fr[N];
        _small = new Bn254Fr[N];
        for (int i = 0; i < N; i++)
        {
            _full[i] = Bn254Fr.Random(rng);
            long v = rng.Next(-(1 << 20), 1 << 20); // 21-bit signed values, as in quantized NN witnesses
            _small[i] = v >= 0 ? Bn254Fr.FromUInt64((ulong)v) : -Bn254Fr.FromUInt64((ulong)-v);
        }
    }

    /// <summary>The inputs <see cref="Setup"/> built, for the window sweep (<see cref="MsmWindowSweep"/>).</summary>
    internal (G1Affine[] G1, G2Affine[] G2, Bn254Fr[] Full, Bn254Fr[] Small) Inputs => (_g1, _g2, _full, _small);

    [Benchmark(Description = "G1 MSM, random 254-bit scalars")]
    public G1Projective G1Full() => _msm.Compute(_g1, _full);

    [Benchmark(Description = "G1 MSM, random 254-bit scalars, no GLV")]
    public G1Projective G1FullNoGlv() => _noGlv.Compute(_g1, _full);

    [Benchmark(Description = "G1 MSM, signed 21-bit scalars")]
    public G1Projective G1Small() => _msm.Compute(_g1, _small);

    [Benchmark(Description = "G2 MSM (N/16 points), random 254-bit scalars")]
    public G2Projective G2Full() => _msm.Compute(_g2, _full.AsSpan(0, _g2.Length));
}

/// <summary>Pairing and scalar multiplication costs on BN254.</summary>
[MemoryDiagnoser]
public class PairingBenchmarks
{
    private G1Affine[] _p = [];
    private G2Affine[] _q = [];
    private Bn254Fr _k;
    private Fq12 _miller;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _p = new G1Affine[4];
        _q = new G2Affine[4];
        for (int i = 0; i < 4; i++)
        {
            _p[i] = G1Affine.Generator.Multiply(Bn254Fr.Random(rng)).ToAffine();
            _q[i] = G2Affine.Generator.Multiply(Bn254Fr.Random(rng)).ToAffine();
        }
        _k = Bn254Fr.Random(rng);
        _miller = Pairing.MillerLoop(_p.AsSpan(0, 1), _q.AsSpan(0, 1));
    }

    [Benchmark(Description = "Pairing e(P, Q)")]
    public Fq12 Pair() => Pairing.Pair(_p[0], _q[0]);

    [Benchmark(Description = "Miller loop (1 pair)")]
    public Fq12 MillerLoop() => Pairing.MillerLoop(_p.AsSpan(0, 1), _q.AsSpan(0, 1));

    [Benchmark(Description = "Final exponentiation")]
    public Fq12 FinalExponentiation() => Pairing.FinalExponentiation(_miller);

    [Benchmark(Description = "Product of 4 pairings is one (Groth16 verify)")]
    public bool MultiPairing4() => Pairing.PairingProductIsOne(_p, _q);

    [Benchmark(Description = "G1 scalar mul, variable time")]
    public G1Projective G1Mul() => _p[0].Multiply(_k);

    [Benchmark(Description = "G1 scalar mul, constant time")]
    public G1Projective G1MulConstantTime() => _p[0].ToProjective().MultiplyConstantTime(_k);

    [Benchmark(Description = "G2 scalar mul, variable time")]
    public G2Projective G2Mul() => _q[0].Multiply(_k);

    [Benchmark(Description = "G2 subgroup check (psi)")]
    public bool G2SubgroupCheck() => _q[0].IsInSubgroup;
}
