namespace ZkMl.Snark.Curves;

/// <summary>
/// The optimal ate pairing e: G1 x G2 -> GT (the order-r subgroup of Fq12*) of BN254, with the same value as
/// snarkjs/ffjavascript and the EIP-197 precompile: Miller loop over 6x+2 (signed digits), two Frobenius lines,
/// then the final exponentiation to the power (p^12 - 1)/r.
/// </summary>
public static class Pairing
{
    /// <summary>e(p, q). Infinity on either side gives 1.</summary>
    public static Fq12 Pair(in G1Affine p, in G2Affine q)
        => FinalExponentiation(MillerLoop([p], [q]));

    /// <summary>The product of e(ps[i], qs[i]), sharing one final exponentiation.</summary>
    public static Fq12 MultiPairing(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
        => FinalExponentiation(MillerLoop(ps, qs));

    /// <summary>True when the product of e(ps[i], qs[i]) is 1 (the EIP-197 check; e.g. a Groth16 verification).</summary>
    public static bool PairingProductIsOne(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
        => MultiPairing(ps, qs).IsOne;

    /// <summary>The product of the Miller loops f_{6x+2,q}(p) times the Frobenius lines, before the final exponentiation.</summary>
    public static Fq12 MillerLoop(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
    {
        if (ps.Length != qs.Length) throw new ArgumentException($"Pairing needs as many G1 points ({ps.Length}) as G2 points ({qs.Length}).");
        throw new NotImplementedException();
    }

    /// <summary>f^((p^12 - 1)/r).</summary>
    public static Fq12 FinalExponentiation(in Fq12 f) => throw new NotImplementedException();
}
