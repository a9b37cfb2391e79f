namespace ZkMl.Training;

/// <summary>The proof system that proves each SGD step.</summary>
public enum Backend
{
    /// <summary>Groth16 over BN254: the SGD-step R1CS with in-circuit Poseidon commitments and Merkle membership. Needs a trusted setup per network shape.</summary>
    Groth16,
    /// <summary>FRI STARK over Goldilocks: the training-step AIR plus a batch-membership AIR over a Poseidon-Goldilocks data-set tree. Transparent (no setup), larger proofs.</summary>
    Stark,
    /// <summary>Sumcheck over Goldilocks: matrix-product sumchecks, LogUp-GKR range lookups and Ligero commitments, prover work linear in the sizes of the matrices rather than the multiplications. Transparent; networks of 1..8 dense layers with or without biases; not yet zero knowledge (docs/sumcheck-step.md).</summary>
    Sumcheck,
}
