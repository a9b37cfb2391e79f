using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>
/// A rank-1 constraint system over <typeparamref name="T"/>, in circom's wire layout:
/// <list type="bullet">
/// <item>wire 0 is the constant 1;</item>
/// <item>wires 1 .. <see cref="PublicOutputCount"/> are public outputs, then <see cref="PublicInputCount"/> public inputs
/// (so wires 1 .. <see cref="PublicCount"/> are the statement a verifier sees, in that order);</item>
/// <item>then <see cref="PrivateInputCount"/> private inputs, then every other (internal) wire, up to <see cref="WireCount"/> - 1.</item>
/// </list>
/// A witness is a <typeparamref name="T"/>[<see cref="WireCount"/>] with witness[0] = 1. Each constraint holds when
/// <c>A·w * B·w = C·w</c>; <see cref="Constraints"/> lists them with sparse rows (<see cref="LinearCombination{T}.Terms"/>:
/// wire index and coefficient). This is exactly what a Groth16 or other R1CS prover consumes.
/// </summary>
/// <typeparam name="T">The field.</typeparam>
public sealed class R1cs<T> where T : struct, IPrimeField<T>
{
    private readonly R1csConstraint<T>[] _constraints;

    /// <summary>Creates a system, checking that every wire index is below <paramref name="wireCount"/>.</summary>
    /// <param name="wireCount">Total wires including the constant one.</param>
    /// <param name="publicOutputCount">Public outputs (wires 1..).</param>
    /// <param name="publicInputCount">Public inputs (after the outputs).</param>
    /// <param name="privateInputCount">Private inputs (after the public wires).</param>
    /// <param name="constraints">The constraints.</param>
    public R1cs(int wireCount, int publicOutputCount, int publicInputCount, int privateInputCount, IEnumerable<R1csConstraint<T>> constraints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wireCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(publicOutputCount);
        ArgumentOutOfRangeException.ThrowIfNegative(publicInputCount);
        ArgumentOutOfRangeException.ThrowIfNegative(privateInputCount);
        if (1L + publicOutputCount + publicInputCount + privateInputCount > wireCount)
            throw new ArgumentException($"1 + {publicOutputCount} public outputs + {publicInputCount} public inputs + {privateInputCount} private inputs exceed {wireCount} wires");
        _constraints = constraints.ToArray();
        for (int i = 0; i < _constraints.Length; i++)
        {
            var c = _constraints[i];
            var max = Math.Max(c.A.MaxWire, Math.Max(c.B.MaxWire, c.C.MaxWire));
            if (max >= wireCount) throw new ArgumentException($"constraint {i} uses wire {max} but the system has {wireCount} wires");
        }
        WireCount = wireCount;
        PublicOutputCount = publicOutputCount;
        PublicInputCount = publicInputCount;
        PrivateInputCount = privateInputCount;
    }

    /// <summary>Total number of wires, including wire 0 (the constant one).</summary>
    public int WireCount { get; }

    /// <summary>Number of public output wires (wires 1..PublicOutputCount).</summary>
    public int PublicOutputCount { get; }

    /// <summary>Number of public input wires (following the outputs).</summary>
    public int PublicInputCount { get; }

    /// <summary>Number of public wires, outputs and inputs together (the l of Groth16; snarkjs's nPublic).</summary>
    public int PublicCount => PublicOutputCount + PublicInputCount;

    /// <summary>Number of private input wires (following the public ones).</summary>
    public int PrivateInputCount { get; }

    /// <summary>The constraints.</summary>
    public IReadOnlyList<R1csConstraint<T>> Constraints => _constraints;

    /// <summary>Number of constraints.</summary>
    public int ConstraintCount => _constraints.Length;

    /// <summary>Total number of non-zero coefficients in A, B and C together.</summary>
    public long NonZeroCount => _constraints.Sum(c => (long)c.A.Count + c.B.Count + c.C.Count);

    /// <summary>True when every constraint holds for <paramref name="witness"/> (which must have <see cref="WireCount"/> entries and start with 1).</summary>
    public bool IsSatisfied(ReadOnlySpan<T> witness) => FindFailure(witness, out _) == null;

    /// <summary>True when every constraint holds; otherwise <paramref name="failure"/> names the first failing constraint and its values.</summary>
    public bool IsSatisfied(ReadOnlySpan<T> witness, out ConstraintFailure<T>? failure)
    {
        failure = FindFailure(witness, out var shapeError);
        if (shapeError != null) failure = new ConstraintFailure<T>(-1, T.Zero, T.Zero, T.Zero, shapeError);
        return failure == null;
    }

    /// <summary>Throws <see cref="CircuitWitnessException"/> (or <see cref="UnsatisfiedConstraintException"/>) when the witness does not satisfy the system.</summary>
    public void EnsureSatisfied(ReadOnlySpan<T> witness)
    {
        var failure = FindFailure(witness, out var shapeError);
        if (shapeError != null) throw new CircuitWitnessException(shapeError);
        if (failure != null) throw new UnsatisfiedConstraintException(failure.ConstraintIndex, failure.Description);
    }

    private ConstraintFailure<T>? FindFailure(ReadOnlySpan<T> witness, out string? shapeError)
    {
        shapeError = null;
        if (witness.Length != WireCount) { shapeError = $"the witness has {witness.Length} values but the system has {WireCount} wires"; return null; }
        if (!witness[0].IsOne) { shapeError = $"witness[0] must be 1 (the constant wire) but is {SignedValues.Format(witness[0])}"; return null; }
        for (int i = 0; i < _constraints.Length; i++)
        {
            var c = _constraints[i];
            T a = c.A.Evaluate(witness), b = c.B.Evaluate(witness), cv = c.C.Evaluate(witness);
            if (a * b != cv) return ConstraintFailure<T>.Of(i, a, b, cv);
        }
        return null;
    }

    /// <summary>Short summary: counts of constraints and wires.</summary>
    public override string ToString() =>
        $"R1CS: {ConstraintCount} constraints, {WireCount} wires ({PublicOutputCount} public outputs, {PublicInputCount} public inputs, {PrivateInputCount} private inputs)";
}
