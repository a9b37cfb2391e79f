using System.Numerics;
using System.Runtime.InteropServices;
using ZkMl.Field;
using ZkMl.Common;

namespace ZkMl.Snark.Curves;

/// <summary>
/// A BN254 G2 point (on the twist over Fq2) in Jacobian coordinates (x, y) = (X/Z^2, Y/Z^3); Z = 0 is the point at infinity.
/// The working form for additions and scalar multiplication; convert with <see cref="ToAffine"/> or <see cref="BatchToAffine"/>.
/// </summary>
public readonly struct G2Projective : IEquatable<G2Projective>
{
    internal readonly JacobianPoint<Fq2> P;

    internal G2Projective(in JacobianPoint<Fq2> p) { P = p; }

    /// <summary>Creates a point from Jacobian coordinates without validation (see <see cref="IsOnCurve"/>).</summary>
    public G2Projective(Fq2 x, Fq2 y, Fq2 z) { P = new(x, y, z); }

    /// <summary>Jacobian X.</summary>
    public Fq2 X => P.X;
    /// <summary>Jacobian Y.</summary>
    public Fq2 Y => P.Y;
    /// <summary>Jacobian Z (zero for infinity).</summary>
    public Fq2 Z => P.Z;
    /// <summary>True for the point at infinity.</summary>
    public bool IsInfinity => P.Z.IsZero;

    /// <summary>The point at infinity (group identity).</summary>
    public static G2Projective Infinity => new(CurveArithmetic<Fq2>.Infinity);
    /// <summary>The standard generator (EIP-197 / snarkjs).</summary>
    public static G2Projective Generator => G2Affine.Generator.ToProjective();

    /// <summary>True when the point satisfies the curve equation.</summary>
    public bool IsOnCurve => CurveArithmetic<Fq2>.IsOnCurve(P, G2Affine.B);

    /// <summary>True when the point is in the order-r subgroup G2 (see <see cref="G2Affine.IsInSubgroup"/>).</summary>
    public bool IsInSubgroup => G2Subgroup.IsInSubgroup(P);

    /// <summary>a + b.</summary>
    public static G2Projective Add(in G2Projective a, in G2Projective b) => new(CurveArithmetic<Fq2>.Add(a.P, b.P));
    /// <summary>a + b for affine b (cheaper).</summary>
    public static G2Projective AddMixed(in G2Projective a, in G2Affine b) => new(CurveArithmetic<Fq2>.AddMixed(a.P, b.P));
    /// <summary>2a.</summary>
    public static G2Projective Double(in G2Projective a) => new(CurveArithmetic<Fq2>.Double(a.P));
    /// <summary>-a.</summary>
    public G2Projective Negate() => new(CurveArithmetic<Fq2>.Neg(P));

    /// <summary>[k]P, variable time: only for public scalars.</summary>
    public G2Projective Multiply(in Bn254Fr k)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        Scalars.ToLimbs(k, limbs);
        return new(CurveArithmetic<Fq2>.MulVarTime(P, limbs));
    }

    /// <summary>[k]P for any non-negative integer k (variable time), e.g. k = r for subgroup checks.</summary>
    public G2Projective Multiply(BigInteger k) => new(CurveArithmetic<Fq2>.MulVarTime(P, Limbs.FromBigInteger(k)));

    /// <summary>
    /// [k]P for a secret scalar: a fixed 4-bit window over all 256 bits, table reads by masked selection and
    /// complete (exception-free) projective formulas, so the sequence of operations and memory accesses does not depend
    /// on k. Limits: the timing of the underlying field arithmetic and of the JIT are not under this library's control.
    /// </summary>
    public G2Projective MultiplyConstantTime(in Bn254Fr k)
    {
        Span<ulong> limbs = stackalloc ulong[4];
        Scalars.ToLimbs(k, limbs);
        return new(ConstantTimeScalarMul<Fq2>.Multiply(P, limbs, G2Affine.B));
    }

    /// <summary>The affine form (one field inversion).</summary>
    public G2Affine ToAffine() => new(CurveArithmetic<Fq2>.ToAffine(P));

    /// <summary>Converts many points to affine with a single field inversion.</summary>
    public static void BatchToAffine(ReadOnlySpan<G2Projective> points, Span<G2Affine> result)
        => CurveArithmetic<Fq2>.BatchToAffine(
            MemoryMarshal.Cast<G2Projective, JacobianPoint<Fq2>>(points),
            MemoryMarshal.Cast<G2Affine, AffinePoint<Fq2>>(result));

    /// <summary>a + b.</summary>
    public static G2Projective operator +(G2Projective a, G2Projective b) => Add(a, b);
    /// <summary>a + b.</summary>
    public static G2Projective operator +(G2Projective a, G2Affine b) => AddMixed(a, b);
    /// <summary>a - b.</summary>
    public static G2Projective operator -(G2Projective a, G2Projective b) => Add(a, b.Negate());
    /// <summary>-a.</summary>
    public static G2Projective operator -(G2Projective a) => a.Negate();
    /// <summary>[k]a (variable time).</summary>
    public static G2Projective operator *(G2Projective a, Bn254Fr k) => a.Multiply(k);
    /// <summary>[k]a (variable time).</summary>
    public static G2Projective operator *(Bn254Fr k, G2Projective a) => a.Multiply(k);
    /// <summary>Point equality (independent of the Jacobian representative).</summary>
    public static bool operator ==(G2Projective a, G2Projective b) => a.Equals(b);
    /// <summary>Point inequality.</summary>
    public static bool operator !=(G2Projective a, G2Projective b) => !a.Equals(b);
    /// <inheritdoc/>
    public bool Equals(G2Projective other) => CurveArithmetic<Fq2>.Equal(P, other.P);
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is G2Projective o && Equals(o);
    /// <inheritdoc/>
    public override int GetHashCode() => ToAffine().GetHashCode();
    /// <inheritdoc/>
    public override string ToString() => ToAffine().ToString();
}
