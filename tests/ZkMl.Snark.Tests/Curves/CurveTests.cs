using System.Numerics;
using FsCheck.Xunit;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Tests.Curves;

public class CurveTests
{
    private static readonly BigInteger R = Bn254Fr.Modulus;

    [Fact]
    public void GeneratorsAreValidAndHaveOrderR()
    {
        Assert.True(G1Affine.Generator.IsOnCurve);
        Assert.True(G2Affine.Generator.IsOnCurve);
        Assert.True(G2Affine.Generator.IsInSubgroup);
        Assert.True(G1Affine.Generator.ToProjective().Multiply(R).IsInfinity);
        Assert.True(G2Affine.Generator.ToProjective().Multiply(R).IsInfinity);
        Assert.False(G2Affine.Generator.ToProjective().Multiply(R - 1).IsInfinity);
    }

    [Property(MaxTest = 10)]
    public void GroupLawsG1(int seed)
    {
        var rng = new Random(seed);
        var a = TestPoints.RandomG1(rng).ToProjective();
        var b = TestPoints.RandomG1(rng).ToProjective();
        var c = TestPoints.RandomG1(rng);
        Assert.Equal(a + b, b + a);
        Assert.Equal((a + b) + c, a + (b + c.ToProjective()));
        Assert.Equal(G1Projective.Double(a), a + a);
        Assert.Equal(G1Projective.Double(a), G1Projective.AddMixed(a, a.ToAffine()));
        Assert.True((a - a).IsInfinity);
        Assert.Equal(a, a + G1Projective.Infinity);
        Assert.Equal(a, G1Projective.Infinity + a);
        Assert.True((a + b).IsOnCurve);
        var k = Bn254Fr.Random(rng);
        Assert.Equal(TestPoints.NaiveMul(a, k.ToBigInteger()), a.Multiply(k));
        Assert.Equal(a.Multiply(k), a.MultiplyConstantTime(k));
    }

    [Property(MaxTest = 5)]
    public void GroupLawsG2(int seed)
    {
        var rng = new Random(seed);
        var a = TestPoints.RandomG2(rng).ToProjective();
        var b = TestPoints.RandomG2(rng).ToProjective();
        Assert.Equal(a + b, b + a);
        Assert.Equal(G2Projective.Double(a), a + a);
        Assert.Equal(G2Projective.Double(a), G2Projective.AddMixed(a, a.ToAffine()));
        Assert.True((a - a).IsInfinity);
        Assert.True((a + b).IsOnCurve);
        Assert.True((a + b).IsInSubgroup);
        var k = Bn254Fr.Random(rng);
        Assert.Equal(TestPoints.NaiveMul(a, k.ToBigInteger()), a.Multiply(k));
        Assert.Equal(a.Multiply(k), a.MultiplyConstantTime(k));
    }

    [Fact]
    public void ScalarEdgeCases()
    {
        var g = G1Projective.Generator;
        Assert.True(g.Multiply(Bn254Fr.Zero).IsInfinity);
        Assert.True(g.MultiplyConstantTime(Bn254Fr.Zero).IsInfinity);
        Assert.Equal(g, g.Multiply(Bn254Fr.One));
        Assert.Equal(g, g.MultiplyConstantTime(Bn254Fr.One));
        Assert.Equal(-g, g.Multiply(-Bn254Fr.One));
        Assert.Equal(-g, g.MultiplyConstantTime(-Bn254Fr.One));
        Assert.True(G1Projective.Infinity.MultiplyConstantTime(Bn254Fr.FromUInt64(5)).IsInfinity);
        var h = G2Projective.Generator;
        Assert.Equal(-h, h.MultiplyConstantTime(-Bn254Fr.One));
        Assert.True(h.MultiplyConstantTime(Bn254Fr.Zero).IsInfinity);
    }

    [Fact]
    public void BatchToAffineMatchesSingle()
    {
        var rng = new Random(7);
        var pts = new G1Projective[9];
        for (int i = 0; i < pts.Length; i++) pts[i] = TestPoints.RandomG1(rng).ToProjective() + G1Projective.Generator;
        pts[3] = G1Projective.Infinity;
        var aff = new G1Affine[pts.Length];
        G1Projective.BatchToAffine(pts, aff);
        for (int i = 0; i < pts.Length; i++) Assert.Equal(pts[i].ToAffine(), aff[i]);
        Assert.True(aff[3].IsInfinity);
        var pts2 = new[] { G2Projective.Generator + G2Projective.Generator, G2Projective.Infinity };
        var aff2 = new G2Affine[2];
        G2Projective.BatchToAffine(pts2, aff2);
        Assert.Equal(pts2[0].ToAffine(), aff2[0]);
        Assert.True(aff2[1].IsInfinity);
    }

