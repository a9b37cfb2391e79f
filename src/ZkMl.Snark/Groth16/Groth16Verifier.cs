using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// Groth16 verification with one multi-pairing: e(−A, B)·e(IC(x), γ)·e(C, δ)·e(α, β) = 1,
/// where IC(x) = IC₀ + Σ xᵢ·ICᵢ. Proof points are checked to be on the curve and (for B) in the G2 subgroup first.
/// </summary>
public static class Groth16Verifier
{
    /// <summary>
    /// True exactly when <paramref name="proof"/> is valid for <paramref name="publicSignals"/> under <paramref name="key"/>.
    /// A wrong number of public signals is an <see cref="ArgumentException"/>; malformed points give false.
    /// </summary>
    public static bool Verify(Groth16VerifyingKey key, ReadOnlySpan<Bn254Fr> publicSignals, Groth16Proof proof)
        => Check(key, publicSignals, proof) is null;

    /// <summary>Like <see cref="Verify"/>, but returns null when valid and otherwise a short reason.</summary>
    public static string? Check(Groth16VerifyingKey key, ReadOnlySpan<Bn254Fr> publicSignals, Groth16Proof proof)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(proof);
        if (publicSignals.Length != key.PublicCount)
            throw new ArgumentException($"{publicSignals.Length} public signals given, the verification key expects {key.PublicCount}", nameof(publicSignals));
        if (!proof.A.IsOnCurve) return "proof point A is not on the curve";
        if (!proof.C.IsOnCurve) return "proof point C is not on the curve";
        if (!proof.B.IsOnCurve) return "proof point B is not on the G2 curve";
        if (!proof.B.IsInSubgroup) return "proof point B is not in the G2 subgroup";
        if (proof.A.IsInfinity || proof.B.IsInfinity || proof.C.IsInfinity) return "proof has a point at infinity";

        var acc = key.IC[0].ToProjective();
        for (int i = 0; i < publicSignals.Length; i++)
            acc += key.IC[i + 1].ToProjective().Multiply(publicSignals[i]);
        var icx = acc.ToAffine();

        ReadOnlySpan<G1Affine> g1 = [proof.A.Negate(), icx, proof.C, key.Alpha1];
        ReadOnlySpan<G2Affine> g2 = [proof.B, key.Gamma2, key.Delta2, key.Beta2];
        return Pairing.PairingProductIsOne(g1, g2) ? null : "pairing check failed: the proof does not match these public signals and key";
    }
}
