using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// A 256-bit Montgomery field element over the constants of <typeparamref name="TConfig"/> (arkworks'
/// <c>Fp256&lt;MontConfig&gt;</c>): four little-endian limbs of x*R mod p. <see cref="Bn254Fr"/> and
/// <see cref="Bn254Fq"/> wrap it; TConfig is a struct, so each field gets its own JIT-compiled code with its
/// modulus folded in.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct Fp256<TConfig> : IPrimeField<Fp256<TConfig>> where TConfig : struct, IMont256Config
{
    internal readonly ulong L0, L1, L2, L3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Fp256(ulong l0, ulong l1, ulong l2, ulong l3) { L0 = l0; L1 = l1; L2 = l2; L3 = l3; }

    public static BigInteger Modulus => TConfig.Modulus;
    public static int ModulusBits => 254;
    public static int ByteLength => 32;
    public static Fp256<TConfig> Zero => default;
    public static Fp256<TConfig> One => new(TConfig.R0, TConfig.R1, TConfig.R2, TConfig.R3);

    public void GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3) =>
        Mont256.Mul(L0, L1, L2, L3, 1, 0, 0, 0, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out l0, out l1, out l2, out l3);

    public static bool TryFromCanonicalLimbs(ulong l0, ulong l1, ulong l2, ulong l3, out Fp256<TConfig> value)
    {
        if (!Mont256.LessThan(l0, l1, l2, l3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3)) { value = default; return false; }
        Mont256.Mul(l0, l1, l2, l3, TConfig.RR0, TConfig.RR1, TConfig.RR2, TConfig.RR3,
            TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        value = new(r0, r1, r2, r3);
        return true;
    }

    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (L0 | L1 | L2 | L3) == 0;
    }

    public bool IsOne => L0 == TConfig.R0 && L1 == TConfig.R1 && L2 == TConfig.R2 && L3 == TConfig.R3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Add(in Fp256<TConfig> a, in Fp256<TConfig> b)
    {
        Mont256.Add(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Sub(in Fp256<TConfig> a, in Fp256<TConfig> b)
    {
        Mont256.Sub(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Neg(in Fp256<TConfig> a) => a.IsZero ? a : Sub(default, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Double(in Fp256<TConfig> a) => Add(a, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Mul(in Fp256<TConfig> a, in Fp256<TConfig> b)
    {
        Mont256.Mul(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fp256<TConfig> Square(in Fp256<TConfig> a)
    {
        Mont256.Square(a.L0, a.L1, a.L2, a.L3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv,
            out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    /// <summary>a^e for an exponent given as four little-endian limbs (variable time in e).</summary>
    public static Fp256<TConfig> Pow(in Fp256<TConfig> a, ulong e0, ulong e1, ulong e2, ulong e3) =>
        FieldMath.Pow<Fp256<TConfig>>(a, [e0, e1, e2, e3]);

    public static Fp256<TConfig> Inverse(in Fp256<TConfig> a)
    {
        if (a.IsZero) throw new DivideByZeroException($"{TConfig.Name}: zero has no multiplicative inverse.");
        return Pow(a, TConfig.P0 - 2, TConfig.P1, TConfig.P2, TConfig.P3); // Fermat: a^(p-2); P0 >= 2 for both BN254 moduli
    }

    /// <summary>a^-1 in variable time (binary almost-inverse): for public values only.</summary>
    public static Fp256<TConfig> InverseVartime(in Fp256<TConfig> a)
    {
        if (a.IsZero) throw new DivideByZeroException($"{TConfig.Name}: zero has no multiplicative inverse.");
        Mont256Inverse<TConfig>.Invert(a.L0, a.L1, a.L2, a.L3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    public static Fp256<TConfig> FromUInt64(ulong value)
    {
        Mont256.Mul(value, 0, 0, 0, TConfig.RR0, TConfig.RR1, TConfig.RR2, TConfig.RR3,
            TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3, TConfig.Inv, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        return new(r0, r1, r2, r3);
    }

    public static Fp256<TConfig> FromInt64(long value) =>
        value >= 0 ? FromUInt64((ulong)value) : Neg(FromUInt64(value == long.MinValue ? 1UL << 63 : (ulong)(-value)));

    public static Fp256<TConfig> FromBigInteger(BigInteger value)
    {
        BigInteger reduced = BigInteger.Remainder(value, TConfig.Modulus);
        if (reduced.Sign < 0) reduced += TConfig.Modulus;
        Mont256.FromBigInteger(reduced, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        TryFromCanonicalLimbs(l0, l1, l2, l3, out Fp256<TConfig> result);
        return result;
    }

    public BigInteger ToBigInteger()
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return Mont256.ToBigInteger(l0, l1, l2, l3);
    }

    public void WriteBytes(Span<byte> destination)
    {
        GetCanonicalLimbs(out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        Mont256.WriteLimbs(destination, l0, l1, l2, l3);
    }

    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Fp256<TConfig> value)
    {
        if (source.Length != 32) { value = default; return false; }
        Mont256.ReadLimbs(source, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return TryFromCanonicalLimbs(l0, l1, l2, l3, out value);
    }

    public static Fp256<TConfig> ReadBytes(ReadOnlySpan<byte> source) =>
        TryReadBytes(source, out Fp256<TConfig> v) ? v
            : throw new FormatException(source.Length != 32
                ? $"{TConfig.Name} encoding must be 32 bytes, got {source.Length}."
                : $"{TConfig.Name} encoding is not canonical: value >= modulus.");

    public static Fp256<TConfig> Random(System.Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            // Rejection sampling of 254-bit values below p; Montgomery mapping is a bijection so raw limbs are uniform too.
            ulong l0 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l1 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l2 = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            ulong l3 = (ulong)rng.NextInt64() & ((1UL << 62) - 1);
            if (Mont256.LessThan(l0, l1, l2, l3, TConfig.P0, TConfig.P1, TConfig.P2, TConfig.P3)) return new(l0, l1, l2, l3);
        }
    }

    public static Fp256<TConfig> operator +(Fp256<TConfig> a, Fp256<TConfig> b) => Add(a, b);
    public static Fp256<TConfig> operator -(Fp256<TConfig> a, Fp256<TConfig> b) => Sub(a, b);
    public static Fp256<TConfig> operator *(Fp256<TConfig> a, Fp256<TConfig> b) => Mul(a, b);
    public static Fp256<TConfig> operator -(Fp256<TConfig> a) => Neg(a);
    public static bool operator ==(Fp256<TConfig> a, Fp256<TConfig> b) => a.Equals(b);
    public static bool operator !=(Fp256<TConfig> a, Fp256<TConfig> b) => !a.Equals(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(Fp256<TConfig> other) => L0 == other.L0 && L1 == other.L1 && L2 == other.L2 && L3 == other.L3;
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Fp256<TConfig> other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);
    public override string ToString() => ToBigInteger().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
