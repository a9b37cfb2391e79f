using System.Numerics;

namespace ZkMl.Models.Tests;

/// <summary>
/// A deliberately naive BigInteger transcription of docs/fixed-point.md for any depth, with its own layer bookkeeping
/// (weights and biases as separate arrays per layer), the oracle for QuantizedNetwork.
/// </summary>
internal sealed class NetworkOracle
{
    public required int InputSize;
    public required int[] Widths;
    public required long[][] W;      // [layer][Width x FanIn]
    public required long[]?[] Bias;  // [layer][Width] or null
    public required int F, B, Eta, S;

    private int FanIn(int l) => l == 0 ? InputSize : Widths[l - 1];

    private BigInteger Rescale(BigInteger v, int k)
    {
        var q = ReferenceMlp.FloorDiv(v + (k == 0 ? 0 : BigInteger.One << (k - 1)), BigInteger.One << k);
        if (q < -(BigInteger.One << (B - 1)) || q >= BigInteger.One << (B - 1)) throw new FixedPointOverflowException("oracle", 0, B);
        return q;
    }

    /// <summary>z of every layer for one sample.</summary>
    public BigInteger[][] Forward(long[] x)
    {
        var z = new BigInteger[Widths.Length][];
        BigInteger[] h = x.Select(v => (BigInteger)v).ToArray();
        for (int l = 0; l < Widths.Length; l++)
        {
            z[l] = new BigInteger[Widths[l]];
            for (int i = 0; i < Widths[l]; i++)
            {
                BigInteger a = 0;
                for (int j = 0; j < FanIn(l); j++) a += W[l][i * FanIn(l) + j] * h[j];
                if (Bias[l] is { } b) a += (BigInteger)b[i] << F;
                z[l][i] = Rescale(a, F);
            }
            h = z[l].Select(v => BigInteger.Max(v, 0)).ToArray();
        }
        return z;
    }

    /// <summary>One SGD step; returns the new weights and biases (throws on overflow).</summary>
    public (long[][] W, long[]?[] Bias) Step(long[][] xs, int[] labels)
    {
        int L = Widths.Length;
        var gw = Enumerable.Range(0, L).Select(l => new BigInteger[W[l].Length]).ToArray();
        var gb = Enumerable.Range(0, L).Select(l => new BigInteger[Widths[l]]).ToArray();
        for (int s = 0; s < xs.Length; s++)
        {
            var z = Forward(xs[s]);
            var hIn = new BigInteger[L][];
            hIn[0] = xs[s].Select(v => (BigInteger)v).ToArray();
            for (int l = 1; l < L; l++) hIn[l] = z[l - 1].Select(v => BigInteger.Max(v, 0)).ToArray();
            var d = new BigInteger[L][];
            d[L - 1] = z[L - 1].Select((v, i) => v - (i == labels[s] ? BigInteger.One << F : 0)).ToArray();
            for (int l = L - 1; l >= 1; l--)
            {
                d[l - 1] = new BigInteger[FanIn(l)];
                for (int j = 0; j < FanIn(l); j++)
                {
                    BigInteger g = 0;
                    for (int i = 0; i < Widths[l]; i++) g += W[l][i * FanIn(l) + j] * d[l][i];
                    d[l - 1][j] = z[l - 1][j] > 0 ? Rescale(g, F) : 0;
                }
            }
            for (int l = 0; l < L; l++)
                for (int i = 0; i < Widths[l]; i++)
                {
                    gb[l][i] += d[l][i];
                    for (int j = 0; j < FanIn(l); j++) gw[l][i * FanIn(l) + j] += d[l][i] * hIn[l][j];
                }
        }
        long Apply(long p, BigInteger dec)
        {
            var updated = p - dec;
            if (updated < -(BigInteger.One << (B - 1)) || updated >= BigInteger.One << (B - 1)) throw new FixedPointOverflowException("oracle", 0, B);
            return (long)updated;
        }
        var newW = new long[L][];
        var newB = new long[]?[L];
        for (int l = 0; l < L; l++)
        {
            newW[l] = W[l].Select((w, k) => Apply(w, Rescale(Eta * gw[l][k], F + S))).ToArray();
            // The bias gradient has scale 2^f: Rescale_{f+s}(eta * 2^f * Gb), written the long way round on purpose.
            if (Bias[l] is { } b) newB[l] = b.Select((v, i) => Apply(v, Rescale((Eta * gb[l][i]) << F, F + S))).ToArray();
        }
        return (newW, newB);
    }
}
