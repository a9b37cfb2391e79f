namespace ZkMl.Stark;

/// <summary>A serialized proof is malformed (wrong magic or version, truncated, out-of-range values, trailing bytes).</summary>
public sealed class StarkProofFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StarkProofFormatException(string message) : base(message) { }
}
