using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// What <see cref="ZkStoredMaskGkr.Prove"/> returns: the steps' proofs (root first; the caller writes them), the leaves'
/// reduction, and the linear claims on the caller's table with their values (for its <see cref="ZkLinearReduction"/>).
/// </summary>
/// <param name="Steps">One zero-knowledge sumcheck per step.</param>
/// <param name="Reduction">The leaf factors' values at the last step's point.</param>
/// <param name="Claims">The Libra values and carried masks as functionals of the caller's table.</param>
/// <param name="Values">Their values, in order.</param>
public sealed record ZkStoredMaskGkrResult(ZkSumcheckProof[] Steps, ZkFractionalSumReduction Reduction, ZkLinearClaim[] Claims, GoldilocksExt2[] Values);
