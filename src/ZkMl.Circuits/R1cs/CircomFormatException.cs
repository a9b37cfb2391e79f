namespace ZkMl.Circuits;

/// <summary>A circom .r1cs or .wtns file (or a ZkMl serialization of one) is malformed, truncated or for another field.</summary>
public class CircomFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public CircomFormatException(string message) : base(message) { }
}
