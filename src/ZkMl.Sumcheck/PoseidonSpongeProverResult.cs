using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>A <see cref="PoseidonSpongeZeroCheck"/> prover's output.</summary>
/// <param name="Proof">The zero-check's messages.</param>
/// <param name="Claims">The masked finals and the Libra value as linear functionals of the caller's table, for its <see cref="ZkLinearReduction"/>.</param>
/// <param name="Values">Their values (what the verifier reads from the proof).</param>
/// <param name="Point">The zero-check's final point (the trace tables' variables).</param>
public sealed record PoseidonSpongeProverResult(ZkSumcheckProof Proof, ZkLinearClaim[] Claims, GoldilocksExt2[] Values, GoldilocksExt2[] Point);
