using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

/// <summary>The 4x4 transpose of 64-bit lanes on AVX2 that the four-lane kernels use to turn rows into columns.</summary>
internal static class Avx2Transpose
{
    /// <summary>Rows v0..v3 of a 4x4 matrix of 64-bit values become its columns x0..x3 (the transform is its own inverse).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose(Vector256<ulong> v0, Vector256<ulong> v1, Vector256<ulong> v2, Vector256<ulong> v3,
        out Vector256<ulong> x0, out Vector256<ulong> x1, out Vector256<ulong> x2, out Vector256<ulong> x3)
    {
        var t0 = Avx2.UnpackLow(v0, v1);
        var t1 = Avx2.UnpackHigh(v0, v1);
        var t2 = Avx2.UnpackLow(v2, v3);
        var t3 = Avx2.UnpackHigh(v2, v3);
        x0 = Avx2.Permute2x128(t0, t2, 0x20);
        x1 = Avx2.Permute2x128(t1, t3, 0x20);
        x2 = Avx2.Permute2x128(t0, t2, 0x31);
        x3 = Avx2.Permute2x128(t1, t3, 0x31);
    }
}
