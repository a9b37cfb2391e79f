using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>Where and how a witness fails a constraint system.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="ConstraintIndex">Index of the first failing constraint.</param>
/// <param name="A">&lt;A,w&gt;.</param>
/// <param name="B">&lt;B,w&gt;.</param>
/// <param name="C">&lt;C,w&gt; (which differs from A*B).</param>
/// <param name="Description">A sentence naming the constraint and its values (or, with index -1, what is wrong with the witness's shape).</param>
public sealed record ConstraintFailure<T>(int ConstraintIndex, T A, T B, T C, string Description) where T : struct, IPrimeField<T>
{
    internal static ConstraintFailure<T> Of(int index, T a, T b, T c) => new(index, a, b, c,
        $"constraint {index} is not satisfied: A = {SignedValues.Format(a)}, B = {SignedValues.Format(b)}, A*B = {SignedValues.Format(a * b)} but C = {SignedValues.Format(c)}");

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}
