using System.Numerics;

namespace ZkMl.Models;

/// <summary>
/// How integer features become fixed-point inputs: a feature p with |p| &lt;= <see cref="Range"/> maps to
/// x = round(p * 2^f / Range), rounding half up: x = floor((2 p 2^f + Range) / (2 Range)). When Range is a power of two
/// 2^r with r &lt;= f this is exactly p &lt;&lt; (f - r) (digits: 0..16); otherwise it rounds (MNIST: 0..255).
/// </summary>
/// <param name="Range">The feature value that maps to 1.0, e.g. 16 for the digits' pixels, 255 for MNIST's.</param>
public sealed record InputQuantization(int Range)
{
    /// <summary>The digits data set's pixels, 0..16.</summary>
    public static InputQuantization Pixel16 { get; } = new(16);

    /// <summary>8-bit pixels, 0..255 (MNIST).</summary>
    public static InputQuantization Pixel255 { get; } = new(255);

    /// <summary>True when every feature maps exactly (Range is a power of two no larger than 2^f).</summary>
    public bool IsExact(int fractionBits) => BitOperations.IsPow2(Range) && BitOperations.Log2((uint)Range) <= fractionBits;

    /// <summary>The fixed-point input (scale 2^<paramref name="fractionBits"/>) of feature <paramref name="feature"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature lies outside [-Range, Range], or the parameters are out of range.</exception>
    public long Quantize(long feature, int fractionBits)
    {
        if (Range < 1) throw new ArgumentOutOfRangeException(nameof(Range), Range, "The range must be positive.");
        if (fractionBits < 0 || fractionBits > 40) throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits, "Must be in [0, 40].");
        if (feature < -Range || feature > Range)
            throw new ArgumentOutOfRangeException(nameof(feature), feature, $"Features must lie in [-{Range}, {Range}].");
        if (IsExact(fractionBits)) return feature << (fractionBits - BitOperations.Log2((uint)Range));
        // |p| < 2^31 and f <= 40: the numerator needs up to 73 bits.
        return (long)FloorDiv(((Int128)feature << (fractionBits + 1)) + Range, 2 * (Int128)Range);
    }

    private static Int128 FloorDiv(Int128 a, Int128 b)
    {
        Int128 q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
