using ZkMl.Field;
using ZkMl.Snark.Ceremony;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Tests.Ceremony;

/// <summary>
/// Forged or damaged ceremony files are rejected by our verify with one message naming the file and, where one is at
/// fault, the contribution: a wrong point, a broken proof of knowledge, a changed hash or beacon, a truncated file.
/// </summary>
[Collection(CeremonyCollection.Name)]
public class CeremonyTamperTests
{
    private readonly CeremonyFixture _fx;

    public CeremonyTamperTests(CeremonyFixture fx) => _fx = fx;

    private static long SectionOffset(string path, string magic, int section)
    {
        using var f = BinFile.Open(path, magic, 2);
        return f.Section(section).Offset;
    }

    private static long SectionEnd(string path, string magic, int section)
    {
        using var f = BinFile.Open(path, magic, 2);
        var (offset, size) = f.Section(section);
        return offset + size;
    }

    private string Tampered(string source, Action<byte[]> edit)
    {
        var bytes = File.ReadAllBytes(source);
        edit(bytes);
        var path = _fx.Temp("tampered" + Path.GetExtension(source));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void PutG1(byte[] bytes, long at, ulong multiple) =>
        LemCodec.WriteG1(G1Affine.Generator.ToProjective().Multiply(Bn254Fr.FromUInt64(multiple)).ToAffine(), bytes.AsSpan((int)at, LemCodec.G1Size));

    private static void AssertRejected(Func<object> verify, string path, params string[] parts)
    {
        var e = Assert.ThrowsAny<SnarkFormatException>(verify);
        Assert.StartsWith(path + ":", e.Message);
        foreach (var p in parts) Assert.Contains(p, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void PtauWithAWrongPowerIsRejected()
    {
        var path = Tampered(_fx.Pot2, b => PutG1(b, SectionOffset(_fx.Pot2, "ptau", 2) + 3 * LemCodec.G1Size, 7));
        AssertRejected(() => PowersOfTau.Verify(path), path, "contribution #2 (bob)", "tau·G1 section");
    }

    [Fact]
    public void PtauWithABrokenProofOfKnowledgeIsRejected()
    {
        // Contribution #1's key: after count (4) and the five recorded points, [s]₁ then [s·τ]₁.
        long keyAt = SectionOffset(_fx.Pot2, "ptau", 7) + 4 + 3 * LemCodec.G1Size + 2 * LemCodec.G2Size;
        var path = Tampered(_fx.Pot2, b => PutG1(b, keyAt + LemCodec.G1Size, 9));
        AssertRejected(() => PowersOfTau.Verify(path), path, "contribution #1 (alice)", "proof of knowledge of tau");
    }

    [Fact]
    public void PtauWithAChangedNextChallengeIsRejected()
    {
        // The last record ends with the next challenge (64), type (4), parameter length (4) and "bob" (1 + 1 + 3).
        long at = SectionEnd(_fx.Pot2, "ptau", 7) - 5 - 8 - 64;
        var path = Tampered(_fx.Pot2, b => b[at] ^= 1);
        AssertRejected(() => PowersOfTau.Verify(path), path, "contribution #2 (bob)", "next challenge");
    }

    [Fact]
    public void PtauWithAWrongLagrangePointIsRejected()
    {
        var path = Tampered(_fx.Ptau, b => PutG1(b, SectionOffset(_fx.Ptau, "ptau", 12) + 5 * LemCodec.G1Size, 11));
        AssertRejected(() => PowersOfTau.Verify(path), path, "section 12");
    }

    [Fact]
    public void PtauBeaconNotDerivedFromItsBeaconHashIsRejected()
    {
        var beacon = _fx.Temp("beacon.ptau");
        PowersOfTau.Beacon(_fx.Pot2, beacon, "final", CeremonyFixture.BeaconHex, 10);
        Assert.Equal(3, PowersOfTau.Verify(beacon).Count);
        // The beacon hash is the record's last 32 bytes.
        var path = Tampered(beacon, b => b[SectionEnd(beacon, "ptau", 7) - 1] ^= 1);
        AssertRejected(() => PowersOfTau.Verify(path), path, "contribution #3 (final)", "beacon");
    }

    [Fact]
    public void TruncatedAndFreshPtauAreRejected()
    {
        var bytes = File.ReadAllBytes(_fx.Pot2);
        var truncated = _fx.Temp("truncated.ptau");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        AssertRejected(() => PowersOfTau.Verify(truncated), truncated, "truncated");
        var fresh = _fx.Temp("fresh.ptau");
        PowersOfTau.New(2, fresh);
        AssertRejected(() => PowersOfTau.Verify(fresh), fresh, "no contribution");
    }

    [Fact]
    public void ZkeyWithForgedContributionOrPointsIsRejected()
    {
        var z0 = _fx.Temp("z0.zkey");
        var z1 = _fx.Temp("z1.zkey");
        var z2 = _fx.Temp("z2.zkey");
        ZkeyCeremony.New(_fx.R1cs, _fx.Ptau, z0);
        ZkeyCeremony.Contribute(z0, z1, "bob", "bob");
        ZkeyCeremony.Contribute(z1, z2, "carol", "carol");
        Assert.Equal(2, ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, z2).Count);

        // Contribution #1's [s·x]₁: after the circuit hash (64), count (4), deltaAfter and [s]₁.
        long sxAt = SectionOffset(z2, "zkey", 10) + 64 + 4 + 2 * LemCodec.G1Size;
        var forged = Tampered(z2, b => PutG1(b, sxAt, 5));
        AssertRejected(() => ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, forged), forged, "contribution #1 (bob)", "transcript");

        var wrongH = Tampered(z2, b => PutG1(b, SectionOffset(z2, "zkey", 9), 3));
        AssertRejected(() => ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, wrongH), wrongH, "H section");

        var wrongC = Tampered(z2, b => PutG1(b, SectionOffset(z2, "zkey", 8), 3));
        AssertRejected(() => ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, wrongC), wrongC, "C (L) section");

        var bytes = File.ReadAllBytes(z2);
        var truncated = _fx.Temp("truncated.zkey");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 100)]);
        AssertRejected(() => ZkeyCeremony.Verify(_fx.R1cs, _fx.Ptau, truncated), truncated, "truncated");
    }
}
