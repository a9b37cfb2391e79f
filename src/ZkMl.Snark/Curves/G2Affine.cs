using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// An affine point of BN254's G2, on the sextic twist y^2 = x^3 + 3/(9+u) over Fq2 (Ethereum's alt_bn128 / snarkjs).
/// The twist has a large cofactor, so decoding always checks membership in the order-r subgroup.
/// The point at infinity has <see cref="IsInfinity"/> set and zero coordinates.
/// </summary>
public readonly struct G2Affine : IEquatable<G2Affine>
{
    internal readonly AffinePoint<Fq2> P;

    internal G2Affine(in AffinePoint<Fq2> p) { P = p; }

    /// <summary>Creates the point (x, y) WITHOUT validation (fast path for trusted data); see <see cref="Create"/>.</summary>
    public G2Affine(Fq2 x, Fq2 y) { P = new(x, y, false); }

    /// <summary>The x coordinate (zero for infinity).</summary>
    public Fq2 X => P.X;
    /// <summary>The y coordinate (zero for infinity).</summary>
    public Fq2 Y => P.Y;
    /// <summary>True for the point at infinity (the group identity).</summary>
    public bool IsInfinity => P.IsInfinity;

    /// <summary>Twist coefficient b' = 3 / (9 + u).</summary>
    public static Fq2 B { get; } = Fq2.FromUInt64(3) * Fq2.Inverse(Fq2.NonResidue);

    /// <summary>The standard generator of EIP-197 and snarkjs.</summary>
    public static G2Affine Generator { get; } = new(
        new Fq2(Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781"),
                Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")),
        new Fq2(Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930"),
                Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")));

    /// <summary>The point at infinity.</summary>
    public static G2Affine Infinity => new(new AffinePoint<Fq2>(default, default, true));
    /// <summary>Bytes of <see cref="WriteUncompressed"/>: 128.</summary>
    public const int UncompressedSize = 128;
    /// <summary>Bytes of <see cref="WriteCompressed"/>: 64.</summary>
    public const int CompressedSize = 64;

    private static Bn254Fq Parse(string s) => Bn254Fq.FromBigInteger(BigInteger.Parse(s));

    /// <summary>Creates (x, y), throwing <see cref="ArgumentException"/> when it is not on the twist or not in the order-r subgroup.</summary>
    public static G2Affine Create(Fq2 x, Fq2 y)
    {
        var p = new G2Affine(x, y);
        if (!p.IsOnCurve) throw new ArgumentException("Point is not on the BN254 G2 twist y^2 = x^3 + 3/(9+u).");
        if (!p.IsInSubgroup) throw new ArgumentException("Point is on the twist but not in the order-r subgroup G2.");
        return p;
    }

    /// <summary>True when the point satisfies the twist equation (infinity included).</summary>
    public bool IsOnCurve => CurveArithmetic<Fq2>.IsOnCurve(P, B);

    /// <summary>
    /// True when the point is on the twist and in the order-r subgroup, tested with the endomorphism psi
    /// (untwist-Frobenius-twist): [x+1]P + psi([x]P) + psi^2([x]P) = psi^3([2x]P), x the BN seed
    /// (Housni, Guillevic, Piellard 2022, sec. 5.1) — a 63-bit scalar multiplication instead of [r]P.
    /// </summary>
    public bool IsInSubgroup => IsOnCurve && G2Subgroup.IsInSubgroup(P);

    /// <summary>-P.</summary>
    public G2Affine Negate() => P.IsInfinity ? this : new(P.X, -P.Y);
    /// <summary>The same point in Jacobian coordinates.</summary>
    public G2Projective ToProjective() => new(CurveArithmetic<Fq2>.FromAffine(P));
    /// <summary>[k]P, variable time (for public scalars).</summary>
    public G2Projective Multiply(in Bn254Fr k) => ToProjective().Multiply(k);

    /// <summary>
    /// Writes the 128-byte EIP-197 encoding: x.c1, x.c0, y.c1, y.c0, each 32 bytes big-endian (imaginary part first!);
    /// infinity is 128 zero bytes.
    /// </summary>
    public void WriteUncompressed(Span<byte> destination) => PointCodec.WriteG2Uncompressed(this, destination);
    /// <summary>The 128-byte encoding of <see cref="WriteUncompressed"/>.</summary>
    public byte[] ToUncompressed() { var b = new byte[UncompressedSize]; WriteUncompressed(b); return b; }
    /// <summary>
    /// Writes the 64-byte compressed encoding (gnark-crypto's): x.c1 then x.c0 big-endian, flags in the two top bits of the
    /// first byte: 10 = y is lexicographically the smaller root, 11 = the larger, 01 = infinity (rest zero).
    /// "Larger" compares y.c1 against (p-1)/2, or y.c0 when y.c1 = 0.
    /// </summary>
    public void WriteCompressed(Span<byte> destination) => PointCodec.WriteG2Compressed(this, destination);
    /// <summary>The 64-byte encoding of <see cref="WriteCompressed"/>.</summary>
    public byte[] ToCompressed() { var b = new byte[CompressedSize]; WriteCompressed(b); return b; }

    /// <summary>Strictly decodes <see cref="WriteUncompressed"/>'s format (exact length, coordinates &lt; p, on the twist, in G2).</summary>
    public static bool TryReadUncompressed(ReadOnlySpan<byte> source, out G2Affine point) => PointCodec.TryReadG2Uncompressed(source, out point, out _);
    /// <summary>Like <see cref="TryReadUncompressed"/> but throws <see cref="PointEncodingException"/> naming the problem.</summary>
    public static G2Affine ReadUncompressed(ReadOnlySpan<byte> source)
        => PointCodec.TryReadG2Uncompressed(source, out var p, out var error) ? p : throw new PointEncodingException(error!);
    /// <summary>Strictly decodes <see cref="WriteCompressed"/>'s format (including the subgroup check).</summary>
    public static bool TryReadCompressed(ReadOnlySpan<byte> source, out G2Affine point) => PointCodec.TryReadG2Compressed(source, out point, out _);
    /// <summary>Like <see cref="TryReadCompressed"/> but throws <see cref="PointEncodingException"/> naming the problem.</summary>
    public static G2Affine ReadCompressed(ReadOnlySpan<byte> source)
        => PointCodec.TryReadG2Compressed(source, out var p, out var error) ? p : throw new PointEncodingException(error!);

    /// <summary>Point equality (all infinity representations are equal).</summary>
    public bool Equals(G2Affine other)
        => P.IsInfinity || other.P.IsInfinity ? P.IsInfinity == other.P.IsInfinity : P.X == other.P.X && P.Y == other.P.Y;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G2Affine o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => P.IsInfinity ? 0 : HashCode.Combine(P.X, P.Y);
    /// <summary>Point equality.</summary>
    public static bool operator ==(G2Affine a, G2Affine b) => a.Equals(b);
    /// <summary>Point inequality.</summary>
    public static bool operator !=(G2Affine a, G2Affine b) => !a.Equals(b);
    /// <summary>-P.</summary>
    public static G2Affine operator -(G2Affine a) => a.Negate();
    /// <inheritdoc/>
    public override string ToString() => P.IsInfinity ? "G2(infinity)" : $"G2({P.X}, {P.Y})";
}
