namespace ZkMl.Sumcheck;

/// <summary>Proof bytes that do not decode: wrong magic or version, truncated, trailing bytes, a count over its limit or a non-canonical field element.</summary>
public class ProofFormatException : FormatException
{
    /// <summary>Creates the exception with a message saying what did not decode.</summary>
    public ProofFormatException(string message) : base(message) { }
}
