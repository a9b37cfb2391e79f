namespace ZkMl.Sumcheck;

/// <summary>A lookup prover's output: the proof and the evaluation claims it reduces to (honest values).</summary>
/// <param name="Proof">The messages to send.</param>
/// <param name="Reduction">The points and the witness columns' and multiplicities' values there.</param>
public sealed record LookupProverResult(LookupProof Proof, LookupReduction Reduction);
