using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Snark.Msm;

/// <summary>Four 64-bit lanes in AVX2 registers: <see cref="ILaneOps{TVec}"/> for <see cref="FqVector4"/>'s product.</summary>
internal readonly struct Avx2Lanes : ILaneOps<Vector256<ulong>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Create(ulong x) => Vector256.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> MulEven(Vector256<ulong> x, Vector256<ulong> y) => Avx2.Multiply(x.AsUInt32(), y.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> Add(Vector256<ulong> x, Vector256<ulong> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> And(Vector256<ulong> x, Vector256<ulong> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> ShiftRight(Vector256<ulong> x, int count) => x >>> count;
}
