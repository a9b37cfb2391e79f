using System.Runtime.CompilerServices;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Small helpers for mixing base-field and quadratic-extension arithmetic in the prover's hot loops.</summary>
internal static class Ext
{
    public static readonly GoldilocksExt2 U = new(Goldilocks.Zero, Goldilocks.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Lift(Goldilocks a) => new(a, Goldilocks.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 Make(Goldilocks c0, Goldilocks c1) => new(c0, c1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Re(in GoldilocksExt2 e) => e.C0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Goldilocks Im(in GoldilocksExt2 e) => e.C1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 MulBase(in GoldilocksExt2 e, Goldilocks b) => GoldilocksExt2.Mul(e, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static GoldilocksExt2 AddBase(in GoldilocksExt2 e, Goldilocks b) => new(e.C0 + b, e.C1);

    /// <summary>Horner evaluation of a base-field polynomial at an extension point.</summary>
    public static GoldilocksExt2 EvaluateAt(ReadOnlySpan<Goldilocks> coefficients, GoldilocksExt2 x)
    {
        var acc = GoldilocksExt2.Zero;
        for (int i = coefficients.Length - 1; i >= 0; i--) acc = AddBase(acc * x, coefficients[i]);
        return acc;
    }

    /// <summary>Horner evaluation of an extension-field polynomial at an extension point.</summary>
    public static GoldilocksExt2 EvaluateAt(ReadOnlySpan<GoldilocksExt2> coefficients, GoldilocksExt2 x)
    {
        var acc = GoldilocksExt2.Zero;
        for (int i = coefficients.Length - 1; i >= 0; i--) acc = acc * x + coefficients[i];
        return acc;
    }

    /// <summary>
    /// Divides the polynomial in <paramref name="coefficients"/> by (X - <paramref name="a"/>) in place: afterwards the first
    /// Length - 1 entries hold the quotient and the last is zero. Returns the remainder, the polynomial's value at a.
    /// </summary>
    public static GoldilocksExt2 DivideByLinear(Span<GoldilocksExt2> coefficients, GoldilocksExt2 a)
    {
        int d = coefficients.Length;
        if (d == 0) return GoldilocksExt2.Zero;
        var carry = coefficients[d - 1];
        coefficients[d - 1] = GoldilocksExt2.Zero;
        for (int i = d - 2; i >= 0; i--)
        {
            var f = coefficients[i];
            coefficients[i] = carry;
            carry = f + a * carry;
        }
        return carry;
    }

    /// <summary>x, x^2, ..., x^count (the LogUp tuple weights).</summary>
    public static GoldilocksExt2[] Powers(GoldilocksExt2 x, int count)
    {
        var p = new GoldilocksExt2[count];
        var g = x;
        for (int i = 0; i < count; i++) { p[i] = g; g *= x; }
        return p;
    }

    public static void Write(Span<byte> destination, in GoldilocksExt2 e)
    {
        e.C0.WriteBytes(destination);
        e.C1.WriteBytes(destination[8..]);
    }
}
