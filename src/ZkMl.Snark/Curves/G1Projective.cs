using System.Numerics;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Common;

namespace ZkMl.Snark.Curves;

/// <summary>
/// A BN254 G1 point in Jacobian coordinates (x, y) = (X/Z^2, Y/Z^3); Z = 0 is the point at infinity.
/// The working form for additions and scalar multiplication; convert with <see cref="ToAffine"/> or <see cref="BatchToAffine"/>.
/// </summary>
public readonly struct G1Projective : IEquatable<G1Projective>
{
    internal readonly JacobianPoint<Bn254Fq> P;

    internal G1Projective(in JacobianPoint<Bn254Fq> p) { P = p; }

    /// <summary>Creates a point from Jacobian coordinates without validation (see <see cref="IsOnCurve"/>).</summary>
    public G1Projective(Bn254Fq x, Bn254Fq y, Bn254Fq z) { P = new(x, y, z); }

    /// <summary>Jacobian X.</summary>
    public Bn254Fq X => P.X;
    /// <summary>Jacobian Y.</summary>
    public Bn254Fq Y => P.Y;
    /// <summary>Jacobian Z (zero for infinity).</summary>
    public Bn254Fq Z => P.Z;
    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => P.Z.IsZero;

    /// <summary>The point at infinity (group identity).</summary>
    public static G1Projective Infinity => new(CurveArithmetic<Bn254Fq>.Infinity);
    /// <summary>The standard generator (1, 2).</summary>
    public static G1Projective Generator => G1Affine.Generator.ToProjective();

    /// <summary>True when the point satisfies the curve equation.</summary>
    public bool IsOnCurve => CurveArithmetic<Bn254Fq>.IsOnCurve(P, G1Affine.B);

    /// <summary>a + b.</summary>
    public static G1Projective Add(in G1Projective a, in G1Projective b) => new(CurveArithmetic<Bn254Fq>.Add(a.P, b.P));
    /// <summary>a + b for affine b (cheaper).</summary>
    public static G1Projective AddMixed(in G1Projective a, in G1Affine b) => new(CurveArithmetic<Bn254Fq>.AddMixed(a.P, b.P));
    /// <summary>2a.</summary>
    public static G1Projective Double(in G1Projective a) => new(CurveArithmetic<Bn254Fq>.Double(a.P));
    /// <summary>-a.</summary>
    public G1Projective Negate() => new(CurveArithmetic<Bn254Fq>.Neg(P));

    /// <summary>[k]P, variable time: only for public scalars.</summary>
    public G1Projective Multiply(in Bn254Fr k)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        Scalars.ToLimbs(k, limbs);
        return new(CurveArithmetic<Bn254Fq>.MulVarTime(P, limbs));
    }

    /// <summary>[k]P for any non-negative integer k (variable time), e.g. k = r for subgroup checks.</summary>
    public G1Projective Multiply(BigInteger k) => new(CurveArithmetic<Bn254Fq>.MulVarTime(P, Limbs.FromBigInteger(k)));

    /// <summary>
    /// [k]P for a secret scalar: a fixed 4-bit window over all 256 bits, table reads by masked selection and
    /// complete (exception-free) projective formulas, so the sequence of operations and memory accesses does not depend
    /// on k. Limits: the timing of the underlying field arithmetic and of the JIT are not under this library's control.
    /// </summary>
    public G1Projective MultiplyConstantTime(in Bn254Fr k)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        Scalars.ToLimbs(k, limbs);
        return new(ConstantTimeScalarMul<Bn254Fq>.Multiply(P, limbs, G1Affine.B));
    }

    /// <summary>The affine form (one field inversion).</summary>
    public G1Affine ToAffine() => new(CurveArithmetic<Bn254Fq>.ToAffine(P));

    /// <summary>Converts many points to affine with a single field inversion.</summary>
    public static void BatchToAffine(ReadOnlySpan<G1Projective> points, Span<G1Affine> result)
        => CurveArithmetic<Bn254Fq>.BatchToAffine(
            MemoryMarshal.Cast<G1Projective, JacobianPoint<Bn254Fq>>(points),
            MemoryMarshal.Cast<G1Affine, AffinePoint<Bn254Fq>>(result));

    /// <summary>a + b.</summary>
    public static G1Projective operator +(G1Projective a, G1Projective b) => Add(a, b);
    /// <summary>a + b.</summary>
    public static G1Projective operator +(G1Projective a, G1Affine b) => AddMixed(a, b);
    /// <summary>a - b.</summary>
    public static G1Projective operator -(G1Projective a, G1Projective b) => Add(a, b.Negate());
    /// <summary>-a.</summary>
    public static G1Projective operator -(G1Projective a) => a.Negate();
    /// <summary>[k]a (variable time).</summary>
    public static G1Projective operator *(G1Projective a, Bn254Fr k) => a.Multiply(k);
    /// <summary>[k]a (variable time).</summary>
    public static G1Projective operator *(Bn254Fr k, G1Projective a) => a.Multiply(k);
    /// <summary>Point equality (independent of the Jacobian representative).</summary>
    public static bool operator ==(G1Projective a, G1Projective b) => a.Equals(b);
    /// <summary>Point inequality.</summary>
    public static bool operator !=(G1Projective a, G1Projective b) => !a.Equals(b);
    /// <inheritdoc/>
    public bool Equals(G1Projective other) => CurveArithmetic<Bn254Fq>.Equal(P, other.P);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G1Projective o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => ToAffine().GetHashCode();
    /// <inheritdoc/>
    public override string ToString() => ToAffine().ToString();
}
