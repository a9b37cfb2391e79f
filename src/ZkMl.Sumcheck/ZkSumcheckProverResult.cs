using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>A <see cref="ZkSumcheck"/> prover's output.</summary>
/// <param name="Proof">The messages to send.</param>
/// <param name="Claim">The sum over the hypercube of the product of the factors (the masks vanish there).</param>
/// <param name="Reduction">The point and the honest values there.</param>
public sealed record ZkSumcheckProverResult(ZkSumcheckProof Proof, GoldilocksExt2 Claim, ZkSumcheckReduction Reduction);
