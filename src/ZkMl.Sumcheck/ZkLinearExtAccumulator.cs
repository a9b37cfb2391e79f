using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// An unreduced sum of extension products (X^2 = 7): a0 b0, a1 b1 and the cross terms kept apart in
/// <see cref="ZkLinearAccumulator"/>s and reduced once, C0 = S00 + 7 S11, C1 = S01. Exact, so any order or split of the
/// terms gives the same field element; fewer than 2^31 products per sum.
/// </summary>
internal struct ZkLinearExtAccumulator
{
    private ZkLinearAccumulator _00, _11, _01;

    /// <summary>Adds a b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in GoldilocksExt2 a, in GoldilocksExt2 b)
    {
        ulong a0 = a.C0.Value, a1 = a.C1.Value, b0 = b.C0.Value, b1 = b.C1.Value;
        _00.Add(a0, b0);
        _11.Add(a1, b1);
        _01.Add(a0, b1);
        _01.Add(a1, b0);
    }

    /// <summary>Adds a b for a base-field b (two products).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddBase(in GoldilocksExt2 a, Goldilocks b)
    {
        ulong value = b.Value;
        _00.Add(a.C0.Value, value);
        _01.Add(a.C1.Value, value);
    }

    /// <summary>The sum.</summary>
    public readonly GoldilocksExt2 Value => new(_00.Value + Seven * _11.Value, _01.Value);

    private static readonly Goldilocks Seven = Goldilocks.FromUInt64(7);
}
