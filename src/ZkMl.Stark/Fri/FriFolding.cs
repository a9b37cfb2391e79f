using System.Numerics;
using ZkMl.Field;
using ZkMl.Common;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark.Fri;

/// <summary>
/// FRI folding. Folding by k with challenge beta is log2(k) binary folds with beta, beta^2, beta^4, ...:
/// f'(x^2) = (f(x) + f(-x))/2 + beta (f(x) - f(-x))/(2x). Layers keep natural order on shifted subgroups.
/// A layer-l leaf i holds the k values at positions i + t*size/k (t = 0..k-1), which fold into position i of layer l+1.
/// </summary>
internal static class FriFolding
{
    private static readonly Goldilocks InvTwo = Goldilocks.Inverse(Goldilocks.FromUInt64(2));

    /// <summary>Folds a whole layer (natural order on shift*&lt;omega_size&gt;) by <paramref name="k"/>.</summary>
    public static GoldilocksExt2[] FoldLayer(GoldilocksExt2[] values, Goldilocks shift, int k, GoldilocksExt2 beta)
    {
        var cur = values;
        for (int round = 1; round < k; round <<= 1)
        {
            int size = cur.Length, half = size / 2;
            var next = LargeArray.New<GoldilocksExt2>(half);
            var src = cur;
            var invShift = Goldilocks.Inverse(shift);
            var invOmega = Goldilocks.Inverse(Goldilocks.RootOfUnity(BitOperations.Log2((uint)size)));
            var b = beta;
            int chunk = Math.Max(1024, half / (Environment.ProcessorCount * 4) + 1);
            int chunks = (half + chunk - 1) / chunk;
            Parallel.For(0, chunks, c =>
            {
                int start = c * chunk, end = Math.Min(half, start + chunk);
                var invX = invShift * FieldMath.Pow(invOmega, (ulong)start);
                for (int j = start; j < end; j++)
                {
                    var a = src[j];
                    var d = src[j + half];
                    var sum = a + d;
                    var diff = Ext.MulBase(a - d, invX);
                    next[j] = Ext.MulBase(sum + b * diff, InvTwo);
                    invX *= invOmega;
                }
            });
            cur = next;
            shift = Goldilocks.Square(shift);
            beta = GoldilocksExt2.Square(beta);
        }
        return cur;
    }

    /// <summary>Folds one leaf: <paramref name="leaf"/>[t] is the value at x * zeta^t, zeta a primitive k-th root of unity.</summary>
    public static GoldilocksExt2 FoldLeaf(ReadOnlySpan<GoldilocksExt2> leaf, Goldilocks x, Goldilocks zeta, GoldilocksExt2 beta)
    {
        Span<GoldilocksExt2> v = stackalloc GoldilocksExt2[leaf.Length];
        leaf.CopyTo(v);
        int len = v.Length;
        while (len > 1)
        {
            int half = len / 2;
            var xt = x;
            for (int t = 0; t < half; t++)
            {
                var a = v[t];
                var d = v[t + half];
                var diff = Ext.MulBase(a - d, Goldilocks.Inverse(xt));
                v[t] = Ext.MulBase(a + d + beta * diff, InvTwo);
                xt *= zeta;
            }
            len = half;
            x = Goldilocks.Square(x);
            zeta = Goldilocks.Square(zeta);
            beta = GoldilocksExt2.Square(beta);
        }
        return v[0];
    }
}
