using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Every padded table of one SGD step of an L-layer network without biases (docs/fixed-point.md) in the layouts the blocks
/// of <see cref="SumcheckStep"/> use (layers indexed from 0): X, T [batch x .], W_l [width x fan-in], Z_l [batch x width],
/// S_l, H_l (l &lt; L - 1), E = Z_{L-1} - T, Q_l = Rescale_f(D_l W_l) and D_{l-1} = S_{l-1} o Q_l [batch x fan-in]
/// (l &gt;= 1, D_{L-1} = E), the decrements Delta_l = Rescale_{f+s}(eta D_l^T H_{l-1}) (H_{-1} = X) and the updated
/// weights in the weights' layouts, with the remainders.
/// </summary>
internal sealed class StepTables
{
    internal StepTables(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        var net = c.Network;
        int layers = net.Layers.Count, batch = c.BatchSize, bits = c.ValueBits;
        Shapes = ShapesFor(c);
        (X, T) = Batch(c, inputs, labels);
        var (z, r, s, h) = (new long[layers][], new long[layers][], new long[layers - 1][], new long[layers - 1][]);
        var (q, rq, d) = (new long[layers][], new long[layers][], new long[layers][]);
        var (delta, rDelta, w, after) = (new long[layers][], new long[layers][], new long[layers][], new long[layers][]);
        var hIn = new long[layers][]; // unpadded layer inputs: X, H_0, ...
        var dOut = new long[layers][]; // unpadded layer errors: D_0, ..., E
        hIn[0] = inputs.ToArray();
        for (int l = 0; l < layers; l++)
        {
            var shape = Shapes[Forward(l)];
            w[l] = RescaledProduct.Pad(weights[l], net.Layers[l].Width, net.FanIn(l), shape.PaddedColumns, shape.PaddedInner);
            (z[l], r[l]) = RescaledProduct.Compute(shape, hIn[l], weights[l]);
            if (l == layers - 1) break;
            (s[l], h[l]) = ReluArgument.Compute(z[l]);
            hIn[l + 1] = Unpad(h[l], batch, net.Layers[l].Width, shape.PaddedColumns);
        }
        E = z[^1].Zip(T, (zz, target) => zz - target).ToArray();
        dOut[^1] = Unpad(E, batch, net.OutputSize, Shapes[Forward(layers - 1)].PaddedColumns);
        for (int l = layers - 1; l >= 1; l--)
        {
            (q[l], rq[l]) = RescaledProduct.Compute(Shapes[Backward(l, layers)], dOut[l], weights[l]);
            d[l - 1] = s[l - 1].Zip(q[l], (ss, qq) => ss * qq).ToArray();
            dOut[l - 1] = Unpad(d[l - 1], batch, net.FanIn(l), Shapes[Backward(l, layers)].PaddedColumns);
        }
        for (int l = layers - 1; l >= 0; l--)
        {
            (delta[l], rDelta[l]) = RescaledProduct.Compute(Shapes[Update(l, layers)], dOut[l], hIn[l]);
            after[l] = w[l].Zip(delta[l], (ww, dd) => ww - dd).ToArray();
            foreach (long v in after[l]) FixedPoint.CheckRange(v, bits, "an updated weight");
        }
        (Z, R, S, H, Q, RQ, D, Delta, RDelta, Weights, WeightsAfter) = (z, r, s, h, q, rq, d, delta, rDelta, w, after);
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal StepTables(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
        : this(QuantizedNetworkConfig.FromMlp(c), [w1.ToArray(), w2.ToArray()], inputs, labels)
    {
    }

    /// <summary>The padded batch tables X [batch x inputs] and T [batch x outputs] (one-hot targets at scale 2^f).</summary>
    internal static (long[] X, long[] T) Batch(QuantizedNetworkConfig c, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        int batch = c.BatchSize, o = c.Network.OutputSize;
        var shapes = ShapesFor(c);
        var (first, last) = (shapes[0], shapes[Forward(c.Network.Layers.Count - 1)]);
        var x = RescaledProduct.Pad(inputs, batch, c.Network.InputSize, first.PaddedRows, first.PaddedInner);
        var t = new long[batch * o];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < o; i++) t[b * o + i] = FixedPoint.Target(i, labels[b], c.FractionBits);
        return (x, RescaledProduct.Pad(t, batch, o, last.PaddedRows, last.PaddedColumns));
    }

    /// <summary>
    /// The 3L - 1 product blocks: the forward Z_l = H_{l-1} W_l^T for l = 0..L-1 (<see cref="Forward"/>), the backward
    /// Q_l = D_l W_l for l = L-1..1 (<see cref="Backward"/>), the decrements Delta_l = eta D_l^T H_{l-1} for l = L-1..0
    /// (<see cref="Update"/>). For two layers: Z1, Z2, Q, Delta2, Delta1.
    /// </summary>
    internal static RescaledProductShape[] ShapesFor(QuantizedNetworkConfig c)
    {
        var net = c.Network;
        int layers = net.Layers.Count, batch = c.BatchSize, f = c.FractionBits, bits = c.ValueBits, update = f + c.LearningRateShift;
        long eta = c.LearningRateNumerator;
        var shapes = new RescaledProductShape[3 * layers - 1];
        for (int l = 0; l < layers; l++)
        {
            int width = net.Layers[l].Width, fanIn = net.FanIn(l);
            shapes[Forward(l)] = new(batch, fanIn, width, f, bits);
            if (l > 0) shapes[Backward(l, layers)] = new(batch, width, fanIn, f, bits, TransposeW: true);
            shapes[Update(l, layers)] = new(width, batch, fanIn, update, bits, TransposeA: true, TransposeW: true, Multiplier: eta);
        }
        return shapes;
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static RescaledProductShape[] ShapesFor(QuantizedMlpConfig c) => ShapesFor(QuantizedNetworkConfig.FromMlp(c));

    /// <summary>Index in <see cref="ShapesFor(QuantizedNetworkConfig)"/> of layer l's forward product.</summary>
    internal static int Forward(int l) => l;

    /// <summary>Index of layer l's backward product (l &gt;= 1) in a network of <paramref name="layers"/> layers.</summary>
    internal static int Backward(int l, int layers) => layers + (layers - 1 - l);

    /// <summary>Index of layer l's decrement product in a network of <paramref name="layers"/> layers.</summary>
    internal static int Update(int l, int layers) => 2 * layers - 1 + (layers - 1 - l);

    internal RescaledProductShape[] Shapes { get; }
    internal long[] X { get; }
    internal long[] T { get; }
    /// <summary>The padded weights before the step, per layer.</summary>
    internal long[][] Weights { get; }
    internal long[][] Z { get; }
    internal long[][] R { get; }
    /// <summary>ReLU masks and activations of layers 0..L-2.</summary>
    internal long[][] S { get; }
    internal long[][] H { get; }
    internal long[] E { get; }
    /// <summary>Backward quotients and remainders, indexed by layer (entry 0 unused).</summary>
    internal long[][] Q { get; }
    internal long[][] RQ { get; }
    /// <summary>Errors of layers 0..L-2 (entry L-1 unused: that error is <see cref="E"/>).</summary>
    internal long[][] D { get; }
    internal long[][] Delta { get; }
    internal long[][] RDelta { get; }
    /// <summary>The padded weights after the step, per layer.</summary>
    internal long[][] WeightsAfter { get; }

    /// <summary>The first rows x columns of a padded row-major table with paddedColumns columns.</summary>
    internal static long[] Unpad(ReadOnlySpan<long> padded, int rows, int columns, int paddedColumns)
    {
        var m = new long[rows * columns];
        for (int i = 0; i < rows; i++) padded.Slice(i * paddedColumns, columns).CopyTo(m.AsSpan(i * columns));
        return m;
    }
}
