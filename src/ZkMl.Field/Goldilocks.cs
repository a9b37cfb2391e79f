using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// The Goldilocks prime field, p = 2^64 - 2^32 + 1. Elements are stored canonically (value &lt; p) in one ulong,
/// so the struct can be reinterpreted as a ulong for kernels and bulk serialisation. Reduction of a 128-bit
/// product uses the special form: 2^64 = 2^32 - 1 and 2^96 = -1 (mod p).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Goldilocks : ITwoAdicField<Goldilocks>
{
    /// <summary>The modulus 2^64 - 2^32 + 1.</summary>
    public const ulong P = 0xFFFF_FFFF_0000_0001UL;
    private const ulong Epsilon = 0xFFFF_FFFFUL; // 2^64 mod p

    /// <summary>The canonical value in [0, p).</summary>
    public readonly ulong Value;

    private Goldilocks(ulong canonical) { Value = canonical; }

    /// <inheritdoc />
    public static BigInteger Modulus { get; } = new(P);
    /// <inheritdoc />
    public static int ModulusBits => 64;
    /// <inheritdoc />
    public static int ByteLength => 8;
    /// <inheritdoc />
    public static Goldilocks Zero => default;
    /// <inheritdoc />
    public static Goldilocks One => new(1);
    /// <summary>2^32 divides p - 1.</summary>
    public static int TwoAdicity => 32;
    /// <summary>7 generates the multiplicative group (as in Plonky2).</summary>
    public static Goldilocks MultiplicativeGenerator => new(7);

    private static readonly Goldilocks[] RootsOfUnity = BuildRoots();
    private static Goldilocks[] BuildRoots()
    {
        // omega_32 = 7^((p-1)/2^32) = 1753635133440165772; roots[k] = omega_32^(2^(32-k)).
        var roots = new Goldilocks[33];
        roots[32] = new(1753635133440165772UL);
        for (int k = 31; k >= 0; k--) roots[k] = Square(roots[k + 1]);
        return roots;
    }

    /// <inheritdoc />
    public static Goldilocks RootOfUnity(int logN) => (uint)logN <= 32 ? RootsOfUnity[logN]
        : throw new ArgumentOutOfRangeException(nameof(logN), logN, "Goldilocks has two-adicity 32.");

    /// <summary>Builds an element from a value already known to be canonical (&lt; p); unchecked.</summary>
    public static Goldilocks FromCanonical(ulong value) => new(value);

    /// <inheritdoc />
    public bool IsZero => Value == 0;
    /// <inheritdoc />
    public bool IsOne => Value == 1;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Add(in Goldilocks a, in Goldilocks b)
    {
        // Branch-free (NTT butterflies see random data): if a + b wrapped past 2^64 or reached p, subtract p;
        // modulo 2^64 that is the same as adding 2^64 - p, and the wrapped case never needs a second step.
        ulong s = a.Value + b.Value;
        ulong mask = 0UL - (ulong)(Bit(s < a.Value) | Bit(s >= P));
        return new(s - (P & mask));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Sub(in Goldilocks a, in Goldilocks b)
    {
        ulong d = a.Value - b.Value;
        return new(d + (P & (0UL - (ulong)Bit(a.Value < b.Value)))); // borrowed: add p back
    }

    /// <summary>0 or 1 without a branch (the JIT does not if-convert inside loops).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Bit(bool condition) => Unsafe.BitCast<bool, byte>(condition);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Neg(in Goldilocks a) => new((P - a.Value) & (0UL - (ulong)Bit(a.Value != 0)));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Double(in Goldilocks a) => Add(a, a);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Mul(in Goldilocks a, in Goldilocks b)
    {
        if (System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported)
        {
            // mulx for the high half plus imul for the low half keeps both in registers; Math.BigMul's out
            // parameter goes through the stack on the critical path.
            ulong high = System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a.Value, b.Value);
            return new(Reduce128(high, a.Value * b.Value));
        }
        ulong hi = Math.BigMul(a.Value, b.Value, out ulong lo);
        return new(Reduce128(hi, lo));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Square(in Goldilocks a) => Mul(a, a);

    /// <summary>Reduces hi*2^64 + lo modulo p to the canonical representative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Reduce128(ulong hi, ulong lo)
    {
        ulong hiHi = hi >> 32;
        ulong hiLo = hi & Epsilon;
        ulong t0 = lo - hiHi;                                   // lo - hiHi*2^96 (2^96 = -1)
        t0 -= Epsilon & (0UL - (ulong)Bit(lo < hiHi));          // borrow: -2^64 = -(2^32 - 1)
        ulong t1 = hiLo * Epsilon;                              // hiLo*2^64 = hiLo*(2^32 - 1), fits in 64 bits
        ulong t2 = t0 + t1;
        t2 += Epsilon & (0UL - (ulong)Bit(t2 < t1));            // carry: 2^64 = 2^32 - 1 (cannot carry again)
        return t2 - (P & (0UL - (ulong)Bit(t2 >= P)));          // t2 < 2^64 < 2p: one subtraction suffices
    }

    /// <summary>a^e by square-and-multiply.</summary>
    public static Goldilocks Pow(in Goldilocks a, ulong e)
    {
        Goldilocks result = One, b = a;
        while (e != 0)
        {
            if ((e & 1) != 0) result = Mul(result, b);
            b = Square(b);
            e >>= 1;
        }
        return result;
    }

    /// <inheritdoc />
    public static Goldilocks Inverse(in Goldilocks a)
    {
        if (a.IsZero) throw new DivideByZeroException("Goldilocks: zero has no multiplicative inverse.");
        return Pow(a, P - 2);
    }

    /// <inheritdoc />
    public static Goldilocks FromUInt64(ulong value) => new(value >= P ? value - P : value);

    /// <summary>The element congruent to a signed integer (negative values map to p - |value|).</summary>
    public static Goldilocks FromInt64(long value) =>
        value >= 0 ? FromUInt64((ulong)value) : Neg(FromUInt64(value == long.MinValue ? 1UL << 63 : (ulong)(-value)));

    /// <summary>The signed integer in (-p/2, p/2] this element represents (the inverse of <see cref="FromInt64"/> for small values).</summary>
    public long ToSignedInt64() => Value <= P / 2 ? (long)Value : -(long)(P - Value);

    /// <inheritdoc />
    public static Goldilocks FromBigInteger(BigInteger value)
    {
        BigInteger reduced = BigInteger.Remainder(value, Modulus);
        if (reduced.Sign < 0) reduced += Modulus;
        return new((ulong)reduced);
    }

    /// <inheritdoc />
    public BigInteger ToBigInteger() => new(Value);

    /// <inheritdoc />
    public void WriteBytes(Span<byte> destination) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);

    /// <inheritdoc />
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Goldilocks value)
    {
        value = default;
        if (source.Length != 8) return false;
        ulong v = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(source);
        if (v >= P) return false;
        value = new(v);
        return true;
    }

    /// <summary>Strictly decodes 8 canonical little-endian bytes.</summary>
    /// <exception cref="FormatException">The input is not 8 bytes or encodes a value &gt;= p.</exception>
    public static Goldilocks ReadBytes(ReadOnlySpan<byte> source) =>
        TryReadBytes(source, out Goldilocks v) ? v
            : throw new FormatException(source.Length != 8
                ? $"Goldilocks encoding must be 8 bytes, got {source.Length}."
                : "Goldilocks encoding is not canonical: value >= modulus.");

    /// <inheritdoc />
    public static Goldilocks Random(System.Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        while (true)
        {
            ulong v = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            if (v < P) return new(v);
        }
    }

    /// <inheritdoc />
    public static Goldilocks operator +(Goldilocks a, Goldilocks b) => Add(a, b);
    /// <inheritdoc />
    public static Goldilocks operator -(Goldilocks a, Goldilocks b) => Sub(a, b);
    /// <inheritdoc />
    public static Goldilocks operator *(Goldilocks a, Goldilocks b) => Mul(a, b);
    /// <inheritdoc />
    public static Goldilocks operator -(Goldilocks a) => Neg(a);
    /// <inheritdoc />
    public static bool operator ==(Goldilocks a, Goldilocks b) => a.Value == b.Value;
    /// <inheritdoc />
    public static bool operator !=(Goldilocks a, Goldilocks b) => a.Value != b.Value;

    /// <inheritdoc />
    public bool Equals(Goldilocks other) => Value == other.Value;
    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Goldilocks other && Equals(other);
    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
    /// <summary>The canonical value in decimal.</summary>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
