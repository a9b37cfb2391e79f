using System.Numerics;

namespace ZkMl.Models.Tests;

/// <summary>A deliberately naive BigInteger transcription of docs/fixed-point.md, the oracle for QuantizedMlp.</summary>
internal static class ReferenceMlp
{
    public static BigInteger Rescale(BigInteger v, int k, int bits)
    {
        BigInteger shifted = v + (k == 0 ? 0 : BigInteger.One << (k - 1));
        BigInteger q = FloorDiv(shifted, BigInteger.One << k);
        if (q < -(BigInteger.One << (bits - 1)) || q >= BigInteger.One << (bits - 1)) throw new FixedPointOverflowException("oracle", 0, bits);
        return q;
    }

    public static BigInteger FloorDiv(BigInteger a, BigInteger b)
    {
        var q = BigInteger.DivRem(a, b, out var r);
        return r.Sign < 0 ? q - 1 : q;
    }

    /// <summary>Returns (z1, z2) of one sample.</summary>
    public static (BigInteger[] Z1, BigInteger[] Z2) Forward(QuantizedMlpConfig c, long[] w1, long[] w2, ReadOnlySpan<long> x)
    {
        int f = c.FractionBits, B = c.ValueBits;
        var z1 = new BigInteger[c.HiddenSize];
        for (int j = 0; j < c.HiddenSize; j++)
        {
            BigInteger a = 0;
            for (int k = 0; k < c.InputSize; k++) a += (BigInteger)w1[j * c.InputSize + k] * x[k];
            z1[j] = Rescale(a, f, B);
        }
        var z2 = new BigInteger[c.OutputSize];
        for (int i = 0; i < c.OutputSize; i++)
        {
            BigInteger a = 0;
            for (int j = 0; j < c.HiddenSize; j++) a += (BigInteger)w2[i * c.HiddenSize + j] * BigInteger.Max(z1[j], 0);
            z2[i] = Rescale(a, f, B);
        }
        return (z1, z2);
    }

    /// <summary>Returns the updated weights (W1', W2') after one SGD step.</summary>
    public static (long[] W1, long[] W2) Step(QuantizedMlpConfig c, long[] w1, long[] w2, long[] inputs, int[] labels)
    {
        int f = c.FractionBits, B = c.ValueBits, n = c.InputSize, hid = c.HiddenSize, o = c.OutputSize;
        var g1 = new BigInteger[w1.Length];
        var g2 = new BigInteger[w2.Length];
        for (int b = 0; b < c.BatchSize; b++)
        {
            var x = inputs.AsSpan(b * n, n);
            var (z1, z2) = Forward(c, w1, w2, x);
            var h = z1.Select(v => BigInteger.Max(v, 0)).ToArray();
            var e = new BigInteger[o];
            for (int i = 0; i < o; i++) e[i] = z2[i] - (i == labels[b] ? BigInteger.One << f : 0);
            var dh = new BigInteger[hid];
            for (int j = 0; j < hid; j++)
            {
                BigInteger g = 0;
                for (int i = 0; i < o; i++) g += (BigInteger)w2[i * hid + j] * e[i];
                dh[j] = z1[j] > 0 ? Rescale(g, f, B) : 0;
            }
            for (int i = 0; i < o; i++) for (int j = 0; j < hid; j++) g2[i * hid + j] += e[i] * h[j];
            for (int j = 0; j < hid; j++) for (int k = 0; k < n; k++) g1[j * n + k] += dh[j] * x[k];
        }
        long[] Update(long[] w, BigInteger[] g) => w.Select((wi, i) =>
        {
            var updated = wi - Rescale(c.LearningRateNumerator * g[i], f + c.LearningRateShift, B);
            if (updated < -(BigInteger.One << (B - 1)) || updated >= BigInteger.One << (B - 1)) throw new FixedPointOverflowException("oracle", 0, B);
            return (long)updated;
        }).ToArray();
        return (Update(w1, g1), Update(w2, g2));
    }
}
