using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;

namespace ZkMl.Snark.Ceremony;

/// <summary>A powers-of-tau contribution's proof of knowledge of τ, α, β.</summary>
internal sealed record PtauPublicKey(
    G1Affine TauS, G1Affine TauSx, G1Affine AlphaS, G1Affine AlphaSx, G1Affine BetaS, G1Affine BetaSx,
    G2Affine TauSpx, G2Affine AlphaSpx, G2Affine BetaSpx)
{
    /// <summary>The key as the response hash takes it: the six G1 points then the three G2 points, uncompressed.</summary>
    public byte[] Uncompressed() =>
        [.. CeremonyMath.Uncompressed([TauS, TauSx, AlphaS, AlphaSx, BetaS, BetaSx]), .. CeremonyMath.Uncompressed([TauSpx, AlphaSpx, BetaSpx])];

    /// <summary>
    /// snarkjs's <c>createPTauKey</c>: τ, α, β drawn from <paramref name="rng"/>, then per secret (personalization 0, 1, 2)
    /// [s]₁ drawn, [s·x]₁, sp = hashToG2(BLAKE2b(personalization ‖ challenge ‖ [s]₁ ‖ [s·x]₁)) and [sp·x]₂.
    /// </summary>
    public static (PtauPublicKey Key, Bn254Fr Tau, Bn254Fr Alpha, Bn254Fr Beta) Create(byte[] challenge, SnarkjsChaCha rng)
    {
        var tau = rng.NextFr();
        var alpha = rng.NextFr();
        var beta = rng.NextFr();
        (G1Affine S, G1Affine Sx, G2Affine Spx) Pub(byte personalization, Bn254Fr x)
        {
            var s = rng.NextG1();
            var sx = CeremonyMath.Times(s, x);
            return (s, sx, CeremonyMath.Times(Sp(personalization, challenge, s, sx), x));
        }
        var t = Pub(0, tau);
        var a = Pub(1, alpha);
        var b = Pub(2, beta);
        return (new PtauPublicKey(t.S, t.Sx, a.S, a.Sx, b.S, b.Sx, t.Spx, a.Spx, b.Spx), tau, alpha, beta);
    }

    /// <summary>snarkjs's <c>getG2sp</c>.</summary>
    public static G2Affine Sp(byte personalization, byte[] challenge, in G1Affine s, in G1Affine sx)
    {
        var h = new Blake2b();
        h.Update([personalization]);
        h.Update(challenge);
        h.Update(s.ToUncompressed());
        h.Update(sx.ToUncompressed());
        return SnarkjsHashToG2.Hash(h.Digest());
    }
}
