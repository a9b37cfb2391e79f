using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// An affine point of BN254's G1: y^2 = x^3 + 3 over Fq (Ethereum's alt_bn128; the group has prime order r, so every
/// curve point is in the subgroup). The point at infinity has <see cref="IsInfinity"/> set and zero coordinates.
/// </summary>
public readonly struct G1Affine : IEquatable<G1Affine>
{
    internal readonly AffinePoint<Bn254Fq> P;

    internal G1Affine(in AffinePoint<Bn254Fq> p) { P = p; }

    /// <summary>Creates the point (x, y) WITHOUT validation (fast path for trusted data); see <see cref="Create"/>.</summary>
    public G1Affine(Bn254Fq x, Bn254Fq y) { P = new(x, y, false); }

    /// <summary>The x coordinate (zero for infinity).</summary>
    public Bn254Fq X => P.X;
    /// <summary>The y coordinate (zero for infinity).</summary>
    public Bn254Fq Y => P.Y;
    /// <summary>True for the point at infinity (the group identity).</summary>
    public bool IsInfinity => P.IsInfinity;

    /// <summary>Curve coefficient b = 3.</summary>
    public static Bn254Fq B { get; } = Bn254Fq.FromUInt64(3);
    /// <summary>The standard generator (1, 2).</summary>
    public static G1Affine Generator { get; } = new(Bn254Fq.One, Bn254Fq.FromUInt64(2));
    /// <summary>The point at infinity.</summary>
    public static G1Affine Infinity => new(new AffinePoint<Bn254Fq>(default, default, true));
    /// <summary>Bytes of <see cref="WriteUncompressed"/>: 64.</summary>
    public const int UncompressedSize = 64;
    /// <summary>Bytes of <see cref="WriteCompressed"/>: 32.</summary>
    public const int CompressedSize = 32;

    /// <summary>Creates (x, y), throwing <see cref="ArgumentException"/> when it is not on the curve.</summary>
    public static G1Affine Create(Bn254Fq x, Bn254Fq y)
    {
        var p = new G1Affine(x, y);
        if (!p.IsOnCurve) throw new ArgumentException("Point is not on the BN254 G1 curve y^2 = x^3 + 3.");
        return p;
    }

    /// <summary>True when the point satisfies the curve equation (infinity included).</summary>
    public bool IsOnCurve => CurveArithmetic<Bn254Fq>.IsOnCurve(P, B);
    /// <summary>True when the point is in the order-r subgroup: for G1 (cofactor 1) the same as <see cref="IsOnCurve"/>.</summary>
    public bool IsInSubgroup => IsOnCurve;

    /// <summary>-P.</summary>
    public G1Affine Negate() => P.IsInfinity ? this : new(P.X, -P.Y);
    /// <summary>The same point in Jacobian coordinates.</summary>
    public G1Projective ToProjective() => new(CurveArithmetic<Bn254Fq>.FromAffine(P));

    /// <summary>[k]P, variable time (for public scalars).</summary>
    public G1Projective Multiply(in Bn254Fr k) => ToProjective().Multiply(k);

    /// <summary>
    /// Writes the 64-byte EIP-196 encoding: big-endian x then big-endian y; infinity is 64 zero bytes.
    /// </summary>
    public void WriteUncompressed(Span<byte> destination) => PointCodec.WriteG1Uncompressed(this, destination);
    /// <summary>The 64-byte encoding of <see cref="WriteUncompressed"/>.</summary>
    public byte[] ToUncompressed() { var b = new byte[UncompressedSize]; WriteUncompressed(b); return b; }
    /// <summary>
    /// Writes the 32-byte compressed encoding (gnark-crypto's): big-endian x with the two top bits of the first byte
    /// as flags: 10 = y is the smaller of the two roots (y &lt;= (p-1)/2), 11 = the larger, 01 = infinity (rest zero).
    /// </summary>
    public void WriteCompressed(Span<byte> destination) => PointCodec.WriteG1Compressed(this, destination);
    /// <summary>The 32-byte encoding of <see cref="WriteCompressed"/>.</summary>
    public byte[] ToCompressed() { var b = new byte[CompressedSize]; WriteCompressed(b); return b; }

    /// <summary>Strictly decodes <see cref="WriteUncompressed"/>'s format (exact length, coordinates &lt; p, on the curve).</summary>
    public static bool TryReadUncompressed(ReadOnlySpan<byte> source, out G1Affine point) => PointCodec.TryReadG1Uncompressed(source, out point, out _);
    /// <summary>Like <see cref="TryReadUncompressed"/> but throws <see cref="PointEncodingException"/> naming the problem.</summary>
    public static G1Affine ReadUncompressed(ReadOnlySpan<byte> source)
        => PointCodec.TryReadG1Uncompressed(source, out var p, out var error) ? p : throw new PointEncodingException(error!);
    /// <summary>Strictly decodes <see cref="WriteCompressed"/>'s format.</summary>
    public static bool TryReadCompressed(ReadOnlySpan<byte> source, out G1Affine point) => PointCodec.TryReadG1Compressed(source, out point, out _);
    /// <summary>Like <see cref="TryReadCompressed"/> but throws <see cref="PointEncodingException"/> naming the problem.</summary>
    public static G1Affine ReadCompressed(ReadOnlySpan<byte> source)
        => PointCodec.TryReadG1Compressed(source, out var p, out var error) ? p : throw new PointEncodingException(error!);

    /// <summary>Point equality (all infinity representations are equal).</summary>
    public bool Equals(G1Affine other)
        => P.IsInfinity || other.P.IsInfinity ? P.IsInfinity == other.P.IsInfinity : P.X == other.P.X && P.Y == other.P.Y;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G1Affine o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => P.IsInfinity ? 0 : HashCode.Combine(P.X, P.Y);
    /// <summary>Point equality.</summary>
    public static bool operator ==(G1Affine a, G1Affine b) => a.Equals(b);
    /// <summary>Point inequality.</summary>
    public static bool operator !=(G1Affine a, G1Affine b) => !a.Equals(b);
    /// <summary>-P.</summary>
    public static G1Affine operator -(G1Affine a) => a.Negate();
    /// <inheritdoc/>
    public override string ToString() => P.IsInfinity ? "G1(infinity)" : $"G1({P.X}, {P.Y})";
}
