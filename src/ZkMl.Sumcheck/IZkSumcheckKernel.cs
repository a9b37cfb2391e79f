using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A dedicated prover's tables for <see cref="ZkSumcheck"/>: the rounds' sums of a known sum of products computed
/// exploiting its structure, with exactly the values the generic prover computes (same transcript, same proof).
/// Called in order: <see cref="Claim"/>, then per round <see cref="RoundValues"/> and <see cref="Fold"/>, then <see cref="Finals"/>.
/// </summary>
internal interface IZkSumcheckKernel
{
    /// <summary>Which factors are masked (for the terms' check).</summary>
    bool[] Masked { get; }

    /// <summary>The sum over the hypercube.</summary>
    GoldilocksExt2 Claim();

    /// <summary>sums[t] for t = 0, 2..degree (sums[1] unused) of the round's polynomial without the Libra mask.</summary>
    void RoundValues(int round, int degree, Span<GoldilocksExt2> sums);

    /// <summary>Fixes the round's variable to <paramref name="r"/> (the kernel may defer the work to the next round).</summary>
    void Fold(int round, GoldilocksExt2 r);

    /// <summary>The factors' final values f'_j(r).</summary>
    GoldilocksExt2[] Finals();
}
