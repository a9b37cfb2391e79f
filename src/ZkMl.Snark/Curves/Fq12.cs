using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

// The IField members repeat Fq2/Fq6 in shape; a generic extension tower belongs to the performance issue.
/// <summary>
/// An element c0 + c1*w of Fq12 = Fq6[w]/(w^2 - v), the pairing target field (the snarkjs/ffjavascript tower:
/// Fq2 = Fq[u]/(u^2+1), Fq6 = Fq2[v]/(v^3 - (9+u)), Fq12 = Fq6[w]/(w^2 - v)).
/// </summary>
public readonly struct Fq12 : IField<Fq12>
{
    /// <summary>Coefficient of 1.</summary>
    public readonly Fq6 C0;
    /// <summary>Coefficient of w.</summary>
    public readonly Fq6 C1;

    /// <summary>Creates c0 + c1*w.</summary>
    public Fq12(Fq6 c0, Fq6 c1) { C0 = c0; C1 = c1; }

    /// <summary>0.</summary>
    public static Fq12 Zero => default;
    /// <summary>1.</summary>
    public static Fq12 One => new(Fq6.One, Fq6.Zero);
    /// <summary>384: c0 then c1, each as <see cref="Fq6"/>.</summary>
    public static int ByteLength => 384;
    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero;
    /// <inheritdoc/>
    public bool IsOne => C0.IsOne && C1.IsZero;

    /// <inheritdoc/>
    public static Fq12 Add(in Fq12 a, in Fq12 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    /// <inheritdoc/>
    public static Fq12 Sub(in Fq12 a, in Fq12 b) => new(a.C0 - b.C0, a.C1 - b.C1);
    /// <inheritdoc/>
    public static Fq12 Neg(in Fq12 a) => new(-a.C0, -a.C1);
    /// <inheritdoc/>
    public static Fq12 Double(in Fq12 a) => new(Fq6.Double(a.C0), Fq6.Double(a.C1));

    /// <inheritdoc/>
    public static Fq12 Mul(in Fq12 a, in Fq12 b)
    {
        var v0 = a.C0 * b.C0;
        var v1 = a.C1 * b.C1;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1;
        return new(v0 + Fq6.MulByNonResidue(v1), c1);
    }

    /// <inheritdoc/>
    public static Fq12 Square(in Fq12 a)
    {
        // Complex squaring: c0 = (a0 + a1)(a0 + v a1) - a0a1 - v a0a1, c1 = 2 a0a1.
        var ab = a.C0 * a.C1;
        var c0 = (a.C0 + a.C1) * (a.C0 + Fq6.MulByNonResidue(a.C1)) - ab - Fq6.MulByNonResidue(ab);
        return new(c0, Fq6.Double(ab));
    }

    /// <summary>
    /// Squaring for elements of the cyclotomic subgroup (every pairing value after the easy part of the final
    /// exponentiation): Granger-Scott, 6 Fq2 squarings instead of a full Fq12 squaring. Wrong for other elements.
    /// </summary>
    public static Fq12 CyclotomicSquare(in Fq12 x)
    {
        var t0 = Fq2.Square(x.C1.C1);
        var t1 = Fq2.Square(x.C0.C0);
        var t6 = Fq2.Square(x.C1.C1 + x.C0.C0) - t0 - t1; // 2 x4 x0
        var t2 = Fq2.Square(x.C0.C2);
        var t3 = Fq2.Square(x.C1.C0);
        var t7 = Fq2.Square(x.C0.C2 + x.C1.C0) - t2 - t3; // 2 x2 x3
        var t4 = Fq2.Square(x.C1.C2);
        var t5 = Fq2.Square(x.C0.C1);
        var t8 = Fq2.MulByNonResidue(Fq2.Square(x.C1.C2 + x.C0.C1) - t4 - t5); // 2 x5 x1 xi
        t0 = Fq2.MulByNonResidue(t0) + t1;
        t2 = Fq2.MulByNonResidue(t2) + t3;
        t4 = Fq2.MulByNonResidue(t4) + t5;
        return new Fq12(
            new Fq6(Fq2.Double(t0 - x.C0.C0) + t0, Fq2.Double(t2 - x.C0.C1) + t2, Fq2.Double(t4 - x.C0.C2) + t4),
            new Fq6(Fq2.Double(t8 + x.C1.C0) + t8, Fq2.Double(t6 + x.C1.C1) + t6, Fq2.Double(t7 + x.C1.C2) + t7));
    }

    /// <summary>The conjugate c0 - c1*w = a^(p^6); equals the inverse for unitary elements (pairing outputs).</summary>
    public static Fq12 Conjugate(in Fq12 a) => new(a.C0, -a.C1);

    /// <inheritdoc/>
    public static Fq12 Inverse(in Fq12 a)
    {
        var t = Fq6.Square(a.C0) - Fq6.MulByNonResidue(Fq6.Square(a.C1));
        if (t.IsZero) throw new DivideByZeroException("Inverse of zero in Fq12.");
        var inv = Fq6.Inverse(t);
        return new(a.C0 * inv, -(a.C1 * inv));
    }

    /// <summary>a^(p^power) (the Frobenius endomorphism applied <paramref name="power"/> times).</summary>
    public static Fq12 Frobenius(in Fq12 a, int power)
    {
        int k = ((power % 12) + 12) % 12;
        if (k == 0) return a;
        if (k > 3) return Frobenius(Frobenius(a, 3), k - 3);
        bool conj = (k & 1) == 1;
        Fq2 F(in Fq2 c, int i) => (conj ? Fq2.Conjugate(c) : c) * FieldHelpers.Gamma(k, i);
        // Coefficients of w^0, w^2, w^4 live in C0 and of w^1, w^3, w^5 in C1.
        return new(
            new Fq6(conj ? Fq2.Conjugate(a.C0.C0) : a.C0.C0, F(a.C0.C1, 2), F(a.C0.C2, 4)),
            new Fq6(F(a.C1.C0, 1), F(a.C1.C1, 3), F(a.C1.C2, 5)));
    }

    /// <summary>a^e (square and multiply, variable time; a negative exponent inverts first).</summary>
    public static Fq12 Pow(in Fq12 a, BigInteger e) => FieldMath.Pow(a, e);

    /// <inheritdoc/>
    public static Fq12 FromUInt64(ulong value) => new(Fq6.FromUInt64(value), Fq6.Zero);

    /// <inheritdoc/>
    public void WriteBytes(Span<byte> destination)
    {
        C0.WriteBytes(destination[..192]);
        C1.WriteBytes(destination.Slice(192, 192));
    }

    /// <inheritdoc/>
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Fq12 value)
    {
        value = default;
        if (source.Length < 384) return false;
        if (!Fq6.TryReadBytes(source[..192], out var c0) || !Fq6.TryReadBytes(source.Slice(192, 192), out var c1)) return false;
        value = new(c0, c1);
        return true;
    }

    /// <inheritdoc/>
    public static Fq12 Random(Random rng) => new(Fq6.Random(rng), Fq6.Random(rng));

    /// <inheritdoc/>
    public static Fq12 operator +(Fq12 a, Fq12 b) => Add(a, b);
    /// <inheritdoc/>
    public static Fq12 operator -(Fq12 a, Fq12 b) => Sub(a, b);
    /// <inheritdoc/>
    public static Fq12 operator *(Fq12 a, Fq12 b) => Mul(a, b);
    /// <inheritdoc/>
    public static Fq12 operator -(Fq12 a) => Neg(a);
    /// <inheritdoc/>
    public static bool operator ==(Fq12 a, Fq12 b) => a.Equals(b);
    /// <inheritdoc/>
    public static bool operator !=(Fq12 a, Fq12 b) => !a.Equals(b);
    /// <inheritdoc/>
    public bool Equals(Fq12 other) => C0 == other.C0 && C1 == other.C1;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fq12 o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    /// <inheritdoc/>
    public override string ToString() => $"{{{C0}, {C1}}}";
}
