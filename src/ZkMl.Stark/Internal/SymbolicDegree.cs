using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>
/// A "field" whose elements are polynomial degrees in the trace and periodic values: evaluating an AIR over it yields each
/// constraint's total degree (sums take the maximum, products add; the zero polynomial absorbs products).
/// Only the operations an AIR's evaluation uses are meaningful; the rest throw.
/// </summary>
internal readonly struct SymbolicDegree(int degree) : IField<SymbolicDegree>
{
    private const int ZeroDegree = int.MinValue;

    /// <summary>Degree of the expression (<see cref="int.MinValue"/> for the zero polynomial).</summary>
    public int Degree { get; } = degree;

    /// <summary>A trace or periodic value.</summary>
    public static SymbolicDegree Variable => new(1);

    public static SymbolicDegree Zero => new(ZeroDegree);
    public static SymbolicDegree One => new(0);
    public static int ByteLength => throw new NotSupportedException();
    public bool IsZero => Degree == ZeroDegree;
    public bool IsOne => false;

    public static SymbolicDegree Add(in SymbolicDegree a, in SymbolicDegree b) => new(Math.Max(a.Degree, b.Degree));
    public static SymbolicDegree Sub(in SymbolicDegree a, in SymbolicDegree b) => Add(a, b);
    public static SymbolicDegree Neg(in SymbolicDegree a) => a;
    public static SymbolicDegree Mul(in SymbolicDegree a, in SymbolicDegree b) => a.IsZero || b.IsZero ? Zero : new(a.Degree + b.Degree);
    public static SymbolicDegree Square(in SymbolicDegree a) => Mul(a, a);
    public static SymbolicDegree Double(in SymbolicDegree a) => a;
    public static SymbolicDegree Inverse(in SymbolicDegree a) => throw new NotSupportedException("AIR constraints are polynomials: no inverses.");
    public static SymbolicDegree FromUInt64(ulong value) => value == 0 ? Zero : One;
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out SymbolicDegree value) => throw new NotSupportedException();
    public static SymbolicDegree Random(Random rng) => throw new NotSupportedException();
    public void WriteBytes(Span<byte> destination) => throw new NotSupportedException();

    public static SymbolicDegree operator +(SymbolicDegree a, SymbolicDegree b) => Add(a, b);
    public static SymbolicDegree operator -(SymbolicDegree a, SymbolicDegree b) => Sub(a, b);
    public static SymbolicDegree operator *(SymbolicDegree a, SymbolicDegree b) => Mul(a, b);
    public static SymbolicDegree operator -(SymbolicDegree a) => a;
    public static bool operator ==(SymbolicDegree a, SymbolicDegree b) => a.Degree == b.Degree;
    public static bool operator !=(SymbolicDegree a, SymbolicDegree b) => a.Degree != b.Degree;
    public bool Equals(SymbolicDegree other) => Degree == other.Degree;
    public override bool Equals(object? obj) => obj is SymbolicDegree d && Equals(d);
    public override int GetHashCode() => Degree;
}
