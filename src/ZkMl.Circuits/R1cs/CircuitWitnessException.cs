namespace ZkMl.Circuits;

/// <summary>The values given to a circuit cannot satisfy it (a failed constraint, a value outside a declared range, a wrong witness size).</summary>
public class CircuitWitnessException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public CircuitWitnessException(string message) : base(message) { }
}
