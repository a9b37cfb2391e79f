using System.Buffers.Binary;
using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// ffjavascript's "LEM" encodings used inside .zkey and .ptau: field elements as 32 little-endian bytes in Montgomery
/// form (R = 2^256, the same representation as <see cref="Bn254Fq"/>/<see cref="Bn254Fr"/>), affine points as x‖y,
/// G2 coordinates as c0‖c1, and the point at infinity as all zero bytes.
/// </summary>
internal static class LemCodec
{
    public const int G1Size = 64, G2Size = 128, FrSize = 32;

    // q and r as little-endian limbs, for the range checks of raw Montgomery limbs.
    private const ulong Q0 = 0x3c208c16d87cfd47, Q1 = 0x97816a916871ca8d, Q2 = 0xb85045b68181585d, Q3 = 0x30644e72e131a029;
    private const ulong R0 = 0x43e1f593f0000001, R1 = 0x2833e84879b97091, R2 = 0xb85045b68181585d, R3 = 0x30644e72e131a029;

    private static bool Below(ulong l0, ulong l1, ulong l2, ulong l3, ulong m0, ulong m1, ulong m2, ulong m3)
    {
        if (l3 != m3) return l3 < m3;
        if (l2 != m2) return l2 < m2;
        if (l1 != m1) return l1 < m1;
        return l0 < m0;
    }

    private static void Limbs(ReadOnlySpan<byte> s, out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        l0 = BinaryPrimitives.ReadUInt64LittleEndian(s);
        l1 = BinaryPrimitives.ReadUInt64LittleEndian(s[8..]);
        l2 = BinaryPrimitives.ReadUInt64LittleEndian(s[16..]);
        l3 = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
    }

    public static bool TryReadFqMontgomery(ReadOnlySpan<byte> s, out Bn254Fq value)
    {
        Limbs(s, out var l0, out var l1, out var l2, out var l3);
        value = Bn254Fq.FromMontgomeryLimbs(l0, l1, l2, l3);
        return Below(l0, l1, l2, l3, Q0, Q1, Q2, Q3);
    }

    public static bool TryReadFrMontgomery(ReadOnlySpan<byte> s, out Bn254Fr value)
    {
        Limbs(s, out var l0, out var l1, out var l2, out var l3);
        value = Bn254Fr.FromMontgomeryLimbs(l0, l1, l2, l3);
        return Below(l0, l1, l2, l3, R0, R1, R2, R3);
    }

    public static void WriteFqMontgomery(in Bn254Fq v, Span<byte> d)
    {
        v.GetMontgomeryLimbs(out var l0, out var l1, out var l2, out var l3);
        BinaryPrimitives.WriteUInt64LittleEndian(d, l0);
        BinaryPrimitives.WriteUInt64LittleEndian(d[8..], l1);
        BinaryPrimitives.WriteUInt64LittleEndian(d[16..], l2);
        BinaryPrimitives.WriteUInt64LittleEndian(d[24..], l3);
    }

    /// <summary>Decodes a G1 LEM point; false when a coordinate is not below q.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> s, out G1Affine point)
    {
        bool ok = TryReadFqMontgomery(s, out var x) & TryReadFqMontgomery(s[32..], out var y);
        point = x.IsZero && y.IsZero ? G1Affine.Infinity : new G1Affine(x, y);
        return ok;
    }

    public static bool TryReadG2(ReadOnlySpan<byte> s, out G2Affine point)
    {
        bool ok = TryReadFqMontgomery(s, out var x0) & TryReadFqMontgomery(s[32..], out var x1)
                & TryReadFqMontgomery(s[64..], out var y0) & TryReadFqMontgomery(s[96..], out var y1);
        var x = new Fq2(x0, x1);
        var y = new Fq2(y0, y1);
        point = x.IsZero && y.IsZero ? G2Affine.Infinity : new G2Affine(x, y);
        return ok;
    }

