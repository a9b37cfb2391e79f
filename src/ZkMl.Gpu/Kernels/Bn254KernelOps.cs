using System.Runtime.CompilerServices;

namespace ZkMl.Gpu.Kernels;

/// <summary>BN254 scalar field Fr in Montgomery form (R = 2^256), usable in kernels.</summary>
internal readonly struct FrKernelOps : IKernelField<U256>
{
    public const ulong P0 = 0x43e1f593f0000001UL, P1 = 0x2833e84879b97091UL, P2 = 0xb85045b68181585dUL, P3 = 0x30644e72e131a029UL;
    public const ulong PInv = 0xc2e1f593efffffffUL;

    public U256 One => new(0xac96341c4ffffffbUL, 0x36fc76959f60cd29UL, 0x666ea36f7879462eUL, 0x0e0a77c19a07df2fUL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Add(U256 a, U256 b) => Mont256.Add(a, b, P0, P1, P2, P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Sub(U256 a, U256 b) => Mont256.Sub(a, b, P0, P1, P2, P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Mul(U256 a, U256 b) => Mont256.Mul(a, b, P0, P1, P2, P3, PInv);

    /// <summary>Montgomery form to the canonical integer (multiply by 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 FromMontgomery(U256 a) => Mont256.Mul(a, new U256(1, 0, 0, 0), P0, P1, P2, P3, PInv);
}

/// <summary>BN254 base field Fq in Montgomery form (R = 2^256), usable in kernels.</summary>
internal readonly struct FqKernelOps : IKernelField<U256>
{
    public const ulong P0 = 0x3c208c16d87cfd47UL, P1 = 0x97816a916871ca8dUL, P2 = 0xb85045b68181585dUL, P3 = 0x30644e72e131a029UL;
    public const ulong PInv = 0x87d20782e4866389UL;

    public U256 One => new(0xd35d438dc58f0d9dUL, 0x0a78eb28f5c70b3dUL, 0x666ea36f7879462cUL, 0x0e0a77c19a07df2fUL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Add(U256 a, U256 b) => Mont256.Add(a, b, P0, P1, P2, P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Sub(U256 a, U256 b) => Mont256.Sub(a, b, P0, P1, P2, P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Mul(U256 a, U256 b) => Mont256.Mul(a, b, P0, P1, P2, P3, PInv);
}

/// <summary>Fq with the Montgomery product compiled as a call rather than inlined (smaller kernels, faster ILGPU compiles).</summary>
internal readonly struct FqKernelOpsOutlined : IKernelField<U256>
{
    public U256 One => default(FqKernelOps).One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Add(U256 a, U256 b) => Mont256.Add(a, b, FqKernelOps.P0, FqKernelOps.P1, FqKernelOps.P2, FqKernelOps.P3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public U256 Sub(U256 a, U256 b) => Mont256.Sub(a, b, FqKernelOps.P0, FqKernelOps.P1, FqKernelOps.P2, FqKernelOps.P3);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public U256 Mul(U256 a, U256 b) => Mont256.Mul(a, b, FqKernelOps.P0, FqKernelOps.P1, FqKernelOps.P2, FqKernelOps.P3, FqKernelOps.PInv);
}
