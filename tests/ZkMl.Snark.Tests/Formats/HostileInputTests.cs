using System.Buffers.Binary;
using System.Globalization;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;
using ZkMl.Snark.Tests.Groth16;

namespace ZkMl.Snark.Tests.Formats;

/// <summary>
/// Hostile .zkey, .ptau and snarkjs JSON: oversized declared sizes, G2 points outside the subgroup, points at infinity.
/// Each is rejected with the typed exception (exact type, so never an OutOfMemoryException) before a large allocation.
/// </summary>
[Collection(SnarkjsCollection.Name)]
public class HostileInputTests
{
    private readonly SnarkjsFixture _fx;

    public HostileInputTests(SnarkjsFixture fx) => _fx = fx;

    private string WriteTemp(byte[] bytes, string ext)
    {
        var path = Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}.{ext}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static TException ThrowsWithin<TException>(Action read, long maxBytes = 16 << 20) where TException : Exception
    {
        TException? caught = null;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        caught = Assert.Throws<TException>(read);
        long used = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(used < maxBytes, $"rejecting the input allocated {used} bytes");
        return caught;
    }

    /// <summary>Offset of the data of section <paramref name="type"/> in an iden3 binfile.</summary>
    private static int SectionData(byte[] file, uint type)
    {
        int pos = 12;
        while (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos)) != type)
            pos += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(pos + 4));
        return pos + 12;
    }

    // Groth16 header: n8q(4) q(32) n8r(4) r(32) nVars@72 nPublic@76 domain@80 alpha1@84 beta1@148 beta2@212 gamma2@340 delta1@468 delta2@532
    private const int NVars = 72, Domain = 80, Beta2 = 212, Gamma2 = 340, Delta1 = 468, Delta2 = 532;

    private byte[] ZkeyWith(Action<byte[], int> mutate)
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        mutate(bytes, SectionData(bytes, 2));
        return bytes;
    }

    [Fact]
    public void SmallZkeyClaimingA2To27DomainIsRejectedBeforeAllocating()
    {
        var bytes = ZkeyWith((b, h) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(h + Domain), 1u << 27));
        var cut = WriteTemp(bytes.AsSpan(0, Math.Min(bytes.Length, 4096)).ToArray(), "zkey");
        var full = WriteTemp(bytes, "zkey");
        var e = ThrowsWithin<SnarkFormatException>(() => Zkey.ReadProvingKey(full));
        Assert.Contains("H points", e.Message);
        ThrowsWithin<SnarkFormatException>(() => Zkey.ReadProvingKey(cut));
        ThrowsWithin<SnarkFormatException>(() => Zkey.ReadVerifyingKey(cut));
    }

    [Fact]
    public void ZkeyDomainOrVariableCountBeyondTheLimitNamesTheLimit()
    {
        var domain = WriteTemp(ZkeyWith((b, h) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(h + Domain), 1u << 29)), "zkey");
        var e = ThrowsWithin<SnarkLimitExceededException>(() => Zkey.ReadProvingKey(domain));
        Assert.Equal(nameof(DecoderLimits.MaxDomainLog2), e.LimitName);
        Assert.Equal(1UL << 29, e.Requested);
        var vars = WriteTemp(ZkeyWith((b, h) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(h + NVars), 1u << 31)), "zkey");
        Assert.Equal(nameof(DecoderLimits.MaxWires), ThrowsWithin<SnarkLimitExceededException>(() => Zkey.ReadProvingKey(vars)).LimitName);
        // A caller's stricter limits apply to an honest file too.
        var tight = new DecoderLimits { MaxDomainLog2 = 2 };
        Assert.Equal(nameof(DecoderLimits.MaxDomainLog2), Assert.Throws<SnarkLimitExceededException>(() => Zkey.ReadVerifyingKey(_fx.Zkey, tight)).LimitName);
        Assert.Equal(nameof(DecoderLimits.MaxBufferBytes),
            Assert.Throws<SnarkLimitExceededException>(() => Zkey.ReadProvingKey(_fx.Zkey, new DecoderLimits { MaxBufferBytes = 256 })).LimitName);
    }

    [Fact]
    public void SectionSizeOrCountClaimingGigabytesIsRejected()
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        var size = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(size.AsSpan(16), 1UL << 40);
        Assert.Contains("truncated", ThrowsWithin<SnarkFormatException>(() => Zkey.ReadProvingKey(WriteTemp(size, "zkey"))).Message);
        var count = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(8), uint.MaxValue);
        Assert.Equal(nameof(DecoderLimits.MaxSectionCount), ThrowsWithin<SnarkLimitExceededException>(() => Zkey.ReadProvingKey(WriteTemp(count, "zkey"))).LimitName);
        var ptau = File.ReadAllBytes(_fx.Ptau);
        BinaryPrimitives.WriteUInt32LittleEndian(ptau.AsSpan(SectionData(ptau, 1) + 36), 29); // power
        var qap = TestCircuits.Random(1, 2, 3, 1).Qap;
        Assert.Equal(nameof(DecoderLimits.MaxDomainLog2),
            ThrowsWithin<SnarkLimitExceededException>(() => Groth16Setup.SetupFromPtau(qap, WriteTemp(ptau, "ptau"))).LimitName);
    }

    private static void WriteLemG2(G2Affine p, Span<byte> d) => LemCodec.WriteG2(p, d);

    [Theory]
    [InlineData(Beta2)]
    [InlineData(Gamma2)]
    [InlineData(Delta2)]
    public void ZkeyHeaderG2PointOutsideTheSubgroupIsRejected(int offset)
    {
        var bad = SoundnessPoints.G2OnCurveNotInSubgroup();
        var path = WriteTemp(ZkeyWith((b, h) => WriteLemG2(bad, b.AsSpan(h + offset))), "zkey");
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => Zkey.ReadVerifyingKey(path)).Message);
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(path)).Message);
    }

    [Theory]
    [InlineData(Gamma2, 128)]
    [InlineData(Delta1, 64)]
    [InlineData(Delta2, 128)]
    public void ZkeyHeaderPointAtInfinityIsRejected(int offset, int size)
    {
        var path = WriteTemp(ZkeyWith((b, h) => b.AsSpan(h + offset, size).Clear()), "zkey");
        Assert.Contains("infinity", Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(path)).Message);
    }

    [Fact]
    public void ZkeyB2PointOutsideTheSubgroupIsRejected()
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        WriteLemG2(SoundnessPoints.G2OnCurveNotInSubgroup(), bytes.AsSpan(SectionData(bytes, 7)));
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(WriteTemp(bytes, "zkey"))).Message);
        var ic = File.ReadAllBytes(_fx.Zkey);
        ic.AsSpan(SectionData(ic, 3), 64).Clear();
        Assert.Contains("infinity", Assert.Throws<SnarkFormatException>(() => Zkey.ReadVerifyingKey(WriteTemp(ic, "zkey"))).Message);
    }

    [Fact]
    public void B2PointOutsideTheSubgroupReadWithoutTheCheckIsRejectedByTheProver()
    {
        var bytes = File.ReadAllBytes(_fx.Zkey);
        WriteLemG2(SoundnessPoints.G2OnCurveNotInSubgroup(), bytes.AsSpan(SectionData(bytes, 7))); // wire 0, the constant 1
        var key = Zkey.ReadProvingKey(WriteTemp(bytes, "zkey"), null, checkB2Subgroup: false);
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => new Groth16Prover().Prove(key, _fx.Witness)).Message);

        // Off the twist is still rejected at read time.
        var offCurve = File.ReadAllBytes(_fx.Zkey);
        offCurve[SectionData(offCurve, 7) + 1] ^= 1;
        Assert.Contains("B2 section", Assert.Throws<SnarkFormatException>(
            () => Zkey.ReadProvingKey(WriteTemp(offCurve, "zkey"), null, checkB2Subgroup: false)).Message);

        var good = Zkey.ReadProvingKey(_fx.Zkey, null, checkB2Subgroup: false);
        var (proof, publicSignals) = new Groth16Prover().Prove(good, _fx.Witness);
        Assert.True(Groth16Verifier.Verify(good.VerifyingKey, publicSignals, proof));
    }

    [Fact]
    public void PtauBetaG2OutsideTheSubgroupIsRejected()
    {
        var bytes = File.ReadAllBytes(_fx.Ptau);
        WriteLemG2(SoundnessPoints.G2OnCurveNotInSubgroup(), bytes.AsSpan(SectionData(bytes, 6)));
        var qap = TestCircuits.Random(1, 2, 3, 1).Qap;
        Assert.Throws<SnarkFormatException>(() => Groth16Setup.SetupFromPtau(qap, WriteTemp(bytes, "ptau")));
        var lagrange = File.ReadAllBytes(_fx.Ptau);
        WriteLemG2(SoundnessPoints.G2OnCurveNotInSubgroup(), lagrange.AsSpan(SectionData(lagrange, 13) + (8 - 1) * 128));
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => Groth16Setup.SetupFromPtau(qap, WriteTemp(lagrange, "ptau"))).Message);
    }

    // ---- JSON ----

    private static string D(Bn254Fq v) => v.ToBigInteger().ToString(CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("vk_alpha_1")]
    [InlineData("vk_beta_2")]
    [InlineData("vk_gamma_2")]
    [InlineData("vk_delta_2")]
    [InlineData("IC")]
    public void VerifyingKeyJsonPointAtInfinityIsRejected(string field)
    {
        var vk = SnarkjsJson.ReadVerifyingKey(_fx.VkJson);
        var tampered = field switch
        {
            "vk_alpha_1" => new Groth16VerifyingKey(G1Affine.Infinity, vk.Beta2, vk.Gamma2, vk.Delta2, [.. vk.IC]),
            "vk_beta_2" => new Groth16VerifyingKey(vk.Alpha1, G2Affine.Infinity, vk.Gamma2, vk.Delta2, [.. vk.IC]),
            "vk_gamma_2" => new Groth16VerifyingKey(vk.Alpha1, vk.Beta2, G2Affine.Infinity, vk.Delta2, [.. vk.IC]),
            "vk_delta_2" => new Groth16VerifyingKey(vk.Alpha1, vk.Beta2, vk.Gamma2, G2Affine.Infinity, [.. vk.IC]),
            _ => new Groth16VerifyingKey(vk.Alpha1, vk.Beta2, vk.Gamma2, vk.Delta2, [vk.IC[0], G1Affine.Infinity, vk.IC[2]]),
        };
        var e = Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseVerifyingKey(SnarkjsJson.VerifyingKeyToJson(tampered)));
        Assert.Contains("infinity", e.Message);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("pi_a")]
    [InlineData("pi_b")]
    [InlineData("pi_c")]
    public void ProofJsonPointAtInfinityIsRejected(string field)
    {
        var p = SnarkjsJson.ReadProof(_fx.ProofJson);
        var tampered = field switch
        {
            "pi_a" => p with { A = G1Affine.Infinity },
            "pi_b" => p with { B = G2Affine.Infinity },
            _ => p with { C = G1Affine.Infinity },
        };
        var e = Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseProof(SnarkjsJson.ProofToJson(tampered)));
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void VerifyingKeyJsonG2OutsideTheSubgroupIsRejected()
    {
        var text = File.ReadAllText(_fx.VkJson);
        var vk = SnarkjsJson.ParseVerifyingKey(text);
        var bad = SoundnessPoints.G2OnCurveNotInSubgroup();
        var tampered = text.Replace(D(vk.Delta2.X.C0), D(bad.X.C0)).Replace(D(vk.Delta2.X.C1), D(bad.X.C1))
            .Replace(D(vk.Delta2.Y.C0), D(bad.Y.C0)).Replace(D(vk.Delta2.Y.C1), D(bad.Y.C1));
        Assert.Contains("subgroup", Assert.Throws<SnarkFormatException>(() => SnarkjsJson.ParseVerifyingKey(tampered)).Message);
    }

    [Fact]
    public void OversizedJsonHitsItsLimitsBeforeParsing()
    {
        var limits = new DecoderLimits { MaxJsonBytes = 100, MaxPublicSignals = 3 };
        Assert.Equal(nameof(DecoderLimits.MaxJsonBytes),
            Assert.Throws<SnarkLimitExceededException>(() => SnarkjsJson.ReadVerifyingKey(_fx.VkJson, limits)).LimitName);
        Assert.Throws<SnarkLimitExceededException>(() => SnarkjsJson.ParseProof(File.ReadAllText(_fx.ProofJson), limits: limits));
        Assert.Equal(nameof(DecoderLimits.MaxPublicSignals),
            Assert.Throws<SnarkLimitExceededException>(() => SnarkjsJson.ParsePublicSignals("[\"1\",\"2\",\"3\",\"4\"]", limits: limits)).LimitName);
        // A signal array declaring millions of entries: the default limit stops it without a big allocation.
        var many = "[" + string.Join(",", Enumerable.Repeat("0", (1 << 20) + 1)) + "]";
        ThrowsWithin<SnarkLimitExceededException>(() => SnarkjsJson.ParsePublicSignals(many), maxBytes: 64 << 20);
        var vk = SnarkjsJson.ReadVerifyingKey(_fx.VkJson);
        Assert.Equal(nameof(DecoderLimits.MaxPublicSignals), Assert.Throws<SnarkLimitExceededException>(() =>
            SnarkjsJson.ParseVerifyingKey(SnarkjsJson.VerifyingKeyToJson(vk), limits: new DecoderLimits { MaxPublicSignals = 1 })).LimitName);
    }
}
