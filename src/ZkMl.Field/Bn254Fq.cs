using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// The BN254 base field F_q (q = 21888242871839275222246405745257275088696311157297823662689037894645226208583), the coordinate field of the curve.
/// Elements are stored in Montgomery form (x*R mod p, R = 2^256) as four little-endian 64-bit limbs;
/// the struct's memory layout is exactly those four limbs, so spans of it can be reinterpreted as ulong
/// limbs for kernels and bulk serialisation. Arithmetic allocates nothing.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Bn254Fq : IPrimeField<Bn254Fq>
{
    internal const ulong P0 = 0x3c208c16d87cfd47, P1 = 0x97816a916871ca8d, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029;
    internal const ulong Inv = 0x87d20782e4866389; // -p^-1 mod 2^64
    private const ulong R0 = 0xd35d438dc58f0d9d, R1 = 0x0a78eb28f5c70b3d, R2 = 0x666ea36f7879462c, R3 = 0x0e0a77c19a07df2f; // R mod p (Montgomery one)
    private const ulong RR0 = 0xf32cfc5b538afa89, RR1 = 0xb5e71911d44501fb, RR2 = 0x47ab1eff0a417ff6, RR3 = 0x06d89f71cab8351f; // R^2 mod p

    internal readonly ulong L0, L1, L2, L3;

    private Bn254Fq(ulong l0, ulong l1, ulong l2, ulong l3) { L0 = l0; L1 = l1; L2 = l2; L3 = l3; }

    /// <summary>The modulus p = 21888242871839275222246405745257275088696311157297823662689037894645226208583.</summary>
    public static BigInteger Modulus { get; } = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");
    /// <inheritdoc />
    public static int ModulusBits => 254;
    /// <inheritdoc />
    public static int ByteLength => 32;
    /// <inheritdoc />
    public static Bn254Fq Zero => default;
    /// <inheritdoc />
    public static Bn254Fq One => new(R0, R1, R2, R3);

    /// <summary>Builds an element from raw Montgomery limbs without checks (the caller guarantees limbs &lt; p).</summary>
    public static Bn254Fq FromMontgomeryLimbs(ulong l0, ulong l1, ulong l2, ulong l3) => new(l0, l1, l2, l3);

    /// <summary>The raw Montgomery-form limbs, least significant first.</summary>
    public void GetMontgomeryLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) { l0 = L0; l1 = L1; l2 = L2; l3 = L3; }

    /// <summary>The canonical (non-Montgomery) value as limbs, least significant first.</summary>
    public void GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) =>
        Mont256.Mul(L0, L1, L2, L3, 1, 0, 0, 0, P0, P1, P2, P3, Inv, out l0, out l1, out l2, out l3);

    /// <summary>Builds an element from canonical limbs; returns false when the value is not below p.</summary>
    public static bool TryFromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, out Bn254Fq value)
    {
        if (!Mont256.LessThan(l0, l1, l2, l3, P0, P1, P2, P3)) { value = default; return false; }
        Mont256.Mul(l0, l1, l2, l3, RR0, RR1, RR2, RR3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        value = new(r0, r1, r2, r3);
        return true;
    }

    /// <inheritdoc />
    public bool IsZero => (L0 | L1 | L2 | L3) == 0;
    /// <inheritdoc />
    public bool IsOne => L0 == R0 && L1 == R1 && L2 == R2 && L3 == R3;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Add(in Bn254Fq a, in Bn254Fq b)
    {
        Mont256.Add(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Sub(in Bn254Fq a, in Bn254Fq b)
    {
        Mont256.Sub(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Neg(in Bn254Fq a) => a.IsZero ? a : Sub(default, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Double(in Bn254Fq a) => Add(a, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Mul(in Bn254Fq a, in Bn254Fq b)
    {
        Mont256.Mul(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Square(in Bn254Fq a)
    {
        Mont256.Square(a.L0, a.L1, a.L2, a.L3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <summary>a^e for an exponent given as four little-endian limbs (variable time in e; see <see cref="FieldMath.Pow{T}(in T, BigInteger)"/>).</summary>
    public static Bn254Fq Pow(in Bn254Fq a, ulong e0, ulong e1, ulong e2, ulong e3) => FieldMath.Pow<Bn254Fq>(a, [e0, e1, e2, e3]);

    /// <summary>a^e.</summary>
    public static Bn254Fq Pow(in Bn254Fq a, ulong e) => Pow(a, e, 0, 0, 0);

    /// <inheritdoc />
    public static Bn254Fq Inverse(in Bn254Fq a)
    {
        if (a.IsZero) throw new DivideByZeroException("Bn254Fq: zero has no multiplicative inverse.");
        return Pow(a, P0 - 2, P1, P2, P3); // Fermat: a^(p-2); P0 >= 2 for both BN254 moduli
    }

    /// <inheritdoc />
    public static Bn254Fq FromUInt64(ulong value)
    {
        Mont256.Mul(value, 0, 0, 0, RR0, RR1, RR2, RR3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <summary>The element congruent to a signed integer (negative values map to p - |value|).</summary>
    public static Bn254Fq FromInt64(long value) =>
        value >= 0 ? FromUInt64((ulong)value) : Neg(FromUInt64(value == long.MinValue ? 1UL << 63 : (ulong)(-value)));

    /// <inheritdoc />
    public static Bn254Fq FromBigInteger(BigInteger value)
    {
        BigInteger reduced = BigInteger.Remainder(value, Modulus);
        if (reduced.Sign < 0) reduced += Modulus;
        Mont256.FromBigInteger(reduced, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        TryFromCanonicalLimbs(l0, l1, l2, l3, out Bn254Fq result);
        return result;
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger()
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return Mont256.ToBigInteger(l0, l1, l2, l3);
    }

    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination)
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        Mont256.WriteLimbs(destination, l0, l1, l2, l3);
    }

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Bn254Fq value)
    {
        if (source.Length != 32) { value = default; return false; }
        Mont256.ReadLimbs(source, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return TryFromCanonicalLimbs(l0, l1, l2, l3, out value);
    }

    /// <summary>Strictly decodes 32 canonical little-endian bytes.</summary>
    /// <exception cref="FormatException">The input is not 32 bytes or encodes a value &gt;= p.</exception>
    public static Bn254Fq ReadBytes(ReadOnlySpan<byte> source) =>
        TryReadBytes(source, out Bn254Fq v) ? v
            : throw new FormatException(source.Length != 32
                ? $"Bn254Fq encoding must be 32 bytes, got {source.Length}."
                : "Bn254Fq encoding is not canonical: value >= modulus.");

    /// <inheritdoc />
    public static Bn254Fq Random(System.Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            // Rejection sampling of 254-bit values below p; Montgomery mapping is a bijection so raw limbs are uniform too.
            ulong l0 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l1 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l2 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l3 = (ulong)rng.NextInt64() & ((1UL << 62) - 1);
            if (Mont256.LessThan(l0, l1, l2, l3, P0, P1, P2, P3)) return new(l0, l1, l2, l3);
        }
    }

    /// <inheritdoc />
    public static Bn254Fq operator +(Bn254Fq a, Bn254Fq b) => Add(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator -(Bn254Fq a, Bn254Fq b) => Sub(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator *(Bn254Fq a, Bn254Fq b) => Mul(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator -(Bn254Fq a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(Bn254Fq a, Bn254Fq b) => a.Equals(b);
    /// <inheritdoc />
    public static bool operator !=(Bn254Fq a, Bn254Fq b) => !a.Equals(b);

    /// <inheritdoc />
    public bool Equals(Bn254Fq other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3;
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Bn254Fq other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);
    /// <summary>The canonical value in decimal.</summary>
    public override string ToString() => ToBigInteger().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
