using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// One record of a .ptau's section 7, as snarkjs writes it: the first points after the contribution ([τ]₁, [τ]₂, [α]₁,
/// [β]₁, [β]₂), the public key proving knowledge of τ, α, β ([s]₁, [s·x]₁ per secret, then [sp·x]₂ per secret, sp drawn
/// from the challenge), the response hash's state before the key (216 bytes), the next challenge hash, and the parameters.
/// </summary>
internal sealed record PtauContribution(
    G1Affine TauG1, G2Affine TauG2, G1Affine AlphaG1, G1Affine BetaG1, G2Affine BetaG2, PtauPublicKey Key,
    byte[] PartialHash, byte[] NextChallenge, ContributionParameters Parameters)
{
    /// <summary>The response hash: the partial state continued with the public key in uncompressed encoding; null if the state is malformed.</summary>
    public byte[]? ResponseHash()
    {
        var h = Blake2b.FromPartial(PartialHash);
        if (h is null) return null;
        h.Update(Key.Uncompressed());
        return h.Digest();
    }

    public static PtauContribution Read(ref SectionReader r, string what)
    {
        var tauG1 = G1(ref r, what, "tau·G1");
        var tauG2 = G2(ref r, what, "tau·G2");
        var alphaG1 = G1(ref r, what, "alpha·G1");
        var betaG1 = G1(ref r, what, "beta·G1");
        var betaG2 = G2(ref r, what, "beta·G2");
        var key = new PtauPublicKey(
            G1(ref r, what, "key tau g1_s"), G1(ref r, what, "key tau g1_sx"),
            G1(ref r, what, "key alpha g1_s"), G1(ref r, what, "key alpha g1_sx"),
            G1(ref r, what, "key beta g1_s"), G1(ref r, what, "key beta g1_sx"),
            G2(ref r, what, "key tau g2_spx"), G2(ref r, what, "key alpha g2_spx"), G2(ref r, what, "key beta g2_spx"));
        var partial = r.Take(Blake2b.PartialSize).ToArray();
        var next = r.Take(64).ToArray();
        var parameters = ContributionParameters.Read(ref r, what);
        return new PtauContribution(tauG1, tauG2, alphaG1, betaG1, betaG2, key, partial, next, parameters);
    }

    public void Write(Stream s)
    {
        var buf = new byte[LemCodec.G2Size];
        void W1(in G1Affine p) { LemCodec.WriteG1(p, buf); s.Write(buf, 0, LemCodec.G1Size); }
        void W2(in G2Affine p) { LemCodec.WriteG2(p, buf); s.Write(buf, 0, LemCodec.G2Size); }
        W1(TauG1); W2(TauG2); W1(AlphaG1); W1(BetaG1); W2(BetaG2);
        W1(Key.TauS); W1(Key.TauSx); W1(Key.AlphaS); W1(Key.AlphaSx); W1(Key.BetaS); W1(Key.BetaSx);
        W2(Key.TauSpx); W2(Key.AlphaSpx); W2(Key.BetaSpx);
        s.Write(PartialHash);
        s.Write(NextChallenge);
        Parameters.Write(s);
    }

    internal static G1Affine G1(ref SectionReader r, string what, string name)
    {
        if (!LemCodec.TryReadG1(r.Take(LemCodec.G1Size), out var p) || !p.IsOnCurve)
            throw new SnarkFormatException($"{what}: {name} is not a valid G1 point");
        return p;
    }

    internal static G2Affine G2(ref SectionReader r, string what, string name)
    {
        if (!LemCodec.TryReadG2(r.Take(LemCodec.G2Size), out var p) || !p.IsOnCurve || !p.IsInSubgroup)
            throw new SnarkFormatException($"{what}: {name} is not a valid G2 point in the order-r subgroup");
        return p;
    }
}
