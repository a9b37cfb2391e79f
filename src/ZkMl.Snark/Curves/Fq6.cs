using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>An element c0 + c1*v + c2*v^2 of Fq6 = Fq2[v]/(v^3 - xi), xi = 9 + u (the snarkjs/ffjavascript tower).</summary>
public readonly struct Fq6 : IField<Fq6>
{
    /// <summary>Coefficient of 1.</summary>
    public readonly Fq2 C0;
    /// <summary>Coefficient of v.</summary>
    public readonly Fq2 C1;
    /// <summary>Coefficient of v^2.</summary>
    public readonly Fq2 C2;

    /// <summary>Creates c0 + c1*v + c2*v^2.</summary>
    public Fq6(Fq2 c0, Fq2 c1, Fq2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    /// <summary>0.</summary>
    public static Fq6 Zero => default;
    /// <summary>1.</summary>
    public static Fq6 One => new(Fq2.One, Fq2.Zero, Fq2.Zero);
    /// <summary>192: c0, c1, c2 each as <see cref="Fq2"/>.</summary>
    public static int ByteLength => 192;
    /// <inheritdoc/>
    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;
    /// <inheritdoc/>
    public bool IsOne => C0.IsOne && C1.IsZero && C2.IsZero;

    /// <inheritdoc/>
    public static Fq6 Add(in Fq6 a, in Fq6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    /// <inheritdoc/>
    public static Fq6 Sub(in Fq6 a, in Fq6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    /// <inheritdoc/>
    public static Fq6 Neg(in Fq6 a) => new(-a.C0, -a.C1, -a.C2);
    /// <inheritdoc/>
    public static Fq6 Double(in Fq6 a) => new(Fq2.Double(a.C0), Fq2.Double(a.C1), Fq2.Double(a.C2));

    /// <inheritdoc/>
    public static Fq6 Mul(in Fq6 a, in Fq6 b)
    {
        // Karatsuba over three coefficients: 6 Fq2 multiplications.
        var v0 = a.C0 * b.C0;
        var v1 = a.C1 * b.C1;
        var v2 = a.C2 * b.C2;
        var c0 = Fq2.MulByNonResidue((a.C1 + a.C2) * (b.C1 + b.C2) - v1 - v2) + v0;
        var c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - v0 - v1 + Fq2.MulByNonResidue(v2);
        var c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - v0 - v2 + v1;
        return new(c0, c1, c2);
    }

    /// <inheritdoc/>
    public static Fq6 Square(in Fq6 a)
    {
        // Chung-Hasan SQR2.
        var s0 = Fq2.Square(a.C0);
        var s1 = Fq2.Double(a.C0 * a.C1);
        var s2 = Fq2.Square(a.C0 - a.C1 + a.C2);
        var s3 = Fq2.Double(a.C1 * a.C2);
        var s4 = Fq2.Square(a.C2);
        return new(s0 + Fq2.MulByNonResidue(s3), s1 + Fq2.MulByNonResidue(s4), s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>a * v (shifts coefficients, multiplying the wrapped one by xi).</summary>
    public static Fq6 MulByNonResidue(in Fq6 a) => new(Fq2.MulByNonResidue(a.C2), a.C0, a.C1);

    /// <summary>a * s for s in Fq2.</summary>
    public static Fq6 MulByFq2(in Fq6 a, in Fq2 s) => new(a.C0 * s, a.C1 * s, a.C2 * s);

    /// <summary>a * (b0 + b1 v): a sparse product used by line evaluations.</summary>
    internal static Fq6 MulBy01(in Fq6 a, in Fq2 b0, in Fq2 b1)
    {
        var v0 = a.C0 * b0;
        var v1 = a.C1 * b1;
        var c0 = Fq2.MulByNonResidue(a.C2 * b1) + v0;
        var c1 = (a.C0 + a.C1) * (b0 + b1) - v0 - v1;
        var c2 = a.C2 * b0 + v1;
        return new(c0, c1, c2);
    }

    /// <summary>a * (b1 v).</summary>
    internal static Fq6 MulBy1(in Fq6 a, in Fq2 b1) => new(Fq2.MulByNonResidue(a.C2 * b1), a.C0 * b1, a.C1 * b1);

    /// <inheritdoc/>
    public static Fq6 Inverse(in Fq6 a)
    {
        var t0 = Fq2.Square(a.C0) - Fq2.MulByNonResidue(a.C1 * a.C2);
        var t1 = Fq2.MulByNonResidue(Fq2.Square(a.C2)) - a.C0 * a.C1;
        var t2 = Fq2.Square(a.C1) - a.C0 * a.C2;
        var det = a.C0 * t0 + Fq2.MulByNonResidue(a.C2 * t1 + a.C1 * t2);
        if (det.IsZero) throw new DivideByZeroException("Inverse of zero in Fq6.");
        var inv = Fq2.Inverse(det);
        return new(t0 * inv, t1 * inv, t2 * inv);
    }

    /// <summary>a^(p^power) for power in 0..5 (coefficient-wise conjugation and constant multiplications).</summary>
    public static Fq6 Frobenius(in Fq6 a, int power)
    {
        int k = ((power % 6) + 6) % 6;
        if (k == 0) return a;
        if (k > 3) return Frobenius(Frobenius(a, 3), k - 3);
        Fq2 c0 = a.C0, c1 = a.C1, c2 = a.C2;
        if ((k & 1) == 1) { c0 = Fq2.Conjugate(c0); c1 = Fq2.Conjugate(c1); c2 = Fq2.Conjugate(c2); }
        // v^(p^k) = v * xi^((p^k - 1)/3) = v * gamma(k, 2); (v^2)^(p^k) = v^2 * gamma(k, 4).
        return new(c0, c1 * FieldHelpers.Gamma(k, 2), c2 * FieldHelpers.Gamma(k, 4));
    }

    /// <inheritdoc/>
    public static Fq6 FromUInt64(ulong value) => new(Fq2.FromUInt64(value), Fq2.Zero, Fq2.Zero);

    /// <inheritdoc/>
    public void WriteBytes(Span<byte> destination)
    {
        C0.WriteBytes(destination[..64]);
        C1.WriteBytes(destination.Slice(64, 64));
        C2.WriteBytes(destination.Slice(128, 64));
    }

    /// <inheritdoc/>
    public static bool TryReadBytes(ReadOnlySpan<byte> source, out Fq6 value)
    {
        value = default;
        if (source.Length < 192) return false;
        if (!Fq2.TryReadBytes(source[..64], out var c0) || !Fq2.TryReadBytes(source.Slice(64, 64), out var c1)
            || !Fq2.TryReadBytes(source.Slice(128, 64), out var c2)) return false;
        value = new(c0, c1, c2);
        return true;
    }

    /// <inheritdoc/>
    public static Fq6 Random(Random rng) => new(Fq2.Random(rng), Fq2.Random(rng), Fq2.Random(rng));

    /// <inheritdoc/>
    public static Fq6 operator +(Fq6 a, Fq6 b) => Add(a, b);
    /// <inheritdoc/>
    public static Fq6 operator -(Fq6 a, Fq6 b) => Sub(a, b);
    /// <inheritdoc/>
    public static Fq6 operator *(Fq6 a, Fq6 b) => Mul(a, b);
    /// <inheritdoc/>
    public static Fq6 operator -(Fq6 a) => Neg(a);
    /// <inheritdoc/>
    public static bool operator ==(Fq6 a, Fq6 b) => a.Equals(b);
    /// <inheritdoc/>
    public static bool operator !=(Fq6 a, Fq6 b) => !a.Equals(b);
    /// <inheritdoc/>
    public bool Equals(Fq6 other) => C0 == other.C0 && C1 == other.C1 && C2 == other.C2;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Fq6 o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
    /// <inheritdoc/>
    public override string ToString() => $"[{C0}, {C1}, {C2}]";
}
