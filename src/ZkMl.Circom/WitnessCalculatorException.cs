namespace ZkMl.Circom;

/// <summary>
/// The witness calculator refused its inputs (an unknown signal, a wrong number of values, a value that is not an
/// integer), the circuit rejected them (a failed <c>assert</c> or constraint check), or the WebAssembly is not a circom
/// witness calculator for BN254. The message is one line and names the signal where there is one.
/// </summary>
public sealed class WitnessCalculatorException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public WitnessCalculatorException(string message) : base(message) { }

    /// <summary>Creates the exception with its message and the error that caused it.</summary>
    public WitnessCalculatorException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception without a message (prefer the other constructors).</summary>
    public WitnessCalculatorException() { }
}
