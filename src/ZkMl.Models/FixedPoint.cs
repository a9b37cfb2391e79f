namespace ZkMl.Models;

/// <summary>Fixed-point primitives shared by the reference trainer and the circuits (see docs/fixed-point.md).</summary>
public static class FixedPoint
{
    /// <summary>Largest pixel value of the digits data set.</summary>
    public const int MaxPixel = 16;

    /// <summary>
    /// Rescale_k(v) = floor((v + 2^(k-1)) / 2^k) (round half up, floor also for negatives), with remainder
    /// r = v + 2^(k-1) - q * 2^k in [0, 2^k). For k = 0 the quotient is v and the remainder 0.
    /// Does not range-check the quotient; see <see cref="CheckRange(long, int, string)"/>.
    /// </summary>
    public static long Rescale(long value, int shift, out long remainder)
    {
        if ((uint)shift > 62) throw new ArgumentOutOfRangeException(nameof(shift));
        long half = shift == 0 ? 0 : 1L << (shift - 1);
        long shifted = checked(value + half);
        long quotient = shifted >> shift;
        remainder = shifted - (quotient << shift);
        return quotient;
    }

    /// <summary>128-bit <see cref="Rescale(long, int, out long)"/> for wide intermediates (e.g. summed gradients).</summary>
    public static Int128 Rescale(Int128 value, int shift, out long remainder)
    {
        if ((uint)shift > 62) throw new ArgumentOutOfRangeException(nameof(shift));
        Int128 half = shift == 0 ? Int128.Zero : (Int128)1 << (shift - 1);
        Int128 shifted = value + half;
        Int128 quotient = shifted >> shift;
        remainder = (long)(shifted - (quotient << shift));
        return quotient;
    }

    /// <summary>True when <paramref name="value"/> lies in [-2^(bits-1), 2^(bits-1)).</summary>
    public static bool FitsSigned(Int128 value, int bits) =>
        value >= -((Int128)1 << (bits - 1)) && value < ((Int128)1 << (bits - 1));

    /// <summary>Returns <paramref name="value"/> as a long, or throws <see cref="FixedPointOverflowException"/> naming <paramref name="quantity"/> if it does not fit in <paramref name="bits"/> signed bits.</summary>
    public static long CheckRange(Int128 value, int bits, string quantity) =>
        FitsSigned(value, bits) ? (long)value : throw new FixedPointOverflowException(quantity, value, bits);

    /// <summary>Returns <paramref name="value"/>, or throws <see cref="FixedPointOverflowException"/> if it does not fit in <paramref name="bits"/> signed bits.</summary>
    public static long CheckRange(long value, int bits, string quantity)
    {
        long bound = 1L << (bits - 1);
        return value >= -bound && value < bound ? value : throw new FixedPointOverflowException(quantity, value, bits);
    }

    /// <summary>Quantizes a pixel p in 0..16 to p * 2^f / 16 = p &lt;&lt; (f - 4), exact for f &gt;= 4.</summary>
    public static long QuantizePixel(int pixel, int fractionBits)
    {
        if ((uint)pixel > MaxPixel) throw new ArgumentOutOfRangeException(nameof(pixel), pixel, "Pixels must be in 0..16.");
        if (fractionBits < 4 || fractionBits > 62) throw new ArgumentOutOfRangeException(nameof(fractionBits));
        return (long)pixel << (fractionBits - 4);
    }

    /// <summary>The training target for output <paramref name="index"/>: 2^f for the label, 0 otherwise.</summary>
    public static long Target(int index, int label, int fractionBits) => index == label ? 1L << fractionBits : 0;
}
