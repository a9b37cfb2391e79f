using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using ZkMl.Field;

namespace ZkMl.Benchmarks.Baseline;

/// <summary>Bn254Fr as it was before the generic Fp256 (wave-1 code), kept only as the benchmarks' baseline.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BaselineFr : ITwoAdicField<BaselineFr>
{
    internal const ulong P0 = 0x43e1f593f0000001, P1 = 0x2833e84879b97091, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029;
    internal const ulong Inv = 0xc2e1f593efffffff; // -p^-1 mod 2^64
    private const ulong R0 = 0xac96341c4ffffffb, R1 = 0x36fc76959f60cd29, R2 = 0x666ea36f7879462e, R3 = 0x0e0a77c19a07df2f; // R mod p (Montgomery one)
    private const ulong RR0 = 0x1bb8e645ae216da7, RR1 = 0x53fe3ab1e35c59e3, RR2 = 0x8c49833d53bb8085, RR3 = 0x0216d0b17f4e44a5; // R^2 mod p

    internal readonly ulong L0, L1, L2, L3;

    private BaselineFr(ulong l0, ulong l1, ulong l2, ulong l3) { L0 = l0; L1 = l1; L2 = l2; L3 = l3; }

    /// <summary>The modulus p = 21888242871839275222246405745257275088548364400416034343698204186575808495617.</summary>
    public static BigInteger Modulus { get; } = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    /// <inheritdoc />
    public static int ModulusBits => 254;
    /// <inheritdoc />
    public static int ByteLength => 32;
    /// <inheritdoc />
    public static BaselineFr Zero => default;
    /// <inheritdoc />
    public static BaselineFr One => new(R0, R1, R2, R3);

    /// <summary>2^28 divides r - 1.</summary>
    public static int TwoAdicity => 28;
    /// <summary>5 generates the multiplicative group of F_r (as in arkworks and gnark).</summary>
    public static BaselineFr MultiplicativeGenerator => FromUInt64(5);
    private static readonly BaselineFr[] RootsOfUnity = BuildRoots();
    private static BaselineFr[] BuildRoots()
    {
        // omega_28 = 5^((r-1)/2^28); roots[k] = omega_28^(2^(28-k)).
        var roots = new BaselineFr[29];
        BigInteger e = (Modulus - 1) >> 28;
        roots[28] = FromBigInteger(BigInteger.ModPow(5, e, Modulus));
        for (int k = 27; k >= 0; k--) roots[k] = Square(roots[k + 1]);
        return roots;
    }
    /// <inheritdoc />
    public static BaselineFr RootOfUnity(int logN) => (uint)logN <= 28 ? RootsOfUnity[logN]
        : throw new ArgumentOutOfRangeException(nameof(logN), logN, "BaselineFr has two-adicity 28.");

    /// <summary>Builds an element from raw Montgomery limbs without checks (the caller guarantees limbs &lt; p).</summary>
    public static BaselineFr FromMontgomeryLimbs(ulong l0, ulong l1, ulong l2, ulong l3) => new(l0, l1, l2, l3);

    /// <summary>The raw Montgomery-form limbs, least significant first.</summary>
    public void GetMontgomeryLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) { l0 = L0; l1 = L1; l2 = L2; l3 = L3; }

    /// <summary>The canonical (non-Montgomery) value as limbs, least significant first.</summary>
    public void GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) =>
        BaselineMont256.Mul(L0, L1, L2, L3, 1, 0, 0, 0, P0, P1, P2, P3, Inv, out l0, out l1, out l2, out l3);

    /// <summary>Builds an element from canonical limbs; returns false when the value is not below p.</summary>
    public static bool TryFromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, out BaselineFr value)
    {
        if (!BaselineMont256.LessThan(l0, l1, l2, l3, P0, P1, P2, P3)) { value = default; return false; }
        BaselineMont256.Mul(l0, l1, l2, l3, RR0, RR1, RR2, RR3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        value = new(r0, r1, r2, r3);
        return true;
    }

    /// <inheritdoc />
    public bool IsZero => (L0 | L1 | L2 | L3) == 0;
    /// <inheritdoc />
    public bool IsOne => L0 == R0 && L1 == R1 && L2 == R2 && L3 == R3;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Add(in BaselineFr a, in BaselineFr b)
    {
        BaselineMont256.Add(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Sub(in BaselineFr a, in BaselineFr b)
    {
        BaselineMont256.Sub(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Neg(in BaselineFr a) => a.IsZero ? a : Sub(default, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Double(in BaselineFr a) => Add(a, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Mul(in BaselineFr a, in BaselineFr b)
    {
        BaselineMont256.Mul(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BaselineFr Square(in BaselineFr a)
    {
        BaselineMont256.Square(a.L0, a.L1, a.L2, a.L3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <summary>a^e for an exponent given as four little-endian limbs (variable time in e; see <see cref="FieldMath.Pow{T}(in T, BigInteger)"/>).</summary>
    public static BaselineFr Pow(in BaselineFr a, ulong e0, ulong e1, ulong e2, ulong e3) => FieldMath.Pow<BaselineFr>(a, BaselineMont256.ToBigInteger(e0, e1, e2, e3));

    /// <summary>a^e.</summary>
    public static BaselineFr Pow(in BaselineFr a, ulong e) => Pow(a, e, 0, 0, 0);

    /// <inheritdoc />
    public static BaselineFr Inverse(in BaselineFr a)
    {
        if (a.IsZero) throw new DivideByZeroException("BaselineFr: zero has no multiplicative inverse.");
        return Pow(a, P0 - 2, P1, P2, P3); // Fermat: a^(p-2); P0 >= 2 for both BN254 moduli
    }

    /// <inheritdoc />
    public static BaselineFr FromUInt64(ulong value)
    {
        BaselineMont256.Mul(value, 0, 0, 0, RR0, RR1, RR2, RR3, P0, P1, P2, P3, Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <summary>The element congruent to a signed integer (negative values map to p - |value|).</summary>
    public static BaselineFr FromInt64(long value) =>
        value >= 0 ? FromUInt64((ulong)value) : Neg(FromUInt64(value == long.MinValue ? 1UL << 63 : (ulong)(-value)));

    /// <inheritdoc />
    public static BaselineFr FromBigInteger(BigInteger value)
    {
        BigInteger reduced = BigInteger.Remainder(value, Modulus);
        if (reduced.Sign < 0) reduced += Modulus;
        BaselineMont256.FromBigInteger(reduced, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        TryFromCanonicalLimbs(l0, l1, l2, l3, out BaselineFr result);
        return result;
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger()
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return BaselineMont256.ToBigInteger(l0, l1, l2, l3);
    }

    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination)
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        BaselineMont256.WriteLimbs(destination, l0, l1, l2, l3);
    }

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out BaselineFr value)
    {
        if (source.Length != 32) { value = default; return false; }
        BaselineMont256.ReadLimbs(source, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return TryFromCanonicalLimbs(l0, l1, l2, l3, out value);
    }

    /// <summary>Strictly decodes 32 canonical little-endian bytes.</summary>
    /// <exception cref="FormatException">The input is not 32 bytes or encodes a value &gt;= p.</exception>
    public static BaselineFr ReadBytes(ReadOnlySpan<byte> source) =>
        TryReadBytes(source, out BaselineFr v) ? v
            : throw new FormatException(source.Length != 32
                ? $"BaselineFr encoding must be 32 bytes, got {source.Length}."
                : "BaselineFr encoding is not canonical: value >= modulus.");

    /// <inheritdoc />
    public static BaselineFr Random(System.Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            // Rejection sampling of 254-bit values below p; Montgomery mapping is a bijection so raw limbs are uniform too.
            ulong l0 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l1 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l2 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l3 = (ulong)rng.NextInt64() & ((1UL << 62) - 1);
            if (BaselineMont256.LessThan(l0, l1, l2, l3, P0, P1, P2, P3)) return new(l0, l1, l2, l3);
        }
    }

    /// <inheritdoc />
    public static BaselineFr operator +(BaselineFr a, BaselineFr b) => Add(a, b);
    /// <inheritdoc />
    public static BaselineFr operator -(BaselineFr a, BaselineFr b) => Sub(a, b);
    /// <inheritdoc />
    public static BaselineFr operator *(BaselineFr a, BaselineFr b) => Mul(a, b);
    /// <inheritdoc />
    public static BaselineFr operator -(BaselineFr a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(BaselineFr a, BaselineFr b) => a.Equals(b);
    /// <inheritdoc />
    public static bool operator !=(BaselineFr a, BaselineFr b) => !a.Equals(b);

    /// <inheritdoc />
    public bool Equals(BaselineFr other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3;
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is BaselineFr other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);
    /// <summary>The canonical value in decimal.</summary>
    public override string ToString() => ToBigInteger().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
