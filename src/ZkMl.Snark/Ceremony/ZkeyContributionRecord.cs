using System.Buffers.Binary;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// One phase-2 contribution in a .zkey's section 10, as snarkjs writes it: [δ]₁ after it, the proof of knowledge of its
/// factor x ([s]₁, [s·x]₁, [sp·x]₂ with sp = hashToG2(transcript)), the transcript hash, and the parameters.
/// </summary>
internal sealed record ZkeyContributionRecord(G1Affine DeltaAfter, G1Affine S, G1Affine Sx, G2Affine Spx, byte[] Transcript, ContributionParameters Parameters)
{
    /// <summary>The circuit hash and the records of a section 10.</summary>
    public static (byte[] CircuitHash, List<ZkeyContributionRecord> Records) ReadAll(byte[] section, string what)
    {
        var r = new SectionReader(section, what);
        var circuitHash = r.Take(64).ToArray();
        uint count = r.U32();
        var list = new List<ZkeyContributionRecord>();
        for (int i = 0; i < count; i++)
        {
            string w = $"{what}: contribution #{i + 1}";
            var deltaAfter = PtauContribution.G1(ref r, w, "deltaAfter");
            var s = PtauContribution.G1(ref r, w, "g1_s");
            var sx = PtauContribution.G1(ref r, w, "g1_sx");
            var spx = PtauContribution.G2(ref r, w, "g2_spx");
            var transcript = r.Take(64).ToArray();
            list.Add(new ZkeyContributionRecord(deltaAfter, s, sx, spx, transcript, ContributionParameters.Read(ref r, w)));
        }
        if (r.Remaining != 0) throw new SnarkFormatException($"{what}: {r.Remaining} unexpected trailing bytes");
        return (circuitHash, list);
    }

    /// <summary>The section 10 bytes for <paramref name="circuitHash"/> and <paramref name="records"/>.</summary>
    public static byte[] WriteAll(byte[] circuitHash, IReadOnlyList<ZkeyContributionRecord> records)
    {
        using var s = new MemoryStream();
        s.Write(circuitHash);
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(u32, (uint)records.Count);
        s.Write(u32);
        var buf = new byte[LemCodec.G2Size];
        foreach (var c in records)
        {
            foreach (var p in new[] { c.DeltaAfter, c.S, c.Sx }) { LemCodec.WriteG1(p, buf); s.Write(buf, 0, LemCodec.G1Size); }
            LemCodec.WriteG2(c.Spx, buf);
            s.Write(buf, 0, LemCodec.G2Size);
            s.Write(c.Transcript);
            c.Parameters.Write(s);
        }
        return s.ToArray();
    }

    /// <summary>snarkjs's <c>hashPubKey</c>: deltaAfter, [s]₁, [s·x]₁, [sp·x]₂ uncompressed, then the transcript.</summary>
    public void HashPublicKey(Blake2b h)
    {
        h.Update(DeltaAfter.ToUncompressed());
        h.Update(S.ToUncompressed());
        h.Update(Sx.ToUncompressed());
        h.Update(Spx.ToUncompressed());
        h.Update(Transcript);
    }

    /// <summary>The contribution hash snarkjs prints: BLAKE2b of the public key.</summary>
    public byte[] ContributionHash()
    {
        var h = new Blake2b();
        HashPublicKey(h);
        return h.Digest();
    }

    /// <summary>
    /// A new contribution as snarkjs's `zkey contribute`/`zkey beacon` draws it: x = Fr.fromRng, [s]₁ = G1.fromRng, the
    /// transcript continuing <paramref name="accumulated"/> (circuit hash and earlier public keys) with [s]₁ and [s·x]₁.
    /// </summary>
    public static (ZkeyContributionRecord Record, Bn254Fr X) Create(Blake2b accumulated, G1Affine deltaBefore, SnarkjsChaCha rng, ContributionParameters parameters)
    {
        var x = rng.NextFr();
        var s = rng.NextG1();
        var sx = CeremonyMath.Times(s, x);
        var t = accumulated.Clone();
        t.Update(s.ToUncompressed());
        t.Update(sx.ToUncompressed());
        var transcript = t.Digest();
        var spx = CeremonyMath.Times(SnarkjsHashToG2.Hash(transcript), x);
        return (new ZkeyContributionRecord(CeremonyMath.Times(deltaBefore, x), s, sx, spx, transcript, parameters), x);
    }
}
