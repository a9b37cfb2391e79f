using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Snark.Ceremony;

/// <summary>
/// [k]P for public scalars with an endomorphism ψ that acts as [λ] (GLV): k ≡ k₁ + k₂λ (mod r) with |k₁|, |k₂| about √r, and
/// [k]P = [k₁]P + [k₂]ψ(P) by one interleaved width-5 NAF, about half the doublings of a plain NAF. <see cref="Create"/>
/// checks λ on a generator, so a wrong constant can only mean no GLV (null), never a wrong product.
/// </summary>
internal sealed class GlvMultiplier<T>
{
    private readonly CeremonyMath.GroupOps<T> _ops;
    private readonly Func<T, T> _endo;
    private readonly BigInteger _a1, _b1, _a2, _b2;

    private GlvMultiplier(CeremonyMath.GroupOps<T> ops, Func<T, T> endo, BigInteger lambda)
    {
        _ops = ops;
        _endo = endo;
        // A short basis of {(a, b) : a + bλ ≡ 0 (mod r)} from the extended Euclidean algorithm on (r, λ), stopped at √r.
        var r = Bn254Fr.Modulus;
        var root = new BigInteger(Math.Sqrt((double)r));
        BigInteger r0 = r, r1 = lambda, t0 = 0, t1 = 1;
        while (r1 >= root)
        {
            var q = BigInteger.Divide(r0, r1);
            (r0, r1) = (r1, r0 - q * r1);
            (t0, t1) = (t1, t0 - q * t1);
        }
        (_a1, _b1) = (r1, -t1);
        var q2 = BigInteger.Divide(r0, r1);
        BigInteger r2 = r0 - q2 * r1, t2 = t0 - q2 * t1;
        (_a2, _b2) = r0 * r0 + t0 * t0 <= r2 * r2 + t2 * t2 ? (r0, -t0) : (r2, -t2);
        // The basis' determinant is ±r; the rounding below divides by it with its sign.
        _sign = (_a1 * _b2 - _a2 * _b1).Sign;
    }

    private readonly int _sign;

    /// <summary>The multiplier for <paramref name="endo"/>, with whichever candidate eigenvalue it has on <paramref name="generator"/>; null if none.</summary>
    public static GlvMultiplier<T>? Create(CeremonyMath.GroupOps<T> ops, Func<T, T> endo, T generator, Func<T, T, bool> equal, params BigInteger[] candidates)
    {
        var image = endo(generator);
        foreach (var lambda in candidates)
        {
            var glv = new GlvMultiplier<T>(ops, endo, lambda);
            if (equal(image, CeremonyMath.MultiplyNaf(generator, Bn254Fr.FromBigInteger(lambda), ops))) return glv;
        }
        return null;
    }

    public T Multiply(T p, in Bn254Fr k)
    {
        var kb = k.ToBigInteger();
        var c1 = RoundDivide(_sign * _b2 * kb);
        var c2 = RoundDivide(-_sign * _b1 * kb);
        var k1 = kb - c1 * _a1 - c2 * _a2;
        var k2 = -c1 * _b1 - c2 * _b2;
        Span<sbyte> naf1 = stackalloc sbyte[CeremonyMath.NafDigits];
        Span<sbyte> naf2 = stackalloc sbyte[CeremonyMath.NafDigits];
        int top = Math.Max(CeremonyMath.Naf(BigInteger.Abs(k1), naf1), CeremonyMath.Naf(BigInteger.Abs(k2), naf2));
        if (top < 0) return _ops.Infinity;
        var table1 = CeremonyMath.OddMultiples(k1.Sign < 0 ? _ops.Negate(p) : p, _ops);
        var table2 = new T[table1.Length];
        for (int i = 0; i < table1.Length; i++) table2[i] = k1.Sign * k2.Sign < 0 ? _ops.Negate(_endo(table1[i])) : _endo(table1[i]);
        var acc = _ops.Infinity;
        for (int i = top; i >= 0; i--)
        {
            acc = _ops.Double(acc);
            acc = CeremonyMath.AddDigit(acc, naf1[i], table1, _ops);
            acc = CeremonyMath.AddDigit(acc, naf2[i], table2, _ops);
        }
        return acc;
    }

    // round(x / r), ties away from zero.
    private static BigInteger RoundDivide(BigInteger x)
    {
        var r = Bn254Fr.Modulus;
        var q = BigInteger.DivRem(x, r, out var rem);
        if (2 * rem >= r) q += 1;
        else if (2 * rem <= -r) q -= 1;
        return q;
    }
}
