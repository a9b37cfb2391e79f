using FsCheck.Xunit;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>The AVX-512 lane arithmetic behind the G1 and G2 MSMs, checked lane by lane (<see cref="LaneVectorChecks{TV}"/>).</summary>
public class FqVector8Tests
{
    [Property(MaxTest = 50)]
    public void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.MulIsMontgomeryProductBelowTwoP(seed);
    }

    [Property(MaxTest = 50)]
    public void ToLimbsGivesTheCanonicalValue(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.ToLimbsGivesTheCanonicalValue(seed);
    }

    [Property(MaxTest = 50)]
    public void AddAndSubtractAreExactModP(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.AddAndSubtractAreExact(seed);
    }

    [Fact]
    public void EdgeValuesAreExact()
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.EdgeValuesAreExact();
    }

    [Property(MaxTest = 50)]
    public void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.LoadAndStoreRoundTripThroughTheLaneForm(seed);
    }
}
