using System.Runtime.Intrinsics;

namespace ZkMl.Field.Tests;

/// <summary>The AVX-512 Goldilocks lanes (masked fixes, unsigned-min reduction) agree bit for bit with the scalar field (skipped without AVX-512).</summary>
public sealed class GoldilocksVector512Tests : GoldilocksLaneTests
{
    private protected override int Lanes => GoldilocksVector.Lanes;

    private protected override bool IsSupported => GoldilocksVector.IsSupported;

    private protected override (ulong[] Mul, ulong[] Add, ulong[] Sub) Apply(ulong[] a, ulong[] b)
    {
        var (va, vb) = (Vector512.Create(a), Vector512.Create(b));
        return (ToArray(GoldilocksVector.Mul(va, vb)), ToArray(GoldilocksVector.Add(va, vb)), ToArray(GoldilocksVector.Sub(va, vb)));
    }

    private static ulong[] ToArray(Vector512<ulong> v)
    {
        var lanes = new ulong[Vector512<ulong>.Count];
        v.CopyTo(lanes);
        return lanes;
    }

    private protected override void ScaleByPowers(ulong[] values, Goldilocks factor, Goldilocks ratio) => GoldilocksVector.ScaleByPowers(values, factor, ratio);
}
