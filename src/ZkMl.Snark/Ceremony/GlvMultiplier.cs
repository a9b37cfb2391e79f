using System.Numerics;
using ZkMl.Field;
using ZkMl.Snark.Curves;

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
    private readonly GlvDecomposition _decomposition;

    private GlvMultiplier(CeremonyMath.GroupOps<T> ops, Func<T, T> endo, BigInteger lambda)
    {
        _ops = ops;
        _endo = endo;
        _decomposition = new GlvDecomposition(lambda);
    }

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
        var (k1, k2) = _decomposition.Decompose(k.ToBigInteger());
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
}
