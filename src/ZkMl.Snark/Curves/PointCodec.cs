using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>Byte encodings of G1/G2 points (EIP-196/197 uncompressed, gnark-style compressed), strict on input.</summary>
internal static class PointCodec
{
    private const byte FlagMask = 0b1100_0000;
    private const byte FlagSmallest = 0b1000_0000;
    private const byte FlagLargest = 0b1100_0000;
    private const byte FlagInfinity = 0b0100_0000;

    internal static void WriteFqBigEndian(in Bn254Fq value, Span<byte> destination)
    {
        var d = destination[..32];
        value.WriteBytes(d);
        d.Reverse();
    }

    internal static bool TryReadFqBigEndian(ReadOnlySpan<byte> source, out Bn254Fq value)
    {
        Span<byte> le = stackalloc byte[32];
        source[..32].CopyTo(le);
        le.Reverse();
        return Bn254Fq.TryReadBytes(le, out value);
    }

    private static void CheckLength(Span<byte> destination, int size)
    {
        if (destination.Length < size) throw new ArgumentException($"Destination needs {size} bytes, got {destination.Length}.", nameof(destination));
    }

    // ---------------- G1 ----------------

    public static void WriteG1Uncompressed(in G1Affine p, Span<byte> destination)
    {
        CheckLength(destination, 64);
        if (p.IsInfinity) { destination[..64].Clear(); return; }
        WriteFqBigEndian(p.X, destination[..32]);
        WriteFqBigEndian(p.Y, destination.Slice(32, 32));
    }

    public static bool TryReadG1Uncompressed(ReadOnlySpan<byte> source, out G1Affine point, out string? error)
    {
        point = G1Affine.Infinity;
        if (source.Length != 64) { error = $"G1 uncompressed point must be 64 bytes, got {source.Length}."; return false; }
        if (!source.ContainsAnyExcept((byte)0)) { error = null; return true; }
        if (!TryReadFqBigEndian(source[..32], out var x) || !TryReadFqBigEndian(source.Slice(32, 32), out var y))
        { error = "G1 coordinate is not a canonical field element (>= p)."; return false; }
        point = new G1Affine(x, y);
        if (!point.IsOnCurve) { point = G1Affine.Infinity; error = "G1 point is not on the curve y^2 = x^3 + 3."; return false; }
        error = null;
        return true;
    }

    public static void WriteG1Compressed(in G1Affine p, Span<byte> destination)
    {
        CheckLength(destination, 32);
        if (p.IsInfinity) { destination[..32].Clear(); destination[0] = FlagInfinity; return; }
        WriteFqBigEndian(p.X, destination[..32]);
        destination[0] |= FieldHelpers.IsLexicographicallyLarge(p.Y) ? FlagLargest : FlagSmallest;
    }

    public static bool TryReadG1Compressed(ReadOnlySpan<byte> source, out G1Affine point, out string? error)
    {
        point = G1Affine.Infinity;
        if (source.Length != 32) { error = $"G1 compressed point must be 32 bytes, got {source.Length}."; return false; }
        byte flags = (byte)(source[0] & FlagMask);
        Span<byte> body = stackalloc byte[32];
        source.CopyTo(body);
        body[0] &= unchecked((byte)~FlagMask);
        if (flags == FlagInfinity)
        {
            if (body.ContainsAnyExcept((byte)0)) { error = "G1 compressed infinity must have all other bits zero."; return false; }
            error = null;
            return true;
        }
        if (flags != FlagSmallest && flags != FlagLargest) { error = "G1 compressed point has no compression flag."; return false; }
        if (!TryReadFqBigEndian(body, out var x)) { error = "G1 x coordinate is not a canonical field element (>= p)."; return false; }
        var rhs = Bn254Fq.Square(x) * x + G1Affine.B;
        if (!FieldMath.TrySqrt(rhs, out var y)) { error = "G1 x coordinate has no point on the curve."; return false; }
        if (FieldHelpers.IsLexicographicallyLarge(y) != (flags == FlagLargest)) y = -y;
        point = new G1Affine(x, y);
        error = null;
        return true;
    }

