using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// The Groth16 verification key (snarkjs's verification_key.json): α in G1; β, γ, δ in G2; and
/// IC[0..nPublic] in G1, where IC[0] carries the constant wire 1 and IC[i] the i-th public signal.
/// </summary>
public sealed class Groth16VerifyingKey
{
    /// <summary>Creates a verification key; <paramref name="ic"/> has one entry per public signal plus one.</summary>
    public Groth16VerifyingKey(G1Affine alpha1, G2Affine beta2, G2Affine gamma2, G2Affine delta2, G1Affine[] ic)
    {
        ArgumentNullException.ThrowIfNull(ic);
        if (ic.Length == 0) throw new ArgumentException("IC needs at least one point (the constant wire).", nameof(ic));
        Alpha1 = alpha1; Beta2 = beta2; Gamma2 = gamma2; Delta2 = delta2; IC = ic;
    }

    /// <summary>[α]₁.</summary>
    public G1Affine Alpha1 { get; }
    /// <summary>[β]₂.</summary>
    public G2Affine Beta2 { get; }
    /// <summary>[γ]₂.</summary>
    public G2Affine Gamma2 { get; }
    /// <summary>[δ]₂.</summary>
    public G2Affine Delta2 { get; }
    /// <summary>[(β·u_i(τ) + α·v_i(τ) + w_i(τ))/γ]₁ for the constant wire and each public signal.</summary>
    public IReadOnlyList<G1Affine> IC { get; }
    /// <summary>Number of public signals (outputs then public inputs, snarkjs's nPublic).</summary>
    public int PublicCount => IC.Count - 1;
}
