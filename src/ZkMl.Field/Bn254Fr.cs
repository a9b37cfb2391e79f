using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// The BN254 scalar field F_r (r = 21888242871839275222246405745257275088548364400416034343698204186575808495617), the field of Groth16 witnesses and circom signals.
/// Elements are stored in Montgomery form (x*R mod p, R = 2^256) as four little-endian 64-bit limbs;
/// the struct's memory layout is exactly those four limbs, so spans of it can be reinterpreted as ulong
/// limbs for kernels and bulk serialisation. Arithmetic allocates nothing. The arithmetic is the shared
/// <see cref="Fp256{TConfig}"/> over this field's constants; every member here forwards to it.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Bn254Fr : ITwoAdicField<Bn254Fr>
{
    /// <summary>The constants of Bn254Fr for <see cref="Fp256{TConfig}"/>.</summary>
    internal readonly struct Config : IMont256Config
    {
        public static ulong P0 => 0x43e1f593f0000001;
        public static ulong P1 => 0x2833e84879b97091;
        public static ulong P2 => 0xb85045b68181585d;
        public static ulong P3 => 0x30644e72e131a029;
        public static ulong Inv => 0xc2e1f593efffffff;
        public static ulong R0 => 0xac96341c4ffffffb;
        public static ulong R1 => 0x36fc76959f60cd29;
        public static ulong R2 => 0x666ea36f7879462e;
        public static ulong R3 => 0x0e0a77c19a07df2f;
        public static ulong RR0 => 0x1bb8e645ae216da7;
        public static ulong RR1 => 0x53fe3ab1e35c59e3;
        public static ulong RR2 => 0x8c49833d53bb8085;
        public static ulong RR3 => 0x0216d0b17f4e44a5;
        public static BigInteger Modulus { get; } = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617", System.Globalization.CultureInfo.InvariantCulture);
        public static string Name => "Bn254Fr";
    }

    private readonly Fp256<Config> _v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Bn254Fr(Fp256<Config> v) { _v = v; }

    /// <summary>The modulus p = 21888242871839275222246405745257275088548364400416034343698204186575808495617.</summary>
    public static BigInteger Modulus => Config.Modulus;
    /// <inheritdoc />
    public static int ModulusBits => 254;
    /// <inheritdoc />
    public static int ByteLength => 32;
    /// <inheritdoc />
    public static Bn254Fr Zero => default;
    /// <inheritdoc />
    public static Bn254Fr One => new(Fp256<Config>.One);

    /// <summary>2^28 divides r - 1.</summary>
    public static int TwoAdicity => 28;
    /// <summary>5 generates the multiplicative group of F_r (as in arkworks and gnark).</summary>
    public static Bn254Fr MultiplicativeGenerator => FromUInt64(5);
    private static readonly Bn254Fr[] RootsOfUnity = BuildRoots();
    private static Bn254Fr[] BuildRoots()
    {
        // omega_28 = 5^((r-1)/2^28); roots[k] = omega_28^(2^(28-k)).
        var roots = new Bn254Fr[29];
        BigInteger e = (Modulus - 1) >> 28;
        roots[28] = FromBigInteger(BigInteger.ModPow(5, e, Modulus));
        for (int k = 27; k >= 0; k--) roots[k] = Square(roots[k + 1]);
        return roots;
    }
    /// <inheritdoc />
    public static Bn254Fr RootOfUnity(int logN) => (uint)logN <= 28 ? RootsOfUnity[logN]
        : throw new ArgumentOutOfRangeException(nameof(logN), logN, "Bn254Fr has two-adicity 28.");
    /// <summary>Builds an element from raw Montgomery limbs without checks (the caller guarantees limbs &lt; p).</summary>
    public static Bn254Fr FromMontgomeryLimbs(ulong l0, ulong l1, ulong l2, ulong l3) => new(new Fp256<Config>(l0, l1, l2, l3));

    /// <summary>The raw Montgomery-form limbs, least significant first.</summary>
    public void GetMontgomeryLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) { l0 = _v.L0; l1 = _v.L1; l2 = _v.L2; l3 = _v.L3; }

    /// <summary>The canonical (non-Montgomery) value as limbs, least significant first.</summary>
    public void GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) => _v.GetCanonicalLimbs(out l0, out l1, out l2, out l3);

    /// <summary>Builds an element from canonical limbs; returns false when the value is not below p.</summary>
    public static bool TryFromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, out Bn254Fr value)
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
    public static Bn254Fr Add(in Bn254Fr a, in Bn254Fr b) => new(Fp256<Config>.Add(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fr Sub(in Bn254Fr a, in Bn254Fr b) => new(Fp256<Config>.Sub(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fr Neg(in Bn254Fr a) => new(Fp256<Config>.Neg(a._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fr Double(in Bn254Fr a) => new(Fp256<Config>.Double(a._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fr Mul(in Bn254Fr a, in Bn254Fr b) => new(Fp256<Config>.Mul(a._v, b._v));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fr Square(in Bn254Fr a) => new(Fp256<Config>.Square(a._v));

    /// <summary>a^e for an exponent given as four little-endian limbs (variable time in e; see <see cref="FieldMath.Pow{T}(in T, BigInteger)"/>).</summary>
    public static Bn254Fr Pow(in Bn254Fr a, ulong e0, ulong e1, ulong e2, ulong e3) => new(Fp256<Config>.Pow(a._v, e0, e1, e2, e3));

    /// <summary>a^e.</summary>
    public static Bn254Fr Pow(in Bn254Fr a, ulong e) => Pow(a, e, 0, 0, 0);

    /// <inheritdoc />
    public static Bn254Fr Inverse(in Bn254Fr a) => new(Fp256<Config>.Inverse(a._v));

    /// <summary>
    /// a^-1 by a binary almost-inverse, faster than <see cref="Inverse"/> but in time depending on a: for public values
    /// only (batch inversions of curve points in an MSM), never for secrets.
    /// </summary>
    /// <exception cref="DivideByZeroException">a is zero.</exception>
    public static Bn254Fr InverseVartime(in Bn254Fr a) => new(Fp256<Config>.InverseVartime(a._v));

    /// <inheritdoc />
    public static Bn254Fr FromUInt64(ulong value) => new(Fp256<Config>.FromUInt64(value));

    /// <summary>The element congruent to a signed integer (negative values map to p - |value|).</summary>
    public static Bn254Fr FromInt64(long value) => new(Fp256<Config>.FromInt64(value));

    /// <inheritdoc />
    public static Bn254Fr FromBigInteger(BigInteger value) => new(Fp256<Config>.FromBigInteger(value));

    /// <inheritdoc />
    public BigInteger ToBigInteger() => _v.ToBigInteger();

    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination) => _v.WriteBytes(destination);

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Bn254Fr value)
    {
        bool ok = Fp256<Config>.TryReadBytes(source, out Fp256<Config> v);
        value = new(v);
        return ok;
    }

    /// <summary>Strictly decodes 32 canonical little-endian bytes.</summary>
    /// <exception cref="FormatException">The input is not 32 bytes or encodes a value &gt;= p.</exception>
    public static Bn254Fr ReadBytes(ReadOnlySpan<byte> source) => new(Fp256<Config>.ReadBytes(source));

    /// <inheritdoc />
    public static Bn254Fr Random(System.Random rng) => new(Fp256<Config>.Random(rng));

    /// <inheritdoc />
    public static Bn254Fr operator +(Bn254Fr a, Bn254Fr b) => Add(a, b);
    /// <inheritdoc />
    public static Bn254Fr operator -(Bn254Fr a, Bn254Fr b) => Sub(a, b);
    /// <inheritdoc />
    public static Bn254Fr operator *(Bn254Fr a, Bn254Fr b) => Mul(a, b);
    /// <inheritdoc />
    public static Bn254Fr operator -(Bn254Fr a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(Bn254Fr a, Bn254Fr b) => a._v.Equals(b._v);
    /// <inheritdoc />
    public static bool operator !=(Bn254Fr a, Bn254Fr b) => !a._v.Equals(b._v);

    /// <inheritdoc />
    public bool Equals(Bn254Fr other) => _v.Equals(other._v);
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Bn254Fr other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => _v.GetHashCode();
    /// <summary>The canonical value in decimal.</summary>
    public override string ToString() => _v.ToString();
}
