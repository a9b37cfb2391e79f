using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>Scalar conversions to little-endian 64-bit limbs of the canonical integer.</summary>
internal static class Scalars
{
    public static void ToLimbs(in Bn254Fr k, Span<ulong> limbs)
    {
        k.GetCanonicalLimbs(out limbs[0], out limbs[1], out limbs[2], out limbs[3]);
    }

    public static ulong[] ToLimbs(BigInteger k)
    {
        if (k.Sign < 0) throw new ArgumentOutOfRangeException(nameof(k), "Scalar must be non-negative.");
        var bytes = k.ToByteArray(isUnsigned: true, isBigEndian: false);
        var limbs = new ulong[Math.Max(1, (bytes.Length + 7) / 8)];
        for (int i = 0; i < bytes.Length; i++) limbs[i >> 3] |= (ulong)bytes[i] << (8 * (i & 7));
        return limbs;
    }
}
