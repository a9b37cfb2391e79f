using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>A 256-bit value as four little-endian 64-bit limbs (a BN254 field element in Montgomery form on the device).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct U256 : IEquatable<U256>
{
    public ulong L0, L1, L2, L3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256(ulong l0, ulong l1, ulong l2, ulong l3) { L0 = l0; L1 = l1; L2 = l2; L3 = l3; }

    public readonly bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (L0 | L1 | L2 | L3) == 0;
    }

    public readonly bool Equals(U256 other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3;
    public override readonly bool Equals(object? obj) => obj is U256 u && Equals(u);
    public override readonly int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);
    public override readonly string ToString() => $"{L3:x16}{L2:x16}{L1:x16}{L0:x16}";
}
