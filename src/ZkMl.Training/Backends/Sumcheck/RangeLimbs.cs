using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Range checks of up to 48 bits through one 16-bit lookup table: a value v in [0, 2^k) is written as 16-bit limbs
/// l_0 .. l_{t-1} (t = ceil(k / 16), v = sum 2^(16 i) l_i), and when k is not a multiple of 16 one more limb
/// l_t = l_{t-1} + 2^16 - 2^(k - 16 (t - 1)), which lies in [0, 2^16) only if the top limb is below 2^(k - 16 (t - 1)).
/// With every limb in the table, sum 2^(16 i) l_i is an integer below 2^k &lt; p, so v is that integer.
/// </summary>
internal static class RangeLimbs
{
    internal const int LimbBits = 16;
    internal const int MaxBits = 48;

    private static readonly Lazy<LookupTable> s_table = new(() => LookupTable.Range(LimbBits));

    /// <summary>The 16-bit range table every limb is looked up in.</summary>
    internal static LookupTable Table => s_table.Value;

    /// <summary>Limbs a <paramref name="bits"/>-bit check uses.</summary>
    internal static int Count(int bits)
    {
        if (bits < 1 || bits > MaxBits) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"Range checks take 1..{MaxBits} bits.");
        return (bits + LimbBits - 1) / LimbBits + (bits % LimbBits == 0 ? 0 : 1);
    }

    /// <summary>The limbs of <paramref name="value"/> in [0, 2^bits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the range.</exception>
    internal static void Decompose(long value, int bits, Span<long> limbs)
    {
        if (value < 0 || value >= 1L << bits) throw new ArgumentOutOfRangeException(nameof(value), value, $"Not in [0, 2^{bits}).");
        int t = (bits + LimbBits - 1) / LimbBits;
        for (int i = 0; i < t; i++) limbs[i] = (value >> (LimbBits * i)) & ((1L << LimbBits) - 1);
        if (bits % LimbBits != 0) limbs[t] = limbs[t - 1] + (1L << LimbBits) - (1L << (bits - LimbBits * (t - 1)));
    }

    /// <summary>True when the limb values (evaluations of the limb tables at one point) recompose <paramref name="value"/>.</summary>
    internal static bool Recomposes(GoldilocksExt2 value, ReadOnlySpan<GoldilocksExt2> limbs, int bits)
    {
        int t = (bits + LimbBits - 1) / LimbBits;
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int i = t - 1; i >= 0; i--) sum = sum * Goldilocks.FromUInt64(1UL << LimbBits) + limbs[i];
        if (sum != value) return false;
        if (bits % LimbBits == 0) return true;
        Goldilocks shift = Goldilocks.FromUInt64((1UL << LimbBits) - (1UL << (bits - LimbBits * (t - 1))));
        return limbs[t] == limbs[t - 1] + shift;
    }
}
