using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Tests.Ceremony;

/// <summary>The public-scalar multiplications prepare phase2 uses agree with double-and-add.</summary>
public class CeremonyMathTests
{
    private static IEnumerable<Bn254Fr> Scalars()
    {
        var rng = new Random(7);
        yield return Bn254Fr.Zero;
        yield return Bn254Fr.One;
        yield return Bn254Fr.FromBigInteger(Bn254Fr.Modulus - 1);
        yield return Bn254Fr.Inverse(Bn254Fr.RootOfUnity(12));
        for (int i = 0; i < 12; i++)
        {
            var bytes = new byte[32];
            rng.NextBytes(bytes);
            yield return Bn254Fr.FromBigInteger(new BigInteger(bytes, isUnsigned: true));
        }
    }

    [Fact]
    public void GlvIsAvailableOnBothGroups()
    {
        Assert.NotNull(CeremonyMath.G1Ops.Glv);
        Assert.NotNull(CeremonyMath.G2Ops.Glv);
    }

    [Fact]
    public void G1MultiplicationsAgreeWithDoubleAndAdd()
    {
        var p = G1Projective.Generator.Multiply(Bn254Fr.FromUInt64(987654321));
        foreach (var k in Scalars())
        {
            var expected = p.Multiply(k);
            Assert.Equal(expected, CeremonyMath.MultiplyPublic(p, k, CeremonyMath.G1Ops));
            Assert.Equal(expected, CeremonyMath.MultiplyNaf(p, k, CeremonyMath.G1Ops));
        }
    }

    [Fact]
    public void G2MultiplicationsAgreeWithDoubleAndAdd()
    {
        var p = G2Affine.Generator.ToProjective().Multiply(Bn254Fr.FromUInt64(123456789));
        foreach (var k in Scalars())
        {
            var expected = p.Multiply(k);
            Assert.Equal(expected, CeremonyMath.MultiplyPublic(p, k, CeremonyMath.G2Ops));
            Assert.Equal(expected, CeremonyMath.MultiplyNaf(p, k, CeremonyMath.G2Ops));
        }
    }
}
