using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Snark.Tests.Formats;

/// <summary>Malformed .zkey, .ptau and JSON inputs give a <see cref="SnarkFormatException"/> that says what is wrong.</summary>
[Collection(SnarkjsCollection.Name)]
public class MalformedInputTests
{
    private readonly SnarkjsFixture _fx;

    public MalformedInputTests(SnarkjsFixture fx) => _fx = fx;

    private string WriteTemp(byte[] bytes, string ext)
    {
        var path = Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}.{ext}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void TruncatedZkeyIsAClearError(int keep)
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        var cut = bytes.AsSpan(0, keep < 0 ? bytes.Length - 1 : keep).ToArray();
        var e = Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(WriteTemp(cut, "zkey")));
        Assert.Contains("zkey", e.Message);
    }

    [Fact]
    public void WrongMagicIsAClearError()
    {
        var e = Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(_fx.Ptau));
        Assert.Contains("not a .zkey file", e.Message);
        Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(Path.Combine(_fx.Dir, "missing.zkey")));
    }

    [Fact]
    public void CorruptedHeaderPointIsRejected()
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        // Find the Groth16 header section (type 2) and flip a byte of alpha1's x coordinate.
        int pos = 12;
        while (BitConverter.ToUInt32(bytes, pos) != 2) pos += 12 + (int)BitConverter.ToUInt64(bytes, pos + 4);
        int alpha = pos + 12 + 4 + 32 + 4 + 32 + 12;
        bytes[alpha] ^= 1;
        var e = Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(WriteTemp(bytes, "zkey")));
        Assert.Contains("alpha1", e.Message);
    }

    [Fact]
    public void UnpreparedPtauIsRejected()
    {
        var qap = TestCircuits.Random(1, 2, 3, 1).Qap;
        var e = Assert.Throws<SnarkFormatException>(() => Groth16Setup.SetupFromPtau(qap, Path.Combine(_fx.Dir, "pot0.ptau")));
        Assert.Contains("prepare phase2", e.Message);
    }

    [Fact]
    public void TooSmallPtauIsRejected()
    {
        var qap = TestCircuits.Random(1, 2, 300, 1).Qap; // needs 2^9 rows, the ptau has 2^8
        var e = Assert.Throws<SnarkFormatException>(() => Groth16Setup.SetupFromPtau(qap, _fx.Ptau));
        Assert.Contains("only reach 2^8", e.Message);
    }

    [Fact]
    public void TruncatedJsonIsAClearError()
    {
        var proof = File.ReadAllText(_fx.ProofJson);
        for (int keep = 0; keep < proof.Length; keep += 37)
        {
            var e = Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(proof[..keep]));
            Assert.StartsWith("proof.json:", e.Message);
        }
        var vk = File.ReadAllText(_fx.VkJson);
        Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseVerifyingKey(vk[..(vk.Length / 2)]));
        Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParsePublicSignals("[\"1\", "));
    }

    [Theory]
    [InlineData("""["-1"]""")]
    [InlineData("""["12a"]""")]
    [InlineData("""["21888242871839275222246405745257275088548364400416034343698204186575808495617"]""")]
    [InlineData("""{"a": "1"}""")]
    [InlineData("""[[1]]""")]
    public void BadPublicSignalsAreRejected(string json) =>
        Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParsePublicSignals(json));

    [Fact]
    public void OffCurveAndOutOfRangeProofPointsAreRejectedWhenParsing()
    {
        var proof = File.ReadAllText(_fx.ProofJson);
        var parsed = SnarkjsJson.ParseProof(proof);
        string x = parsed.A.X.ToString();
        var offCurve = proof.Replace(x, (parsed.A.X + Bn254Fq.One).ToString());
        Assert.Contains("not on the BN254 G1 curve", Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(offCurve)).Message);
        var outOfRange = proof.Replace(x, (parsed.A.X.ToBigInteger() + Bn254Fq.Modulus).ToString());
        Assert.Contains("out of range", Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(outOfRange)).Message);
        var badZ = proof.Replace("\"1\"\n ],\n \"pi_b\"", "\"2\"\n ],\n \"pi_b\"");
        Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(badZ));
        var wrongProtocol = proof.Replace("groth16", "plonk");
        Assert.Contains("protocol", Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(wrongProtocol)).Message);
    }

    [Fact]
    public void G2PointOutsideTheSubgroupIsRejectedWhenParsing()
    {
        var proof = File.ReadAllText(_fx.ProofJson);
        var parsed = SnarkjsJson.ParseProof(proof);
        var bad = SoundnessPoints.G2OnCurveNotInSubgroup();
        var text = proof
            .Replace(parsed.B.X.C0.ToString(), bad.X.C0.ToString()).Replace(parsed.B.X.C1.ToString(), bad.X.C1.ToString())
            .Replace(parsed.B.Y.C0.ToString(), bad.Y.C0.ToString()).Replace(parsed.B.Y.C1.ToString(), bad.Y.C1.ToString());
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(text)).Message);
    }
}

/// <summary>Points that are valid field pairs but not valid group elements, for soundness tests.</summary>
internal static class SoundnessPoints
{
    /// <summary>A point on the G2 twist curve y² = x³ + 3/(9+u) outside the order-r subgroup (the twist's cofactor is large).</summary>
    public static G2Affine G2OnCurveNotInSubgroup()
    {
        for (ulong i = 1; ; i++)
        {
            var x = new Fq2(Bn254Fq.FromUInt64(i), Bn254Fq.One);
            var rhs = x * x * x + G2Affine.B;
            if (Fq2.TrySqrt(rhs, out var y))
            {
                var p = new G2Affine(x, y);
                if (p.IsOnCurve && !p.IsInSubgroup) return p;
            }
        }
    }

    /// <summary>A G1 field pair that is not on y² = x³ + 3.</summary>
    public static G1Affine G1OffCurve() => new(Bn254Fq.FromUInt64(1), Bn254Fq.FromUInt64(3));
}
