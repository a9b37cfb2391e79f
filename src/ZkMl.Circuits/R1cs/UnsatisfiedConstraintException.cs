namespace ZkMl.Circuits;

/// <summary>A constraint A*B = C does not hold for a witness.</summary>
public sealed class UnsatisfiedConstraintException : CircuitWitnessException
{
    /// <summary>Creates the exception for constraint <paramref name="constraintIndex"/>.</summary>
    public UnsatisfiedConstraintException(int constraintIndex, string message) : base(message) => ConstraintIndex = constraintIndex;

    /// <summary>Index of the first failing constraint.</summary>
    public int ConstraintIndex { get; }
}
