namespace ZkMl.Snark.Formats;

/// <summary>A snarkjs/iden3 file (.zkey, .ptau, snarkjs JSON) was malformed, of the wrong kind, or holds an invalid point.</summary>
public class SnarkFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the file and what is wrong.</summary>
    public SnarkFormatException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public SnarkFormatException(string message, Exception inner) : base(message, inner) { }
}
