using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Snark.Msm;

/// <summary>Eight 64-bit lanes in AVX-512 registers: <see cref="ILaneOps{TVec}"/> for <see cref="FqVector8"/>'s product.</summary>
internal readonly struct Avx512Lanes : ILaneOps<Vector512<ulong>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Create(ulong x) => Vector512.Create(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MulEven(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.Multiply(x.AsUInt32(), y.AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Add(Vector512<ulong> x, Vector512<ulong> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> And(Vector512<ulong> x, Vector512<ulong> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> ShiftRight(Vector512<ulong> x, int count) => x >>> count;
}
