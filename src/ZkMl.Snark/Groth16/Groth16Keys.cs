using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>
/// A Groth16 proof: A and C in G1, B in G2 (affine). Serialised to and from snarkjs's proof.json by
/// <see cref="Formats.SnarkjsJson"/>.
/// </summary>
/// <param name="A">π_A in G1.</param>
/// <param name="B">π_B in G2.</param>
/// <param name="C">π_C in G1.</param>
public sealed record Groth16Proof(G1Affine A, G2Affine B, G1Affine C);

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
}

/// <summary>One matrix (A or B) of the QAP in compressed-row form over the domain rows.</summary>
internal sealed class SparseRows
{
    public SparseRows(int rowCount, int[] rowStart, int[] signals, Bn254Fr[] values)
    {
        RowCount = rowCount; RowStart = rowStart; Signals = signals; Values = values;
    }

    public int RowCount { get; }
    /// <summary>Entries of row r are [RowStart[r], RowStart[r+1]).</summary>
    public int[] RowStart { get; }
    public int[] Signals { get; }
    public Bn254Fr[] Values { get; }
    public int EntryCount => Signals.Length;

    /// <summary>Builds the row form from (row, signal, value) triples in any order.</summary>
    public static SparseRows FromTriples(int rowCount, ReadOnlySpan<(int Row, int Signal, Bn254Fr Value)> triples)
    {
        var rowStart = new int[rowCount + 1];
        foreach (var t in triples) rowStart[t.Row + 1]++;
        for (int r = 0; r < rowCount; r++) rowStart[r + 1] += rowStart[r];
        var fill = (int[])rowStart.Clone();
        var signals = new int[triples.Length];
        var values = new Bn254Fr[triples.Length];
        foreach (var t in triples)
        {
            int k = fill[t.Row]++;
            signals[k] = t.Signal; values[k] = t.Value;
        }
        return new SparseRows(rowCount, rowStart, signals, values);
    }

    /// <summary>out[row] = Σ value·witness[signal] for rows of the domain (rows past RowCount stay zero).</summary>
    public void Evaluate(ReadOnlySpan<Bn254Fr> witness, Span<Bn254Fr> output)
    {
        output.Clear();
        for (int r = 0; r < RowCount; r++)
        {
            Bn254Fr acc = Bn254Fr.Zero;
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
                acc += Values[k] * witness[Signals[k]];
            output[r] = acc;
        }
    }

    /// <summary>Parallel <see cref="Evaluate"/> over chunks of rows.</summary>
    public void EvaluateParallel(Bn254Fr[] witness, Bn254Fr[] output)
    {
        Array.Clear(output);
        ParallelChunks.For(RowCount, 4096, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                Bn254Fr acc = Bn254Fr.Zero;
                for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
                    acc += Values[k] * witness[Signals[k]];
                output[r] = acc;
            }
        });
    }
}
