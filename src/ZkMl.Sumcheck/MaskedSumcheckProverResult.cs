using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>A masked sumcheck prover's output: the proof, the (unmasked) sum it proves and the claims it reduces to.</summary>
/// <param name="Proof">The messages to send.</param>
/// <param name="Claim">The sum over the hypercube of the product of the factors.</param>
/// <param name="Reduction">The points and honest values there.</param>
public sealed record MaskedSumcheckProverResult(MaskedSumcheckProof Proof, GoldilocksExt2 Claim, MaskedSumcheckReduction Reduction);
