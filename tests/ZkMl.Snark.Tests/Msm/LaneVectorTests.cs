using FsCheck.Xunit;
using ZkMl.Snark.Msm;

namespace ZkMl.Snark.Tests.Msm;

/// <summary>
/// The lane arithmetic behind the G1 and G2 MSMs, checked lane by lane (<see cref="LaneVectorChecks{TV}"/>) at both widths:
/// <see cref="FqVector8"/> (AVX-512) and <see cref="FqVector4"/> (AVX2, what CPUs without AVX-512 run); a width the CPU
/// lacks is skipped.
/// </summary>
public class LaneVectorTests
{
    [Property(MaxTest = 50)]
    public void MulIsMontgomeryProductBelowTwoP(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.MulIsMontgomeryProductBelowTwoP(seed);
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.MulIsMontgomeryProductBelowTwoP(seed);
    }

    [Property(MaxTest = 50)]
    public void ToLimbsGivesTheCanonicalValue(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.ToLimbsGivesTheCanonicalValue(seed);
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.ToLimbsGivesTheCanonicalValue(seed);
    }

    [Property(MaxTest = 50)]
    public void AddAndSubtractAreExactModP(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.AddAndSubtractAreExact(seed);
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.AddAndSubtractAreExact(seed);
    }

    [Fact]
    public void EdgeValuesAreExact()
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.EdgeValuesAreExact();
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.EdgeValuesAreExact();
    }

    [Property(MaxTest = 50)]
    public void LoadAndStoreRoundTripThroughTheLaneForm(int seed)
    {
        if (FqVector8.IsSupported) LaneVectorChecks<FqVector8>.LoadAndStoreRoundTripThroughTheLaneForm(seed);
        if (FqVector4.IsSupported) LaneVectorChecks<FqVector4>.LoadAndStoreRoundTripThroughTheLaneForm(seed);
    }
}
