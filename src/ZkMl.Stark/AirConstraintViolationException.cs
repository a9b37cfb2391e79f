namespace ZkMl.Stark;

/// <summary>The execution trace does not satisfy the AIR; names the constraint and the row.</summary>
public sealed class AirConstraintViolationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AirConstraintViolationException(string constraint, int row, string message) : base(message)
    {
        Constraint = constraint;
        Row = row;
    }

    /// <summary>The violated constraint's name.</summary>
    public string Constraint { get; }
    /// <summary>The first row (0-based) at which it fails.</summary>
    public int Row { get; }
}
