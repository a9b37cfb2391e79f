using FsCheck.Xunit;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>The AVX2 lane arithmetic behind the G1 and G2 MSMs on CPUs without AVX-512, checked lane by lane (<see cref="LaneVectorChecks{TV}"/>).</summary>
public class FqVector4Tests
{
    [Property(MaxTest = 50)]
    public void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.MulIsMontgomeryProductBelowTwoP(seed);
    }

    [Property(MaxTest = 50)]
    public void ToLimbsGivesTheCanonicalValue(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.ToLimbsGivesTheCanonicalValue(seed);
    }

    [Property(MaxTest = 50)]
    public void AddAndSubtractAreExactModP(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.AddAndSubtractAreExact(seed);
    }

    [Fact]
    public void EdgeValuesAreExact()
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.EdgeValuesAreExact();
    }

    [Property(MaxTest = 50)]
    public void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.LoadAndStoreRoundTripThroughTheLaneForm(seed);
    }
}
