using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// The quadratic extension F_p[X]/(X^2 - 7) of <see cref="Goldilocks"/> (7 is a non-residue, as in Plonky2),
/// about 128 bits, used for STARK challenges so that soundness does not rest on a 64-bit field.
/// An element is C0 + C1·X.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct GoldilocksExt2 : IField<GoldilocksExt2>
{
    private static readonly Goldilocks W = Goldilocks.FromUInt64(7);

    /// <summary>The constant coefficient.</summary>
    public readonly Goldilocks C0;
    /// <summary>The coefficient of X.</summary>
    public readonly Goldilocks C1;

    /// <summary>Builds C0 + C1·X.</summary>
    public GoldilocksExt2(Goldilocks c0, Goldilocks c1) { C0 = c0; C1 = c1; }

    /// <summary>Embeds a base-field element.</summary>
    public static implicit operator GoldilocksExt2(Goldilocks b) => new(b, Goldilocks.Zero);

    /// <inheritdoc />
    public static GoldilocksExt2 Zero => default;
    /// <inheritdoc />
    public static GoldilocksExt2 One => new(Goldilocks.One, Goldilocks.Zero);
    /// <inheritdoc />
    public static int ByteLength => 16;
    /// <inheritdoc />
    public bool IsZero => C0.IsZero && C1.IsZero;
    /// <inheritdoc />
    public bool IsOne => C0.IsOne && C1.IsZero;
    /// <summary>True when the element lies in the base field (C1 = 0).</summary>
    public bool IsInBaseField => C1.IsZero;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Add(in GoldilocksExt2 a, in GoldilocksExt2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Sub(in GoldilocksExt2 a, in GoldilocksExt2 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    /// <inheritdoc />
    public static GoldilocksExt2 Neg(in GoldilocksExt2 a) => new(-a.C0, -a.C1);
    /// <inheritdoc />
    public static GoldilocksExt2 Double(in GoldilocksExt2 a) => Add(a, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Mul(in GoldilocksExt2 a, in GoldilocksExt2 b)
    {
        // Three reductions instead of five plus two field additions (the sumcheck provers' inner loops are these products).
        ulong a0 = a.C0.Value, a1 = a.C1.Value, b0 = b.C0.Value, b1 = b.C1.Value;
        // C0 = a0 b0 + 7 (a1 b1 mod p): a0 b0 <= (p - 1)^2 < 2^128 - 2^96 leaves room for 7 (p - 1) < 2^67.
        ulong m = Goldilocks.Reduce128(MulHigh(a1, b1), a1 * b1);
        ulong seven = m * 7, sevenHigh = m >> 61;
        sevenHigh -= Bit((m << 3) < m); // 7m = 8m - m: the low word borrows when m << 3 < m
        ulong low = a0 * b0, high = MulHigh(a0, b0);
        ulong sum = low + seven;
        ulong c0 = Goldilocks.Reduce128(high + sevenHigh + Bit(sum < low), sum);
        // C1 = a0 b1 + a1 b0 < 2^129: a carry out of 128 bits is 2^128 = -2^32 (mod p).
        ulong l1 = a0 * b1, l2 = a1 * b0, h1 = MulHigh(a0, b1), h2 = MulHigh(a1, b0);
        ulong lowSum = l1 + l2, highSum = h1 + h2;
        ulong carry = Bit(highSum < h1);
        ulong withCarry = highSum + Bit(lowSum < l1);
        carry |= Bit(withCarry < highSum);
        var c1 = Goldilocks.FromCanonical(Goldilocks.Reduce128(withCarry, lowSum)) - Goldilocks.FromCanonical(carry << 32);
        return new(Goldilocks.FromCanonical(c0), c1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulHigh(ulong a, ulong b) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(bool condition) => Unsafe.BitCast<bool, byte>(condition);

    /// <summary>Multiplies by a base-field scalar (two base multiplications).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Mul(in GoldilocksExt2 a, in Goldilocks b) => new(a.C0 * b, a.C1 * b);

    /// <inheritdoc />
    public static GoldilocksExt2 Square(in GoldilocksExt2 a) => Mul(a, a);

    /// <inheritdoc />
    public static GoldilocksExt2 Inverse(in GoldilocksExt2 a)
    {
        if (a.IsZero) throw new DivideByZeroException("GoldilocksExt2: zero has no multiplicative inverse.");
        // (c0 + c1 X)^-1 = (c0 - c1 X) / (c0^2 - 7 c1^2); the norm is non-zero since 7 is a non-residue.
        Goldilocks norm = a.C0 * a.C0 - W * (a.C1 * a.C1);
        Goldilocks inv = Goldilocks.Inverse(norm);
        return new(a.C0 * inv, -(a.C1 * inv));
    }

    /// <summary>a^e by square-and-multiply.</summary>
    public static GoldilocksExt2 Pow(in GoldilocksExt2 a, ulong e)
    {
        GoldilocksExt2 result = One, b = a;
        while (e != 0)
        {
            if ((e & 1) != 0) result = Mul(result, b);
            b = Square(b);
            e >>= 1;
        }
        return result;
    }

    /// <inheritdoc />
    public static GoldilocksExt2 FromUInt64(ulong value) => new(Goldilocks.FromUInt64(value), Goldilocks.Zero);

    /// <summary>Writes C0 then C1, each 8 canonical little-endian bytes.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        C0.WriteBytes(destination);
        C1.WriteBytes(destination[8..]);
    }

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out GoldilocksExt2 value)
    {
        value = default;
        if (source.Length != 16) return false;
        if (!Goldilocks.TryReadBytes(source[..8], out Goldilocks c0) || !Goldilocks.TryReadBytes(source[8..], out Goldilocks c1)) return false;
        value = new(c0, c1);
        return true;
    }

    /// <inheritdoc />
    public static GoldilocksExt2 Random(System.Random rng) => new(Goldilocks.Random(rng), Goldilocks.Random(rng));

    /// <inheritdoc />
    public static GoldilocksExt2 operator +(GoldilocksExt2 a, GoldilocksExt2 b) => Add(a, b);
    /// <inheritdoc />
    public static GoldilocksExt2 operator -(GoldilocksExt2 a, GoldilocksExt2 b) => Sub(a, b);
    /// <inheritdoc />
    public static GoldilocksExt2 operator *(GoldilocksExt2 a, GoldilocksExt2 b) => Mul(a, b);
    /// <summary>Multiplies by a base-field scalar.</summary>
    public static GoldilocksExt2 operator *(GoldilocksExt2 a, Goldilocks b) => Mul(a, b);
    /// <inheritdoc />
    public static GoldilocksExt2 operator -(GoldilocksExt2 a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(GoldilocksExt2 a, GoldilocksExt2 b) => a.Equals(b);
    /// <inheritdoc />
    public static bool operator !=(GoldilocksExt2 a, GoldilocksExt2 b) => !a.Equals(b);

    /// <inheritdoc />
    public bool Equals(GoldilocksExt2 other) => C0 == other.C0 && C1 == other.C1;
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is GoldilocksExt2 other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    /// <summary>"c0 + c1*X" in decimal.</summary>
    public override string ToString() => C1.IsZero ? C0.ToString() : $"{C0} + {C1}*X";
}
