using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// A Groth16 proving key laid out exactly like a snarkjs Groth16 .zkey, so keys made by snarkjs and keys made here
/// are interchangeable: the A/B matrices as sparse rows over the evaluation domain (C is recovered as A∘B),
/// the A, B1, B2, C query points per wire, and the H query as [L_{2i+1}(τ)/δ]₁ over the 2n-domain (snarkjs's odd-coset convention).
/// </summary>
public sealed class Groth16ProvingKey
{
    internal Groth16ProvingKey(int variableCount, int publicCount, int domainSize,
        G1Affine alpha1, G1Affine beta1, G2Affine beta2, G2Affine gamma2, G1Affine delta1, G2Affine delta2,
        G1Affine[] ic, SparseRows matrixA, SparseRows matrixB,
        G1Affine[] a, G1Affine[] b1, G2Affine[] b2, G1Affine[] c, G1Affine[] h)
    {
        VariableCount = variableCount; PublicCount = publicCount; DomainSize = domainSize;
        Alpha1 = alpha1; Beta1 = beta1; Beta2 = beta2; Gamma2 = gamma2; Delta1 = delta1; Delta2 = delta2;
        IcPoints = ic; MatrixA = matrixA; MatrixB = matrixB; APoints = a; B1Points = b1; B2Points = b2; CPoints = c; HPoints = h;
        VerifyingKey = new Groth16VerifyingKey(alpha1, beta2, gamma2, delta2, ic);
    }

    /// <summary>Number of wires including the constant wire 0 (snarkjs's nVars).</summary>
    public int VariableCount { get; }
    /// <summary>Number of public signals (snarkjs's nPublic), wires 1..PublicCount.</summary>
    public int PublicCount { get; }
    /// <summary>Size n of the evaluation domain (a power of two ≥ constraints + public signals + 1).</summary>
    public int DomainSize { get; }
    /// <summary>The matching verification key.</summary>
    public Groth16VerifyingKey VerifyingKey { get; }

    internal G1Affine Alpha1 { get; }
    internal G1Affine Beta1 { get; }
    internal G2Affine Beta2 { get; }
    internal G2Affine Gamma2 { get; }
    internal G1Affine Delta1 { get; }
    internal G2Affine Delta2 { get; }
    internal G1Affine[] IcPoints { get; }
    internal SparseRows MatrixA { get; }
    internal SparseRows MatrixB { get; }
    internal G1Affine[] APoints { get; }
    internal G1Affine[] B1Points { get; }
    internal G2Affine[] B2Points { get; }
    internal G1Affine[] CPoints { get; }
    internal G1Affine[] HPoints { get; }
    /// <summary>The .zkey ceremony record (circuit hash and phase-2 contributions); null when the key has none.</summary>
    internal Formats.ZkeyContributions? Contributions { get; init; }
}
