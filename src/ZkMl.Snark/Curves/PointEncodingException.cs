namespace ZkMl.Snark.Curves;

/// <summary>Thrown when bytes do not encode a valid curve point (wrong length, non-canonical coordinate, bad flags, not on the curve, or outside the prime-order subgroup).</summary>
public sealed class PointEncodingException : FormatException
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public PointEncodingException(string message) : base(message) { }
}
