using System.Runtime.Intrinsics;

namespace ZkMl.Field.Tests;

/// <summary>The AVX2 Goldilocks lanes agree bit for bit with the scalar field (skipped without AVX2).</summary>
public sealed class GoldilocksVector256Tests : GoldilocksLaneTests
{
    private protected override int Lanes => GoldilocksVector256.Lanes;

    private protected override bool IsSupported => GoldilocksVector256.IsSupported;

    private protected override (ulong[] Mul, ulong[] Add, ulong[] Sub) Apply(ulong[] a, ulong[] b)
    {
        var (va, vb) = (Vector256.Create(a), Vector256.Create(b));
        return (ToArray(GoldilocksVector256.Mul(va, vb)), ToArray(GoldilocksVector256.Add(va, vb)), ToArray(GoldilocksVector256.Sub(va, vb)));
    }

    private static ulong[] ToArray(Vector256<ulong> v)
    {
        var lanes = new ulong[Vector256<ulong>.Count];
        v.CopyTo(lanes);
        return lanes;
    }

    private protected override void ScaleByPowers(ulong[] values, Goldilocks factor, Goldilocks ratio) => GoldilocksVector256.ScaleByPowers(values, factor, ratio);
}
