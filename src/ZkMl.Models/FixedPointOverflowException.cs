namespace ZkMl.Models;

/// <summary>
/// A fixed-point value left the declared signed width (<see cref="QuantizedMlpConfig.ValueBits"/>).
/// The reference throws rather than wraps, so an honest prover never needs a value the circuit's range checks reject.
/// </summary>
public sealed class FixedPointOverflowException : OverflowException
{
    /// <summary>Creates the exception for <paramref name="quantity"/> holding <paramref name="value"/>.</summary>
    public FixedPointOverflowException(string quantity, Int128 value, int valueBits)
        : base($"Fixed-point overflow: {quantity} = {value} does not fit in {valueBits} signed bits.")
    {
        Quantity = quantity;
        Value = value;
        ValueBits = valueBits;
    }

    /// <summary>Which value overflowed, e.g. "z1[3] of sample 2".</summary>
    public string Quantity { get; }
    /// <summary>The out-of-range value.</summary>
    public Int128 Value { get; }
    /// <summary>The declared signed width it had to fit.</summary>
    public int ValueBits { get; }
}
