using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>One rank-1 constraint <c>&lt;A,w&gt; * &lt;B,w&gt; = &lt;C,w&gt;</c>.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="A">Left factor.</param>
/// <param name="B">Right factor.</param>
/// <param name="C">Product.</param>
public readonly record struct R1csConstraint<T>(LinearCombination<T> A, LinearCombination<T> B, LinearCombination<T> C)
    where T : struct, IPrimeField<T>
{
    /// <summary>True when the constraint holds for <paramref name="witness"/>.</summary>
    public bool IsSatisfiedBy(ReadOnlySpan<T> witness) => A.Evaluate(witness) * B.Evaluate(witness) == C.Evaluate(witness);
}
