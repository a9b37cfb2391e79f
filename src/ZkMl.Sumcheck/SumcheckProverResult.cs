using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>A sumcheck prover's output: the proof, the sum it proves and the evaluation claims it reduces to.</summary>
/// <param name="Proof">The messages to send.</param>
/// <param name="Claim">The sum over the hypercube of the product of the factors.</param>
/// <param name="Reduction">The final point and the factors' values there (honest values).</param>
public sealed record SumcheckProverResult(SumcheckProof Proof, GoldilocksExt2 Claim, SumcheckReduction Reduction);
