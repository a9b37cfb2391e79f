using ZkMl.Field;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The witness of the step's ReLU: for Z (each entry already proven in ValueBits signed bits), the mask S = [Z &gt; 0] and
/// H = ReLU(Z) = S Z entrywise (S is the backward pass's mask), and the 16-bit limb tables of U = (2 S - 1) Z - S =
/// 2 H - Z - S: U is Z - 1 where S = 1 and -Z where S = 0, so U in [0, 2^B) forces Z &gt;= 1 or Z &lt;= 0 respectively.
/// The block itself is <see cref="ZeroCheck.Relu"/> (S boolean, H = S Z, U's recomposition; the limbs' range: the step's
/// shared lookup).
/// </summary>
internal static class ReluArgument
{
    /// <summary>The honest mask S = [z &gt; 0] and H = ReLU(z).</summary>
    internal static (long[] Mask, long[] Relu) Compute(ReadOnlySpan<long> z)
    {
        var s = new long[z.Length];
        var h = new long[z.Length];
        for (int i = 0; i < z.Length; i++)
        {
            s[i] = z[i] > 0 ? 1 : 0;
            h[i] = z[i] > 0 ? z[i] : 0;
        }
        return (s, h);
    }

    /// <summary>The limb tables of U = 2H - Z - S in [0, 2^B) (<see cref="RangeLimbs.Count"/> of them, each of Z's size).</summary>
    /// <exception cref="ArgumentOutOfRangeException">U is out of range (S, H are not Z's mask and ReLU).</exception>
    internal static Goldilocks[][] LimbTables(int valueBits, long[] zTable, long[] sTable, long[] hTable)
    {
        Check(valueBits);
        if (sTable.Length != zTable.Length || hTable.Length != zTable.Length) throw new ArgumentException("Z, S and H differ in length.");
        int size = zTable.Length;
        var limbs = new Goldilocks[RangeLimbs.Count(valueBits)][];
        for (int b = 0; b < limbs.Length; b++) limbs[b] = new Goldilocks[size];
        Span<long> scratch = stackalloc long[RangeLimbs.MaxBits / RangeLimbs.LimbBits + 2];
        for (int e = 0; e < size; e++)
        {
            RangeLimbs.Decompose(2 * hTable[e] - zTable[e] - sTable[e], valueBits, scratch);
            for (int b = 0; b < limbs.Length; b++) limbs[b][e] = Goldilocks.FromInt64(scratch[b]);
        }
        return limbs;
    }

    private static void Check(int valueBits)
    {
        if (valueBits < 2 || valueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(valueBits), valueBits, $"ValueBits takes 2..{RangeLimbs.MaxBits}.");
    }
}
