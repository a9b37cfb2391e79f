using System.Numerics;
using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// An element c0 + c1*u of Fq2 = Fq[u]/(u^2 + 1), the field of BN254's G2 coordinates
/// (same convention as snarkjs/ffjavascript; note EIP-197 serializes it as (c1, c0)).
/// </summary>
public readonly struct Fq2 : IField<Fq2>
{
    /// <summary>The coefficient of 1.</summary>
    public readonly Bn254Fq C0;
    /// <summary>The coefficient of u.</summary>
    public readonly Bn254Fq C1;

    /// <summary>Creates c0 + c1*u.</summary>
    public Fq2(Bn254Fq c0, Bn254Fq c1) { C0 = c0; C1 = c1; }

    /// <summary>0.</summary>
    public static Fq2 Zero => default;
    /// <summary>1.</summary>
    public static Fq2 One => new(Bn254Fq.One, Bn254Fq.Zero);
    /// <summary>The non-residue xi = 9 + u used to build Fq6 and the sextic twist.</summary>
    public static Fq2 NonResidue => new(Bn254Fq.FromUInt64(9), Bn254Fq.One);
    /// <summary>64: c0 then c1, each 32 bytes little-endian.</summary>
    public static int ByteLength => 64;
    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero;
    /// <inheritdoc/>
    public bool IsOne => C0.IsOne && C1.IsZero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 Add(in Fq2 a, in Fq2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 Sub(in Fq2 a, in Fq2 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 Neg(in Fq2 a) => new(-a.C0, -a.C1);
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 Double(in Fq2 a) => new(Bn254Fq.Double(a.C0), Bn254Fq.Double(a.C1));

    /// <inheritdoc/>
    public static Fq2 Mul(in Fq2 a, in Fq2 b)
    {
        // Karatsuba: 3 base multiplications.
        var v0 = a.C0 * b.C0;
        var v1 = a.C1 * b.C1;
        var s = (a.C0 + a.C1) * (b.C0 + b.C1);
        return new(v0 - v1, s - v0 - v1);
    }

    /// <inheritdoc/>
    public static Fq2 Square(in Fq2 a)
    {
        // (a0 + a1)(a0 - a1) + 2 a0 a1 u
        var p = a.C0 * a.C1;
        return new((a.C0 + a.C1) * (a.C0 - a.C1), Bn254Fq.Double(p));
    }

    /// <summary>a * s for a base-field scalar s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 MulByBase(in Fq2 a, in Bn254Fq s) => new(a.C0 * s, a.C1 * s);

    /// <summary>a * xi with xi = 9 + u, computed with additions only.</summary>
    public static Fq2 MulByNonResidue(in Fq2 a)
    {
        var a0x8 = Bn254Fq.Double(Bn254Fq.Double(Bn254Fq.Double(a.C0)));
        var a1x8 = Bn254Fq.Double(Bn254Fq.Double(Bn254Fq.Double(a.C1)));
        return new(a0x8 + a.C0 - a.C1, a1x8 + a.C1 + a.C0);
    }

    /// <summary>The conjugate c0 - c1*u, which is also the Frobenius map a^p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fq2 Conjugate(in Fq2 a) => new(a.C0, -a.C1);

    /// <inheritdoc/>
    public static Fq2 Inverse(in Fq2 a)
    {
        var norm = Bn254Fq.Square(a.C0) + Bn254Fq.Square(a.C1);
        if (norm.IsZero) throw new DivideByZeroException("Inverse of zero in Fq2.");
        var inv = Bn254Fq.Inverse(norm);
        return new(a.C0 * inv, -(a.C1 * inv));
    }

    /// <summary><see cref="Inverse"/> through <see cref="Bn254Fq.InverseVartime"/>: time depends on a, for public values only.</summary>
    public static Fq2 InverseVartime(in Fq2 a)
    {
        var norm = Bn254Fq.Square(a.C0) + Bn254Fq.Square(a.C1);
        if (norm.IsZero) throw new DivideByZeroException("Inverse of zero in Fq2.");
        var inv = Bn254Fq.InverseVartime(norm);
        return new(a.C0 * inv, -(a.C1 * inv));
    }

    /// <summary>a^e (square and multiply, variable time; a negative exponent inverts first).</summary>
    public static Fq2 Pow(in Fq2 a, BigInteger e) => FieldMath.Pow(a, e);

    /// <summary>
    /// A square root of <paramref name="a"/> if one exists (the choice between the two roots is deterministic but
    /// unspecified; callers select the sign they need). Uses the p = 3 mod 4 complex method.
    /// </summary>
    public static bool TrySqrt(in Fq2 a, out Fq2 root) => FieldHelpers.TrySqrtFq2(a, out root);

    /// <inheritdoc/>
    public static Fq2 FromUInt64(ulong value) => new(Bn254Fq.FromUInt64(value), Bn254Fq.Zero);

    /// <inheritdoc/>
    public void WriteBytes(Span<byte> destination)
    {
        C0.WriteBytes(destination[..32]);
        C1.WriteBytes(destination.Slice(32, 32));
    }

    /// <inheritdoc/>
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Fq2 value)
    {
        value = default;
        if (source.Length < 64) return false;
        if (!Bn254Fq.TryReadBytes(source[..32], out var c0) || !Bn254Fq.TryReadBytes(source.Slice(32, 32), out var c1)) return false;
        value = new(c0, c1);
        return true;
    }

    /// <inheritdoc/>
    public static Fq2 Random(Random rng) => new(Bn254Fq.Random(rng), Bn254Fq.Random(rng));

    /// <inheritdoc/>
    public static Fq2 operator +(Fq2 a, Fq2 b) => Add(a, b);
    /// <inheritdoc/>
    public static Fq2 operator -(Fq2 a, Fq2 b) => Sub(a, b);
    /// <inheritdoc/>
    public static Fq2 operator *(Fq2 a, Fq2 b) => Mul(a, b);
    /// <inheritdoc/>
    public static Fq2 operator -(Fq2 a) => Neg(a);
    /// <inheritdoc/>
    public static bool operator ==(Fq2 a, Fq2 b) => a.Equals(b);
    /// <inheritdoc/>
    public static bool operator !=(Fq2 a, Fq2 b) => !a.Equals(b);
    /// <inheritdoc/>
    public bool Equals(Fq2 other) => C0 == other.C0 && C1 == other.C1;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fq2 o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    /// <inheritdoc/>
    public override string ToString() => $"({C0} + {C1}*u)";
}
