using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The witness of a layer's bias added to its product, Y = X + u b^T for padded tables Y, X [rows x columns] and
/// b [columns], with u the indicator of the first <c>realRows</c> rows (the batch; the padded rows stay zero), and every
/// Y in ValueBits signed bits. Since adding a multiple of 2^f commutes with the floor, Rescale_f(W h + 2^f b) =
/// Rescale_f(W h) + b: with X = Rescale_f(H W^T) this is the reference's z (docs/fixed-point.md). The block itself is
/// <see cref="ZeroCheck.BiasAddition"/> (the limbs of Y + 2^(B-1), <see cref="DifferenceArgument.LimbTables"/>, in the
/// step's stack, their range proven by the step's shared lookup).
/// </summary>
internal static class BiasAddition
{
    /// <summary>Y = X + u b^T for a padded X [. x b.Length] whose first <paramref name="realRows"/> rows are real.</summary>
    /// <exception cref="FixedPointOverflowException">A Y entry leaves <paramref name="valueBits"/> signed bits.</exception>
    internal static long[] Compute(long[] x, long[] b, int realRows, int valueBits, string name)
    {
        int columns = b.Length;
        var y = (long[])x.Clone();
        for (int i = 0; i < realRows; i++)
            for (int j = 0; j < columns; j++)
                y[i * columns + j] = FixedPoint.CheckRange(x[i * columns + j] + b[j], valueBits, $"{name}[{j}] of sample {i}");
        return y;
    }
}
