using ZkMl.Field;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The limbs of a difference block of the step, Y = X1 - X2 entrywise with every Y in ValueBits signed bits when
/// ValueBits &gt; 0 (the update W' = W - Delta with W' in B bits; the output error E = Z2 - T unchecked): the 16-bit limb
/// tables of Y + 2^(B-1), stacked by the step, their range proven by its shared lookup. The block itself is
/// <see cref="ZeroCheck.Difference"/>.
/// </summary>
internal static class DifferenceArgument
{
    /// <summary>The limb tables of Y + 2^(B-1) (<see cref="RangeLimbs.Count"/> of them, each of Y's size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A Y entry leaves the range.</exception>
    internal static Goldilocks[][] LimbTables(int valueBits, long[] yTable)
    {
        Check(valueBits);
        if (valueBits == 0) throw new ArgumentOutOfRangeException(nameof(valueBits), "An unchecked difference has no limbs.");
        int size = yTable.Length;
        var limbs = new Goldilocks[RangeLimbs.Count(valueBits)][];
        for (int b = 0; b < limbs.Length; b++) limbs[b] = new Goldilocks[size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        for (int e = 0; e < size; e++)
        {
            RangeLimbs.Decompose(yTable[e] + (1L << (valueBits - 1)), valueBits, scratch);
            for (int b = 0; b < limbs.Length; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
        }
        return limbs;
    }

    private static void Check(int valueBits)
    {
        if (valueBits < 0 || valueBits == 1 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 0 (unchecked) or 2..{RangeLimbs.MaxBits}.");
    }
}
