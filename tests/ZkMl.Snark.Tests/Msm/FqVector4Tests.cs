using System.Numerics;
using System.Runtime.Intrinsics;
using FsCheck.Xunit;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>The AVX2 lane arithmetic behind the G1 MSM on CPUs without AVX-512, checked lane by lane (<see cref="LaneVectorChecks{TV}"/>).</summary>
public class FqVector4Tests
{
    private static FqVector4 FromValues(BigInteger[] values)
    {
        var limbs = new Vector256<ulong>[9];
        for (int j = 0; j < 9; j++)
        {
            var lane = new ulong[4];
            for (int k = 0; k < 4; k++) lane[k] = (ulong)((values[k] >> (29 * j)) & FqVector4.LimbMask);
            limbs[j] = Vector256.Create(lane);
        }
        return new FqVector4(limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5], limbs[6], limbs[7], limbs[8]);
    }

    /// <summary>Lane k's value; asserts limbs 0..7 are normalized.</summary>
    private static BigInteger Lane(FqVector4 a, int k)
    {
        Vector256<ulong>[] limbs = [a.L0, a.L1, a.L2, a.L3, a.L4, a.L5, a.L6, a.L7, a.L8];
        BigInteger value = 0;
        for (int j = 8; j >= 0; j--)
        {
            if (j < 8) Assert.True(limbs[j][k] <= FqVector4.LimbMask);
            value = (value << 29) + limbs[j][k];
        }
        return value;
    }

    [Property(MaxTest = 50)]
    public void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.MulIsMontgomeryProductBelowTwoP(seed, FromValues, Lane);
    }

    [Property(MaxTest = 50)]
    public void ToLimbsGivesTheCanonicalValue(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.ToLimbsGivesTheCanonicalValue(seed, FromValues);
    }

    [Property(MaxTest = 50)]
    public void AddAndSubtractAreExactModP(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.AddAndSubtractAreExact(seed, FromValues, Lane);
    }

    [Fact]
    public void EdgeValuesAreExact()
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.EdgeValuesAreExact(FromValues, Lane);
    }

    [Property(MaxTest = 50)]
    public void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.LoadAndStoreRoundTripThroughTheLaneForm(seed, Lane);
    }
}
