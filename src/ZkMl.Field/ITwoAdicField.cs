using System.Numerics;

namespace ZkMl.Field;

/// <summary>A prime field whose multiplicative group has a large power-of-two subgroup, so radix-2 NTTs exist.</summary>
public interface ITwoAdicField<T> : IPrimeField<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The largest s with 2^s | p - 1.</summary>
    static abstract int TwoAdicity { get; }
    /// <summary>A generator of the whole multiplicative group (used as the default coset shift).</summary>
    static abstract T MultiplicativeGenerator { get; }
    /// <summary>A primitive 2^<paramref name="logN"/>-th root of unity, consistent across sizes: RootOfUnity(k)^2 = RootOfUnity(k-1).</summary>
    static abstract T RootOfUnity(int logN);
}
