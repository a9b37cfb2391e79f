using System.Numerics;

namespace ZkMl.Common;

/// <summary>Conversions between integers and little-endian 64-bit limbs.</summary>
public static class Limbs
{
    /// <summary>The little-endian 64-bit limbs of a non-negative integer (at least one limb).</summary>
    public static ulong[] FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "The integer must be non-negative.");
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        var limbs = new ulong[Math.Max(1, (bytes.Length + 7) / 8)];
        for (int i = 0; i < bytes.Length; i++) limbs[i >> 3] |= (ulong)bytes[i] << (8 * (i & 7));
        return limbs;
    }
}
