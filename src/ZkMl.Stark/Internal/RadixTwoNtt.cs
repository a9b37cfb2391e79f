using System.Collections.Concurrent;
using System.Numerics;
using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>
/// Temporary iterative radix-2 NTT used until ZkMl.Field's shared implementation lands on main.
/// Natural order in and out; twiddles cached per size.
/// </summary>
internal sealed class RadixTwoNtt<T> : INtt<T> where T : unmanaged, ITwoAdicField<T>
{
    public static readonly RadixTwoNtt<T> Instance = new();
    private readonly ConcurrentDictionary<(int, bool), T[]> _twiddles = new();

    private T[] Twiddles(int logN, bool inverse) => _twiddles.GetOrAdd((logN, inverse), key =>
    {
        int half = 1 << (key.Item1 - 1);
        var w = T.RootOfUnity(key.Item1);
        if (key.Item2) w = T.Inverse(w);
        var t = new T[Math.Max(half, 1)];
        t[0] = T.One;
        for (int i = 1; i < half; i++) t[i] = t[i - 1] * w;
        return t;
    });

    public void Forward(Span<T> values) => Transform(values, false);

    public void Inverse(Span<T> values)
    {
        Transform(values, true);
        var nInv = T.Inverse(T.FromUInt64((ulong)values.Length));
        for (int i = 0; i < values.Length; i++) values[i] *= nInv;
    }

    public void CosetForward(Span<T> values, T shift)
    {
        var s = T.One;
        for (int i = 0; i < values.Length; i++) { values[i] *= s; s *= shift; }
        Forward(values);
    }

    public void CosetInverse(Span<T> values, T shift)
    {
        Inverse(values);
        var sInv = T.Inverse(shift);
        var s = T.One;
        for (int i = 0; i < values.Length; i++) { values[i] *= s; s *= sInv; }
    }

    private unsafe void Transform(Span<T> values, bool inverse)
    {
        int n = values.Length;
        if (n <= 1) return;
        if (!BitOperations.IsPow2(n)) throw new ArgumentException("NTT length must be a power of two.", nameof(values));
        int logN = BitOperations.Log2((uint)n);
        // bit reversal
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (values[i], values[j]) = (values[j], values[i]);
        }
        var tw = Twiddles(logN, inverse);
        fixed (T* p0 = values)
        {
            T* p = p0;
            for (int len = 2, stride = n / 2; len <= n; len <<= 1, stride >>= 1)
            {
                int halfLen = len >> 1;
                int blocks = n / len;
                int localLen = len, localStride = stride;
                if (n >= (1 << 14))
                {
                    if (blocks >= 16)
                    {
                        Parallel.For(0, Environment.ProcessorCount, part =>
                        {
                            int per = (blocks + Environment.ProcessorCount - 1) / Environment.ProcessorCount;
                            int b0 = part * per, b1 = Math.Min(blocks, b0 + per);
                            for (int b = b0; b < b1; b++) Butterflies(p + b * localLen, halfLen, tw, localStride, 0, halfLen);
                        });
                    }
                    else
                    {
                        int parts = Environment.ProcessorCount * 2;
                        int per = (halfLen + parts - 1) / parts;
                        for (int b = 0; b < blocks; b++)
                        {
                            T* blk = p + b * localLen;
                            Parallel.For(0, parts, part =>
                            {
                                int j0 = part * per, j1 = Math.Min(halfLen, j0 + per);
                                if (j0 < j1) Butterflies(blk, halfLen, tw, localStride, j0, j1);
                            });
                        }
                    }
                }
                else
                {
                    for (int b = 0; b < blocks; b++) Butterflies(p + b * len, halfLen, tw, stride, 0, halfLen);
                }
            }
        }
    }

    private static unsafe void Butterflies(T* block, int halfLen, T[] tw, int stride, int j0, int j1)
    {
        for (int j = j0; j < j1; j++)
        {
            var u = block[j];
            var v = block[j + halfLen] * tw[j * stride];
            block[j] = u + v;
            block[j + halfLen] = u - v;
        }
    }
}
