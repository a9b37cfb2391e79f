using System.Reflection;
using System.Text;

namespace ZkMl.Field;

/// <summary>NTT-based polynomial arithmetic for two-adic fields.</summary>
internal static class PolynomialNtt<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The coefficients of a * b via NTT, or null when the product is too long for the field's two-adic subgroup.</summary>
    internal static T[]? MultiplyOrNull(T[] a, T[] b)
    {
        int resultLength = a.Length + b.Length - 1;
        int size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)resultLength);
        if (System.Numerics.BitOperations.Log2((uint)size) > T.TwoAdicity || size <= 0) return null;
        var fa = new T[size];
        var fb = new T[size];
        a.CopyTo(fa, 0);
        b.CopyTo(fb, 0);
        Ntt<T> ntt = Ntt<T>.Instance;
        if (size >= Ntt<T>.ParallelThreshold)
            Parallel.Invoke(() => ntt.ForwardToBitReversed(fa), () => ntt.ForwardToBitReversed(fb));
        else
        {
            ntt.ForwardToBitReversed(fa);
            ntt.ForwardToBitReversed(fb);
        }
        for (int i = 0; i < size; i++) fa[i] = T.Mul(fa[i], fb[i]);
        ntt.InverseFromBitReversed(fa);
        return resultLength == size ? fa : fa.AsSpan(0, resultLength).ToArray();
    }
}