    [Fact]
    public void G2SubgroupCheckAgreesWithOrderR()
    {
        var rng = new Random(8);
        for (int i = 0; i < 4; i++)
        {
            var q = TestPoints.RandomTwistPoint(rng);
            Assert.True(q.IsOnCurve);
            bool orderR = q.ToProjective().Multiply(R).IsInfinity;
            Assert.False(orderR);
            Assert.False(q.IsInSubgroup);
            // Clearing the cofactor h = 2p - r lands in G2.
            var cleared = q.ToProjective().Multiply(2 * Bn254Fq.Modulus - R).ToAffine();
            Assert.True(cleared.ToProjective().Multiply(R).IsInfinity);
            Assert.True(cleared.IsInSubgroup);
            Assert.Throws<ArgumentException>(() => G2Affine.Create(q.X, q.Y));
            Assert.False(G2Affine.TryReadUncompressed(q.ToUncompressed(), out _));
            Assert.Throws<PointEncodingException>(() => G2Affine.ReadCompressed(q.ToCompressed()));
            Assert.Equal(cleared, G2Affine.ReadCompressed(cleared.ToCompressed()));
        }
    }

    [Property(MaxTest = 10)]
    public void EncodingRoundTrips(int seed)
    {
        var rng = new Random(seed);
        var p = TestPoints.RandomG1(rng);
        Assert.Equal(p, G1Affine.ReadUncompressed(p.ToUncompressed()));
        Assert.Equal(p, G1Affine.ReadCompressed(p.ToCompressed()));
        Assert.Equal(p.Negate(), G1Affine.ReadCompressed(p.Negate().ToCompressed()));
        var q = TestPoints.RandomG2(rng);
        Assert.Equal(q, G2Affine.ReadUncompressed(q.ToUncompressed()));
        Assert.Equal(q, G2Affine.ReadCompressed(q.ToCompressed()));
        Assert.Equal(q.Negate(), G2Affine.ReadCompressed(q.Negate().ToCompressed()));
    }

    [Fact]
    public void InfinityEncodings()
    {
        Assert.Equal(new byte[64], G1Affine.Infinity.ToUncompressed());
        Assert.True(G1Affine.ReadUncompressed(new byte[64]).IsInfinity);
        Assert.True(G1Affine.ReadCompressed(G1Affine.Infinity.ToCompressed()).IsInfinity);
        Assert.True(G2Affine.ReadUncompressed(new byte[128]).IsInfinity);
        Assert.True(G2Affine.ReadCompressed(G2Affine.Infinity.ToCompressed()).IsInfinity);
        Assert.Equal(0x40, G1Affine.Infinity.ToCompressed()[0]);
    }

    [Fact]
    public void GeneratorEncodingsMatchEip197Layout()
    {
        // EIP-197 G2 generator: x = (x.c1, x.c0), y = (y.c1, y.c0), big-endian words.
        var expected = TestPoints.Hex(
            "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2" +
            "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed" +
            "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b" +
            "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa");
        Assert.Equal(expected, G2Affine.Generator.ToUncompressed());
        var g1 = new byte[64];
        g1[31] = 1;
        g1[63] = 2;
        Assert.Equal(g1, G1Affine.Generator.ToUncompressed());
    }

    [Fact]
    public void MalformedEncodingsAreRejected()
    {
        var g = G1Affine.Generator.ToUncompressed();
        Assert.Throws<PointEncodingException>(() => G1Affine.ReadUncompressed(g.AsSpan(0, 63)));
        var offCurve = (byte[])g.Clone();
        offCurve[63] = 3;
        Assert.Contains("not on the curve", Assert.Throws<PointEncodingException>(() => G1Affine.ReadUncompressed(offCurve)).Message);
        var big = (byte[])g.Clone();
        for (int i = 0; i < 32; i++) big[i] = 0xff;
        Assert.Contains(">= p", Assert.Throws<PointEncodingException>(() => G1Affine.ReadUncompressed(big)).Message);

        var c = G1Affine.Generator.ToCompressed();
        var noFlag = (byte[])c.Clone();
        noFlag[0] &= 0x3f;
        Assert.Throws<PointEncodingException>(() => G1Affine.ReadCompressed(noFlag));
        var badInfinity = new byte[32];
        badInfinity[0] = 0x40;
        badInfinity[31] = 1;
        Assert.Throws<PointEncodingException>(() => G1Affine.ReadCompressed(badInfinity));
        // x = 0 gives y^2 = 3, a non-residue mod p: no point.
        var noPoint = new byte[32];
        noPoint[0] = 0x80;
        Assert.Contains("no point", Assert.Throws<PointEncodingException>(() => G1Affine.ReadCompressed(noPoint)).Message);

        var q = G2Affine.Generator.ToUncompressed();
        q[127] ^= 1;
        Assert.Throws<PointEncodingException>(() => G2Affine.ReadUncompressed(q));
        Assert.Throws<PointEncodingException>(() => G2Affine.ReadCompressed(new byte[64]));
    }
}
