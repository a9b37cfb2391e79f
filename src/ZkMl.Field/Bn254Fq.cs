using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// The BN254 base field F_q (q = 21888242871839275222246405745257275088696311157297823662689037894645226208583), the coordinate field of the curve.
/// Elements are stored in Montgomery form (x*R mod p, R = 2^256) as four little-endian 64-bit limbs;
/// the struct's memory layout is exactly those four limbs, so spans of it can be reinterpreted as ulong
/// limbs for kernels and bulk serialisation. Arithmetic allocates nothing. The arithmetic is the shared
/// <see cref="Fp256{TConfig}"/> over this field's constants; every member here forwards to it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Bn254Fq : IPrimeField<Bn254Fq>
{
    /// <summary>The constants of Bn254Fq for <see cref="Fp256{TConfig}"/>.</summary>
    internal readonly struct Config : IMont256Config
    {
        public static ulong P0 => 0x3c208c16d87cfd47;
        public static ulong P1 => 0x97816a916871ca8d;
        public static ulong P2 => 0xb85045b68181585d;
        public static ulong P3 => 0x30644e72e131a029;
        public static ulong Inv => 0x87d20782e4866389;
        public static ulong R0 => 0xd35d438dc58f0d9d;
        public static ulong R1 => 0x0a78eb28f5c70b3d;
        public static ulong R2 => 0x666ea36f7879462c;
        public static ulong R3 => 0x0e0a77c19a07df2f;
        public static ulong RR0 => 0xf32cfc5b538afa89;
        public static ulong RR1 => 0xb5e71911d44501fb;
        public static ulong RR2 => 0x47ab1eff0a417ff6;
        public static ulong RR3 => 0x06d89f71cab8351f;
        public static BigInteger Modulus { get; } = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583", System.Globalization.CultureInfo.InvariantCulture);
        public static string Name => "Bn254Fq";
    }

    private readonly Fp256<Config> _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Bn254Fq(Fp256<Config> v) { _v = v; }

    /// <summary>The modulus p = 21888242871839275222246405745257275088696311157297823662689037894645226208583.</summary>
    public static BigInteger Modulus => Config.Modulus;
    /// <inheritdoc />
    public static int ModulusBits => 254;
    /// <inheritdoc />
    public static int ByteLength => 32;
    /// <inheritdoc />
    public static Bn254Fq Zero => default;
    /// <inheritdoc />
    public static Bn254Fq One => new(Fp256<Config>.One);
    /// <summary>Builds an element from raw Montgomery limbs without checks (the caller guarantees limbs &lt; p).</summary>
    public static Bn254Fq FromMontgomeryLimbs(ulong l0, ulong l1, ulong l2, ulong l3) => new(new Fp256<Config>(l0, l1, l2, l3));

    /// <summary>The raw Montgomery-form limbs, least significant first.</summary>
    public void GetMontgomeryLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) { l0 = _v.L0; l1 = _v.L1; l2 = _v.L2; l3 = _v.L3; }

    /// <summary>The canonical (non-Montgomery) value as limbs, least significant first.</summary>
    public void GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) => _v.GetCanonicalLimbs(out l0, out l1, out l2, out l3);

    /// <summary>Builds an element from canonical limbs; returns false when the value is not below p.</summary>
    public static bool TryFromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, out Bn254Fq value)
    {
        bool ok = Fp256<Config>.TryFromCanonicalLimbs(l0, l1, l2, l3, out Fp256<Config> v);
        value = new(v);
        return ok;
    }

    /// <inheritdoc />
    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _v.IsZero;
    }
    /// <inheritdoc />
    public bool IsOne => _v.IsOne;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Add(in Bn254Fq a, in Bn254Fq b) => new(Fp256<Config>.Add(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Sub(in Bn254Fq a, in Bn254Fq b) => new(Fp256<Config>.Sub(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Neg(in Bn254Fq a) => new(Fp256<Config>.Neg(a._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Double(in Bn254Fq a) => new(Fp256<Config>.Double(a._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Mul(in Bn254Fq a, in Bn254Fq b) => new(Fp256<Config>.Mul(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fq Square(in Bn254Fq a) => new(Fp256<Config>.Square(a._v));

    /// <summary>a^e for an exponent given as four little-endian limbs (variable time in e; see <see cref="FieldMath.Pow{T}(in T, BigInteger)"/>).</summary>
    public static Bn254Fq Pow(in Bn254Fq a, ulong e0, ulong e1, ulong e2, ulong e3) => new(Fp256<Config>.Pow(a._v, e0, e1, e2, e3));

    /// <summary>a^e.</summary>
    public static Bn254Fq Pow(in Bn254Fq a, ulong e) => Pow(a, e, 0, 0, 0);

    /// <inheritdoc />
    public static Bn254Fq Inverse(in Bn254Fq a) => new(Fp256<Config>.Inverse(a._v));

    /// <summary>
    /// a^-1 by a binary almost-inverse, faster than <see cref="Inverse"/> but in time depending on a: for public values
    /// only (batch inversions of curve points in an MSM), never for secrets.
    /// </summary>
    /// <exception cref="DivideByZeroException">a is zero.</exception>
    public static Bn254Fq InverseVartime(in Bn254Fq a) => new(Fp256<Config>.InverseVartime(a._v));

    /// <inheritdoc />
    public static Bn254Fq FromUInt64(ulong value) => new(Fp256<Config>.FromUInt64(value));

    /// <summary>The element congruent to a signed integer (negative values map to p - |value|).</summary>
    public static Bn254Fq FromInt64(long value) => new(Fp256<Config>.FromInt64(value));

    /// <inheritdoc />
    public static Bn254Fq FromBigInteger(BigInteger value) => new(Fp256<Config>.FromBigInteger(value));

    /// <inheritdoc />
    public BigInteger ToBigInteger() => _v.ToBigInteger();

    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination) => _v.WriteBytes(destination);

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Bn254Fq value)
    {
        bool ok = Fp256<Config>.TryReadBytes(source, out Fp256<Config> v);
        value = new(v);
        return ok;
    }

    /// <summary>Strictly decodes 32 canonical little-endian bytes.</summary>
    /// <exception cref="FormatException">The input is not 32 bytes or encodes a value &gt;= p.</exception>
    public static Bn254Fq ReadBytes(ReadOnlySpan<byte> source) => new(Fp256<Config>.ReadBytes(source));

    /// <inheritdoc />
    public static Bn254Fq Random(System.Random rng) => new(Fp256<Config>.Random(rng));

    /// <inheritdoc />
    public static Bn254Fq operator +(Bn254Fq a, Bn254Fq b) => Add(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator -(Bn254Fq a, Bn254Fq b) => Sub(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator *(Bn254Fq a, Bn254Fq b) => Mul(a, b);
    /// <inheritdoc />
    public static Bn254Fq operator -(Bn254Fq a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(Bn254Fq a, Bn254Fq b) => a._v.Equals(b._v);
    /// <inheritdoc />
    public static bool operator !=(Bn254Fq a, Bn254Fq b) => !a._v.Equals(b._v);

    /// <inheritdoc />
    public bool Equals(Bn254Fq other) => _v.Equals(other._v);
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Bn254Fq other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => _v.GetHashCode();
    /// <summary>The canonical value in decimal.</summary>
    public override string ToString() => _v.ToString();
}
