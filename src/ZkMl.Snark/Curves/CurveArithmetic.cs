using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>An affine point of a short Weierstrass curve y^2 = x^3 + b over <typeparamref name="TF"/> (same layout as G1Affine/G2Affine).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AffinePoint<TF> where TF : struct, IField<TF>
{
    public TF X;
    public TF Y;
    public bool IsInfinity;

    public AffinePoint(TF x, TF y, bool isInfinity) { X = x; Y = y; IsInfinity = isInfinity; }
}

/// <summary>A Jacobian point (x, y) = (X/Z^2, Y/Z^3); Z = 0 is the point at infinity.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JacobianPoint<TF> where TF : struct, IField<TF>
{
    public TF X;
    public TF Y;
    public TF Z;

    public JacobianPoint(TF x, TF y, TF z) { X = x; Y = y; Z = z; }
    public readonly bool IsInfinity => Z.IsZero;
}

/// <summary>Point arithmetic shared by G1 (over Fq) and G2 (over Fq2); the curves have a = 0.</summary>
internal static class CurveArithmetic<TF> where TF : struct, IField<TF>
{
    public static JacobianPoint<TF> Infinity => new(TF.One, TF.One, TF.Zero);

    public static JacobianPoint<TF> FromAffine(in AffinePoint<TF> a) => a.IsInfinity ? Infinity : new(a.X, a.Y, TF.One);

    public static JacobianPoint<TF> Neg(in JacobianPoint<TF> p) => new(p.X, TF.Neg(p.Y), p.Z);

    /// <summary>dbl-2009-l (a = 0).</summary>
    public static JacobianPoint<TF> Double(in JacobianPoint<TF> p)
    {
        if (p.Z.IsZero) return p;
        var a = TF.Square(p.X);
        var b = TF.Square(p.Y);
        var c = TF.Square(b);
        var d = TF.Double(TF.Square(p.X + b) - a - c);
        var e = TF.Double(a) + a;
        var f = TF.Square(e);
        var x3 = f - TF.Double(d);
        var c8 = TF.Double(TF.Double(TF.Double(c)));
        var y3 = e * (d - x3) - c8;
        var z3 = TF.Double(p.Y * p.Z);
        return new(x3, y3, z3);
    }

    /// <summary>add-2007-bl with the exceptional cases (infinity, equal, opposite) handled.</summary>
    public static JacobianPoint<TF> Add(in JacobianPoint<TF> p, in JacobianPoint<TF> q)
    {
        if (p.Z.IsZero) return q;
        if (q.Z.IsZero) return p;
        var z1z1 = TF.Square(p.Z);
        var z2z2 = TF.Square(q.Z);
        var u1 = p.X * z2z2;
        var u2 = q.X * z1z1;
        var s1 = p.Y * q.Z * z2z2;
        var s2 = q.Y * p.Z * z1z1;
        var h = u2 - u1;
        var rr = s2 - s1;
        if (h.IsZero) return rr.IsZero ? Double(p) : Infinity;
        var i = TF.Square(TF.Double(h));
        var j = h * i;
        var r = TF.Double(rr);
        var v = u1 * i;
        var x3 = TF.Square(r) - j - TF.Double(v);
        var y3 = r * (v - x3) - TF.Double(s1 * j);
        var z3 = (TF.Square(p.Z + q.Z) - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>madd-2007-bl: Jacobian plus affine.</summary>
    public static JacobianPoint<TF> AddMixed(in JacobianPoint<TF> p, in AffinePoint<TF> q)
    {
        if (q.IsInfinity) return p;
        if (p.Z.IsZero) return new(q.X, q.Y, TF.One);
        var z1z1 = TF.Square(p.Z);
        var u2 = q.X * z1z1;
        var s2 = q.Y * p.Z * z1z1;
        var h = u2 - p.X;
        var rr = s2 - p.Y;
        if (h.IsZero) return rr.IsZero ? Double(p) : Infinity;
        var hh = TF.Square(h);
        var i = TF.Double(TF.Double(hh));
        var j = h * i;
        var r = TF.Double(rr);
        var v = p.X * i;
        var x3 = TF.Square(r) - j - TF.Double(v);
        var y3 = r * (v - x3) - TF.Double(p.Y * j);
        var z3 = TF.Square(p.Z + h) - z1z1 - hh;
        return new(x3, y3, z3);
    }

    public static AffinePoint<TF> ToAffine(in JacobianPoint<TF> p)
    {
        if (p.Z.IsZero) return new(TF.Zero, TF.Zero, true);
        var zInv = TF.Inverse(p.Z);
        var zInv2 = TF.Square(zInv);
        return new(p.X * zInv2, p.Y * zInv2 * zInv, false);
    }

    /// <summary>Converts many points with one field inversion (Montgomery's trick).</summary>
    public static void BatchToAffine(ReadOnlySpan<JacobianPoint<TF>> points, Span<AffinePoint<TF>> result)
    {
        if (result.Length < points.Length) throw new ArgumentException("Destination is shorter than the source.", nameof(result));
        TF[] prefixArray = new TF[points.Length];
        var acc = TF.One;
        for (int i = 0; i < points.Length; i++)
        {
            prefixArray[i] = acc;
            if (!points[i].Z.IsZero) acc *= points[i].Z;
        }
        var inv = TF.Inverse(acc);
        for (int i = points.Length - 1; i >= 0; i--)
        {
            var p = points[i];
            if (p.Z.IsZero) { result[i] = new(TF.Zero, TF.Zero, true); continue; }
            var zInv = inv * prefixArray[i];
            inv *= p.Z;
            var zInv2 = TF.Square(zInv);
            result[i] = new(p.X * zInv2, p.Y * zInv2 * zInv, false);
        }
    }

    public static bool Equal(in JacobianPoint<TF> p, in JacobianPoint<TF> q)
    {
        bool pi = p.Z.IsZero, qi = q.Z.IsZero;
        if (pi || qi) return pi && qi;
        var z1z1 = TF.Square(p.Z);
        var z2z2 = TF.Square(q.Z);
        if (p.X * z2z2 != q.X * z1z1) return false;
        return p.Y * q.Z * z2z2 == q.Y * p.Z * z1z1;
    }

    public static bool IsOnCurve(in AffinePoint<TF> p, in TF b)
        => p.IsInfinity || TF.Square(p.Y) == TF.Square(p.X) * p.X + b;

    public static bool IsOnCurve(in JacobianPoint<TF> p, in TF b)
    {
        if (p.Z.IsZero) return true;
        var z2 = TF.Square(p.Z);
        var z6 = TF.Square(z2) * z2;
        return TF.Square(p.Y) == TF.Square(p.X) * p.X + b * z6;
    }

    /// <summary>Variable-time double-and-add over little-endian 64-bit limbs (public scalars only).</summary>
    public static JacobianPoint<TF> MulVarTime(in JacobianPoint<TF> p, ReadOnlySpan<ulong> scalar)
    {
        var acc = Infinity;
        int top = scalar.Length * 64 - 1;
        while (top >= 0 && ((scalar[top >> 6] >> (top & 63)) & 1) == 0) top--;
        for (int i = top; i >= 0; i--)
        {
            acc = Double(acc);
            if (((scalar[i >> 6] >> (i & 63)) & 1) != 0) acc = Add(acc, p);
        }
        return acc;
    }
}
