namespace ZkMl.Circuits;

/// <summary>The values given to a circuit cannot satisfy it (a failed constraint, a value outside a declared range, a wrong witness size).</summary>
public class CircuitWitnessException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public CircuitWitnessException(string message) : base(message) { }
}

/// <summary>A constraint A*B = C does not hold for a witness.</summary>
public sealed class UnsatisfiedConstraintException : CircuitWitnessException
{
    /// <summary>Creates the exception for constraint <paramref name="constraintIndex"/>.</summary>
    public UnsatisfiedConstraintException(int constraintIndex, string message) : base(message) => ConstraintIndex = constraintIndex;

    /// <summary>Index of the first failing constraint.</summary>
    public int ConstraintIndex { get; }
}

/// <summary>A circom .r1cs or .wtns file (or a ZkMl serialization of one) is malformed, truncated or for another field.</summary>
public class CircomFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public CircomFormatException(string message) : base(message) { }
}
