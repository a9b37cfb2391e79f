using System.Globalization;
using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>
/// Signed integers embedded in a prime field: x &gt;= 0 is x, x &lt; 0 is p - |x|. Decoding treats values above
/// (p-1)/2 as negative.
/// </summary>
public static class SignedValues
{
    /// <summary>The field element representing <paramref name="value"/>.</summary>
    public static T FromInt64<T>(long value) where T : struct, IPrimeField<T> =>
        value >= 0 ? T.FromUInt64((ulong)value) : T.Neg(T.FromUInt64(unchecked((ulong)-(value + 1)) + 1));

    /// <summary>The signed integer represented by <paramref name="value"/>, in (-p/2, p/2].</summary>
    public static BigInteger ToBigInteger<T>(T value) where T : struct, IPrimeField<T>
    {
        var v = value.ToBigInteger();
        return v > T.Modulus / 2 ? v - T.Modulus : v;
    }

    /// <summary>The signed 64-bit integer represented by <paramref name="value"/>; throws <see cref="OverflowException"/> when it does not fit.</summary>
    public static long ToInt64<T>(T value) where T : struct, IPrimeField<T> => (long)ToBigInteger(value);

    /// <summary>The signed 64-bit integer represented by <paramref name="value"/>, when it fits.</summary>
    public static bool TryToInt64<T>(T value, out long result) where T : struct, IPrimeField<T>
    {
        var v = ToBigInteger(value);
        if (v >= long.MinValue && v <= long.MaxValue) { result = (long)v; return true; }
        result = 0;
        return false;
    }

    /// <summary>Decimal text, signed when the value is within 2^64 of 0 or p, otherwise canonical.</summary>
    public static string Format<T>(T value) where T : struct, IPrimeField<T>
    {
        var v = ToBigInteger(value);
        return BigInteger.Abs(v).GetBitLength() <= 64 ? v.ToString(CultureInfo.InvariantCulture) : value.ToBigInteger().ToString(CultureInfo.InvariantCulture);
    }
}
