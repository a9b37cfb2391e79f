using ZkMl.Field;

namespace ZkMl.Snark.Curves;

/// <summary>
/// The optimal ate pairing e: G1 x G2 -> GT (the order-r subgroup of Fq12*) of BN254, with the same value as
/// snarkjs/ffjavascript (vk_alphabeta_12) and gnark-crypto, and the same product-is-one answers as the EIP-197 precompile:
/// Miller loop over 6x+2 (signed digits) with lines in homogeneous projective coordinates, two Frobenius lines,
/// then the final exponentiation (see <see cref="FinalExponentiation"/>). Variable time (inputs are public in verifiers).
/// </summary>
public static class Pairing
{
    /// <summary>e(p, q). Infinity on either side gives 1.</summary>
    public static Fq12 Pair(in G1Affine p, in G2Affine q)
        => FinalExponentiation(MillerLoop([p], [q]));

    /// <summary>The product of e(ps[i], qs[i]), sharing one final exponentiation.</summary>
    public static Fq12 MultiPairing(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
        => FinalExponentiation(MillerLoop(ps, qs));

    /// <summary>True when the product of e(ps[i], qs[i]) is 1 (the EIP-197 check; e.g. a Groth16 verification).</summary>
    public static bool PairingProductIsOne(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
        => MultiPairing(ps, qs).IsOne;

    /// <summary>The product of the Miller loops f_{6x+2,q}(p) times the Frobenius lines, before the final exponentiation.</summary>
    public static Fq12 MillerLoop(ReadOnlySpan<G1Affine> ps, ReadOnlySpan<G2Affine> qs)
    {
        if (ps.Length != qs.Length) throw new ArgumentException($"Pairing needs as many G1 points ({ps.Length}) as G2 points ({qs.Length}).");
        // Pairs with a point at infinity contribute 1.
        var p = new G1Affine[ps.Length];
        var q = new G2Affine[ps.Length];
        int n = 0;
        for (int i = 0; i < ps.Length; i++)
        {
            if (ps[i].IsInfinity || qs[i].IsInfinity) continue;
            p[n] = ps[i];
            q[n] = qs[i];
            n++;
        }
        var t = new TwistPoint[n];
        for (int k = 0; k < n; k++) t[k] = new TwistPoint(q[k].X, q[k].Y, Fq2.One);

        var f = Fq12.One;
        var digits = LoopDigits;
        for (int i = digits.Length - 2; i >= 0; i--)
        {
            if (i != digits.Length - 2) f = Fq12.Square(f);
            for (int k = 0; k < n; k++)
            {
                var line = DoubleStep(ref t[k]);
                f = MulByLine(f, line, p[k]);
                if (digits[i] != 0)
                {
                    var addend = digits[i] > 0 ? q[k] : q[k].Negate();
                    line = AddStep(ref t[k], addend);
                    f = MulByLine(f, line, p[k]);
                }
            }
        }
        for (int k = 0; k < n; k++)
        {
            // Q1 = pi(Q), Q2 = -pi^2(Q) on the twist.
            var q1 = new G2Affine(Fq2.Conjugate(q[k].X) * FieldHelpers.Gamma(1, 2), Fq2.Conjugate(q[k].Y) * FieldHelpers.Gamma(1, 3));
            var q2 = new G2Affine(q[k].X * FieldHelpers.Gamma(2, 2), -(q[k].Y * FieldHelpers.Gamma(2, 3)));
            f = MulByLine(f, AddStep(ref t[k], q1), p[k]);
            f = MulByLine(f, AddStep(ref t[k], q2), p[k]);
        }
        return f;
    }

    /// <summary>
    /// The final exponentiation f^(m (p^12 - 1)/r) with m = 2x(6x^2 + 3x + 1), x the BN seed: easy part
    /// f^((p^6 - 1)(p^2 + 1)), then the hard part by the x-chain of Fuentes-Castaneda, Knapp and Rodriguez-Henriquez
    /// (2011) as in Duquesne-Ghammam (2015). m is coprime to r, so this is still a non-degenerate bilinear pairing, and
    /// it is the exact convention of ffjavascript/snarkjs (vk_alphabeta_12) and gnark-crypto.
    /// </summary>
    public static Fq12 FinalExponentiation(in Fq12 f)
    {
        if (f.IsZero) throw new ArgumentException("The Miller loop value is zero.", nameof(f));
        var t = Fq12.Conjugate(f) * Fq12.Inverse(f);
        t = Fq12.Frobenius(t, 2) * t;
        return HardPart(t);
    }

    /// <summary>f^(m (p^4 - p^2 + 1)/r) for f in the cyclotomic subgroup (see <see cref="FinalExponentiation"/>).</summary>
    internal static Fq12 HardPart(in Fq12 f)
    {
        var t0 = Fq12.CyclotomicSquare(Fq12.Conjugate(ExpBySeed(f)));       // f^(-2x)
        var t2 = Fq12.Conjugate(ExpBySeed(t0));                              // f^(2x^2)
        var t1 = Fq12.CyclotomicSquare(t2);                                  // f^(4x^2)
        t2 = t2 * t1 * f;                                                    // f^(6x^2 + 1)
        t1 = Fq12.Conjugate(Fq12.CyclotomicSquare(ExpBySeed(t2)) * t2);      // f^-(12x^3 + 6x^2 + 2x + 1)
        var t3 = Fq12.Conjugate(t1);                                         // f^(12x^3 + 6x^2 + 2x + 1)
        t1 = Fq12.Conjugate(Fq12.CyclotomicSquare(t0) * f) * t3;             // f^(12x^3 + 6x^2 + 6x)
        t0 *= t1;                                                            // f^(12x^3 + 6x^2 + 4x)
        t2 *= t1;                                                            // f^(12x^3 + 12x^2 + 6x + 1)
        t2 *= Fq12.Frobenius(t1, 2);
        t3 = Fq12.Conjugate(f) * t0;                                         // f^(12x^3 + 6x^2 + 4x - 1)
        t2 *= Fq12.Frobenius(t3, 3);
        return Fq12.Frobenius(t0, 1) * t2;
    }

    /// <summary>f^x for the BN seed x, f cyclotomic.</summary>
    internal static Fq12 ExpBySeed(in Fq12 f)
    {
        var result = f;
        const ulong x = G2Subgroup.Seed;
        for (int i = 62 - System.Numerics.BitOperations.LeadingZeroCount(x) ; i >= 0; i--)
        {
            result = Fq12.CyclotomicSquare(result);
            if (((x >> i) & 1) != 0) result *= f;
        }
        return result;
    }

    /// <summary>Signed binary digits (NAF, least significant first) of 6x + 2.</summary>
    private static readonly sbyte[] LoopDigits = ComputeNaf(6 * new System.Numerics.BigInteger(G2Subgroup.Seed) + 2);

    private static sbyte[] ComputeNaf(System.Numerics.BigInteger e)
    {
        var digits = new List<sbyte>();
        while (!e.IsZero)
        {
            if (e.IsEven) digits.Add(0);
            else
            {
                int d = (int)(e & 3) == 1 ? 1 : -1;
                digits.Add((sbyte)d);
                e -= d;
            }
            e >>= 1;
        }
        return digits.ToArray();
    }

    private static readonly Bn254Fq HalfOne = Bn254Fq.Inverse(Bn254Fq.FromUInt64(2));
    private static readonly Fq2 ThreeB = Fq2.FromUInt64(3) * G2Affine.B;

    /// <summary>A twist point in homogeneous projective coordinates (x, y) = (X/Z, Y/Z), used by the Miller loop.</summary>
    private struct TwistPoint
    {
        public Fq2 X, Y, Z;
        public TwistPoint(Fq2 x, Fq2 y, Fq2 z) { X = x; Y = y; Z = z; }
    }

    /// <summary>Line coefficients: the line evaluated at P is R0*yP + R1*xP*w + R2*w^3.</summary>
    private readonly struct Line
    {
        public readonly Fq2 R0, R1, R2;
        public Line(Fq2 r0, Fq2 r1, Fq2 r2) { R0 = r0; R1 = r1; R2 = r2; }
    }

    /// <summary>T = 2T with the tangent line (Costello, Lange, Naehrig 2010; Aranha et al. 2013, sec. 4.3).</summary>
    private static Line DoubleStep(ref TwistPoint t)
    {
        var a = Fq2.MulByBase(t.X * t.Y, HalfOne);
        var b = Fq2.Square(t.Y);
        var c = Fq2.Square(t.Z);
        var e = ThreeB * c;
        var f = Fq2.Double(e) + e;
        var g = Fq2.MulByBase(b + f, HalfOne);
        var h = Fq2.Square(t.Y + t.Z) - (b + c);
        var i = e - b;
        var j = Fq2.Square(t.X);
        var e2 = Fq2.Square(e);
        t = new TwistPoint((b - f) * a, Fq2.Square(g) - (Fq2.Double(e2) + e2), b * h);
        return new Line(-h, Fq2.Double(j) + j, i);
    }

    /// <summary>T = T + Q (Q affine) with the chord line.</summary>
    private static Line AddStep(ref TwistPoint t, in G2Affine q)
    {
        var o = t.Y - q.Y * t.Z;
        var l = t.X - q.X * t.Z;
        var c = Fq2.Square(o);
        var d = Fq2.Square(l);
        var e = l * d;
        var f = t.Z * c;
        var g = t.X * d;
        var h = e + f - Fq2.Double(g);
        var yE = t.Y * e;
        t = new TwistPoint(l * h, (g - h) * o - yE, e * t.Z);
        return new Line(l, -o, q.X * o - l * q.Y);
    }

    /// <summary>f * (r0 yP + r1 xP w + r2 w^3): a sparse multiplication.</summary>
    private static Fq12 MulByLine(in Fq12 f, in Line line, in G1Affine p)
    {
        var r0 = Fq2.MulByBase(line.R0, p.Y);
        var r1 = Fq2.MulByBase(line.R1, p.X);
        // b0 = r0 (in Fq2 inside Fq6), b1 = r1 + r2 v.
        var a0b0 = Fq6.MulByFq2(f.C0, r0);
        var a1b1 = Fq6.MulBy01(f.C1, r1, line.R2);
        var sum = Fq6.MulBy01(f.C0 + f.C1, r0 + r1, line.R2);
        return new Fq12(a0b0 + Fq6.MulByNonResidue(a1b1), sum - a0b0 - a1b1);
    }
}
