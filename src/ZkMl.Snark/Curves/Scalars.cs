using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>Scalar conversions to little-endian 64-bit limbs of the canonical integer.</summary>
internal static class Scalars
{
    public static void ToLimbs(in Bn254Fr k, Span<ulong> limbs)
    {
        k.GetCanonicalLimbs(out limbs[0], out limbs[1], out limbs[2], out limbs[3]);
    }
}
