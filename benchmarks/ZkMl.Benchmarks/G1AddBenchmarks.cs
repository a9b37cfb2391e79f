using BenchmarkDotNet.Attributes;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Benchmarks;

/// <summary>
/// BN254 G1 group operations in Jacobian coordinates as dependent chains (each result feeds the next), reported per
/// operation: how the scalar Bn254Fq multiply shows up in curve arithmetic (issue #18's before/after of the product).
/// </summary>
public class G1AddBenchmarks
{
    private const int Chain = 1000;
    private G1Projective _acc, _step;
    private G1Affine _stepAffine;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        _acc = G1Affine.Generator.Multiply(Bn254Fr.Random(rng));
        _step = G1Affine.Generator.Multiply(Bn254Fr.Random(rng));
        _stepAffine = _step.ToAffine();
    }

    [Benchmark(OperationsPerInvoke = Chain, Description = "G1 add (Jacobian + Jacobian)")]
    public G1Projective Add()
    {
        G1Projective x = _acc, s = _step;
        for (int i = 0; i < Chain; i++) x = G1Projective.Add(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain, Description = "G1 mixed add (Jacobian + affine)")]
    public G1Projective AddMixed()
    {
        G1Projective x = _acc;
        G1Affine s = _stepAffine;
        for (int i = 0; i < Chain; i++) x = G1Projective.AddMixed(x, s);
        return x;
    }

    [Benchmark(OperationsPerInvoke = Chain, Description = "G1 double")]
    public G1Projective Double()
    {
        G1Projective x = _acc;
        for (int i = 0; i < Chain; i++) x = G1Projective.Double(x);
        return x;
    }
}
