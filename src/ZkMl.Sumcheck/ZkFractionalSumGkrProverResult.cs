namespace ZkMl.Sumcheck;

/// <summary>A <see cref="ZkFractionalSumGkr"/> prover's output.</summary>
/// <param name="Proof">The messages to send.</param>
/// <param name="Reduction">The leaves' point and the honest values of the leaf factors there.</param>
public sealed record ZkFractionalSumGkrProverResult(ZkFractionalSumGkrProof Proof, ZkFractionalSumReduction Reduction);