    // ---------------- G2 ----------------

    private static void WriteFq2BigEndian(in Fq2 value, Span<byte> destination)
    {
        WriteFqBigEndian(value.C1, destination[..32]);
        WriteFqBigEndian(value.C0, destination.Slice(32, 32));
    }

    private static bool TryReadFq2BigEndian(ReadOnlySpan<byte> source, out Fq2 value)
    {
        value = default;
        if (!TryReadFqBigEndian(source[..32], out var c1) || !TryReadFqBigEndian(source.Slice(32, 32), out var c0)) return false;
        value = new Fq2(c0, c1);
        return true;
    }

    private static bool IsLexicographicallyLarge(in Fq2 y)
        => y.C1.IsZero ? FieldHelpers.IsLexicographicallyLarge(y.C0) : FieldHelpers.IsLexicographicallyLarge(y.C1);

    public static void WriteG2Uncompressed(in G2Affine p, Span<byte> destination)
    {
        CheckLength(destination, 128);
        if (p.IsInfinity) { destination[..128].Clear(); return; }
        WriteFq2BigEndian(p.X, destination[..64]);
        WriteFq2BigEndian(p.Y, destination.Slice(64, 64));
    }

    public static bool TryReadG2Uncompressed(ReadOnlySpan<byte> source, out G2Affine point, out string? error)
    {
        point = G2Affine.Infinity;
        if (source.Length != 128) { error = $"G2 uncompressed point must be 128 bytes, got {source.Length}."; return false; }
        if (!source.ContainsAnyExcept((byte)0)) { error = null; return true; }
        if (!TryReadFq2BigEndian(source[..64], out var x) || !TryReadFq2BigEndian(source.Slice(64, 64), out var y))
        { error = "G2 coordinate is not a canonical field element (>= p)."; return false; }
        return Validate(new G2Affine(x, y), out point, out error);
    }

    private static bool Validate(G2Affine candidate, out G2Affine point, out string? error)
    {
        point = G2Affine.Infinity;
        if (!candidate.IsOnCurve) { error = "G2 point is not on the twist y^2 = x^3 + 3/(9+u)."; return false; }
        if (!G2Subgroup.IsInSubgroup(candidate.P)) { error = "G2 point is not in the order-r subgroup."; return false; }
        point = candidate;
        error = null;
        return true;
    }

    public static void WriteG2Compressed(in G2Affine p, Span<byte> destination)
    {
        CheckLength(destination, 64);
        if (p.IsInfinity) { destination[..64].Clear(); destination[0] = FlagInfinity; return; }
        WriteFq2BigEndian(p.X, destination[..64]);
        destination[0] |= IsLexicographicallyLarge(p.Y) ? FlagLargest : FlagSmallest;
    }

    public static bool TryReadG2Compressed(ReadOnlySpan<byte> source, out G2Affine point, out string? error)
    {
        point = G2Affine.Infinity;
        if (source.Length != 64) { error = $"G2 compressed point must be 64 bytes, got {source.Length}."; return false; }
        byte flags = (byte)(source[0] & FlagMask);
        Span<byte> body = stackalloc byte[64];
        source.CopyTo(body);
        body[0] &= unchecked((byte)~FlagMask);
        if (flags == FlagInfinity)
        {
            if (body.ContainsAnyExcept((byte)0)) { error = "G2 compressed infinity must have all other bits zero."; return false; }
            error = null;
            return true;
        }
        if (flags != FlagSmallest && flags != FlagLargest) { error = "G2 compressed point has no compression flag."; return false; }
        if (!TryReadFq2BigEndian(body, out var x)) { error = "G2 x coordinate is not a canonical field element (>= p)."; return false; }
        var rhs = Fq2.Square(x) * x + G2Affine.B;
        if (!FieldHelpers.TrySqrtFq2(rhs, out var y)) { error = "G2 x coordinate has no point on the twist."; return false; }
        if (IsLexicographicallyLarge(y) != (flags == FlagLargest)) y = -y;
        return Validate(new G2Affine(x, y), out point, out error);
    }
}