    public static void WriteG1(in G1Affine p, Span<byte> d)
    {
        if (p.IsInfinity) { d[..G1Size].Clear(); return; }
        WriteFqMontgomery(p.X, d);
        WriteFqMontgomery(p.Y, d[32..]);
    }

    public static void WriteG2(in G2Affine p, Span<byte> d)
    {
        if (p.IsInfinity) { d[..G2Size].Clear(); return; }
        WriteFqMontgomery(p.X.C0, d);
        WriteFqMontgomery(p.X.C1, d[32..]);
        WriteFqMontgomery(p.Y.C0, d[64..]);
        WriteFqMontgomery(p.Y.C1, d[96..]);
    }

    /// <summary>
    /// Decodes <paramref name="count"/> consecutive G1 points at <paramref name="offset"/> of <paramref name="file"/> in parallel
    /// straight from the mapped file, each checked on the curve; a clear error names the first bad one.
    /// </summary>
    public static G1Affine[] ReadG1Array(BinFile file, long offset, int count, string what)
    {
        var reader = new PointSectionReader(file);
        var points = reader.AddG1(offset, count, what);
        reader.Run();
        return points;
    }

    /// <summary>Decodes <paramref name="count"/> consecutive G2 points as <see cref="ReadG1Array"/> does, each checked in the order-r subgroup.</summary>
    public static G2Affine[] ReadG2Array(BinFile file, long offset, int count, string what)
    {
        var reader = new PointSectionReader(file);
        var points = reader.AddG2(offset, count, what);
        reader.Run();
        return points;
    }

    internal static int Chunks(int count) => Math.Max(1, Math.Min(Environment.ProcessorCount * 4, count / 1024));
    internal static (int From, int To) Range(int count, int chunks, int c) =>
        ((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks));

    // ---- decimal (snarkjs JSON) forms ----

    public static Bn254Fq FqFromDecimal(BigInteger v, string what)
    {
        if (v.Sign < 0 || v >= Bn254Fq.Modulus) throw new SnarkFormatException($"{what}: coordinate out of range [0, q)");
        return Bn254Fq.FromBigInteger(v);
    }

    /// <summary>A G1 point from snarkjs projective coordinates [x, y, z] with z ∈ {0, 1}; checked to lie on the curve.</summary>
    public static G1Affine G1FromDecimal(BigInteger x, BigInteger y, BigInteger z, string what)
    {
        if (z.IsZero) return G1Affine.Infinity;
        if (!z.IsOne) throw new SnarkFormatException($"{what}: only affine points (z = 1) or infinity (z = 0) are supported");
        var p = new G1Affine(FqFromDecimal(x, what), FqFromDecimal(y, what));
        if (!p.IsOnCurve) throw new SnarkFormatException($"{what}: point is not on the BN254 G1 curve");
        return p;
    }

    /// <summary>A G2 point from snarkjs coordinates [[x0,x1],[y0,y1],[z0,z1]]; checked to lie on the curve and in the r-torsion subgroup.</summary>
    public static G2Affine G2FromDecimal(BigInteger x0, BigInteger x1, BigInteger y0, BigInteger y1, BigInteger z0, BigInteger z1, string what)
    {
        if (z0.IsZero && z1.IsZero) return G2Affine.Infinity;
        if (!z0.IsOne || !z1.IsZero) throw new SnarkFormatException($"{what}: only affine points (z = [1, 0]) or infinity (z = [0, 0]) are supported");
        var p = new G2Affine(new Fq2(FqFromDecimal(x0, what), FqFromDecimal(x1, what)), new Fq2(FqFromDecimal(y0, what), FqFromDecimal(y1, what)));
        if (!p.IsOnCurve) throw new SnarkFormatException($"{what}: point is not on the BN254 G2 twist curve");
        if (!p.IsInSubgroup) throw new SnarkFormatException($"{what}: point is not in the G2 subgroup of order r");
        return p;
    }
}
