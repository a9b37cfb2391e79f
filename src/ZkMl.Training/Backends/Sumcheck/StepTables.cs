using ZkMl.Models;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Every padded table of one SGD step of an L-layer network (docs/fixed-point.md) in the layouts the blocks
/// of <see cref="SumcheckStep"/> use (layers indexed from 0): X, T [batch x .], W_l [width x fan-in], Z_l [batch x width]
/// (with a bias b_l [width]: Z0_l = Rescale_f(H_{l-1} W_l^T) and Z_l = Z0_l + b_l on the real rows),
/// S_l, H_l (l &lt; L - 1), E = Z_{L-1} - T, Q_l = Rescale_f(D_l W_l) and D_{l-1} = S_{l-1} o Q_l [batch x fan-in]
/// (l &gt;= 1, D_{L-1} = E), the decrements Delta_l = Rescale_{f+s}(eta D_l^T H_{l-1}) (H_{-1} = X) and the updated
/// weights in the weights' layouts, with the remainders; with a bias the decrement Rescale_{f+s}(eta D_l^T ones)
/// (ones = 2^f on the real rows) and the updated bias.
/// </summary>
internal sealed class StepTables
{
    /// <summary>
    /// The tables of one step for every layer's weights and biases (<paramref name="biases"/>: one entry per layer, empty
    /// for a layer without bias; null when no layer has one).
    /// </summary>
    internal StepTables(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights, IReadOnlyList<long[]>? biases, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        var net = c.Network;
        int layers = net.Layers.Count, batch = c.BatchSize, bits = c.ValueBits, act = WrapBound.ActivationBits(c);
        Shapes = ShapesFor(c);
        BiasLayers = BiasLayersOf(c);
        (X, T) = Batch(c, inputs, labels);
        var (z, r, s, h) = (new long[layers][], new long[layers][], new long[layers - 1][], new long[layers - 1][]);
        var (q, rq, d) = (new long[layers][], new long[layers][], new long[layers][]);
        var (delta, rDelta, w, after) = (new long[layers][], new long[layers][], new long[layers][], new long[layers][]);
        var (z0, b, bAfter, deltaB, rDeltaB) = (new long[layers][], new long[layers][], new long[layers][], new long[layers][], new long[layers][]);
        var hIn = new long[layers][]; // unpadded layer inputs: X, H_0, ...
        var dOut = new long[layers][]; // unpadded layer errors: D_0, ..., E
        hIn[0] = inputs.ToArray();
        for (int l = 0; l < layers; l++)
        {
            var shape = Shapes[Forward(l)];
            w[l] = RescaledProduct.Pad(weights[l], net.Layers[l].Width, net.FanIn(l), shape.PaddedColumns, shape.PaddedInner);
            (z[l], r[l]) = RescaledProduct.Compute(shape, hIn[l], weights[l], referenceBits: bits);
            if (net.Layers[l].HasBias)
            {
                var bias = biases?[l] ?? throw new ArgumentException($"Layer {l} has a bias: its values are needed.", nameof(biases));
                if (bias.Length != net.Layers[l].Width) throw new ArgumentException($"Layer {l} has {net.Layers[l].Width} biases.", nameof(biases));
                b[l] = RescaledProduct.Pad(bias, 1, bias.Length, 1, shape.PaddedColumns);
                // z = Rescale_f(W h + 2^f b) = Rescale_f(W h) + b on the real rows (BiasAddition).
                z0[l] = z[l];
                z[l] = BiasAddition.Compute(z0[l], b[l], batch, bits, "z" + (l + 1));
                WrapBound.CheckActivations(z[l], act, "z" + (l + 1));
            }
            if (l == layers - 1) break;
            (s[l], h[l]) = ReluArgument.Compute(z[l]);
            hIn[l + 1] = Unpad(h[l], batch, net.Layers[l].Width, shape.PaddedColumns);
        }
        E = z[^1].Zip(T, (zz, target) => zz - target).ToArray();
        dOut[^1] = Unpad(E, batch, net.OutputSize, Shapes[Forward(layers - 1)].PaddedColumns);
        for (int l = layers - 1; l >= 1; l--)
        {
            // Rescale_f(g) is checked (and bounded by the proof, through D) only where z > 0, as in the reference.
            (q[l], rq[l]) = RescaledProduct.Compute(Shapes[Backward(l, layers)], dOut[l], weights[l], s[l - 1], bits);
            d[l - 1] = s[l - 1].Zip(q[l], (ss, qq) => ss * qq).ToArray();
            dOut[l - 1] = Unpad(d[l - 1], batch, net.FanIn(l), Shapes[Backward(l, layers)].PaddedColumns);
        }
        var ones = Enumerable.Repeat(c.One, batch).ToArray();
        for (int l = layers - 1; l >= 0; l--)
        {
            (delta[l], rDelta[l]) = RescaledProduct.Compute(Shapes[Update(l, layers)], dOut[l], hIn[l]);
            after[l] = w[l].Zip(delta[l], (ww, dd) => ww - dd).ToArray();
            foreach (long v in after[l]) FixedPoint.CheckRange(v, bits, "an updated weight");
            if (!net.Layers[l].HasBias) continue;
            // The bias decrement Rescale_{f+s}(eta 2^f Gb) = Rescale_s(eta Gb): the errors' column sums, against 2^f.
            (deltaB[l], rDeltaB[l]) = RescaledProduct.Compute(Shapes[BiasUpdate(Array.IndexOf(BiasLayers, l), layers)], dOut[l], ones);
            bAfter[l] = b[l].Zip(deltaB[l], (bb, dd) => bb - dd).ToArray();
            foreach (long v in bAfter[l]) FixedPoint.CheckRange(v, bits, "an updated bias");
        }
        Ones = BiasOnes(c);
        (Z, R, S, H, Q, RQ, D, Delta, RDelta, Weights, WeightsAfter) = (z, r, s, h, q, rq, d, delta, rDelta, w, after);
        (Z0, Biases, BiasesAfter, DeltaB, RDeltaB) = (z0, b, bAfter, deltaB, rDeltaB);
    }

    /// <summary>The tables of one step of a network without biases.</summary>
    internal StepTables(QuantizedNetworkConfig c, IReadOnlyList<long[]> weights, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
        : this(c, weights, null, inputs, labels)
    {
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal StepTables(QuantizedMlpConfig c, ReadOnlySpan<long> w1, ReadOnlySpan<long> w2, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
        : this(QuantizedNetworkConfig.FromMlp(c), [w1.ToArray(), w2.ToArray()], inputs, labels)
    {
    }

    /// <summary>The layers (from 0) that have a bias, in order; the k-th of them is bias layer k.</summary>
    internal static int[] BiasLayersOf(QuantizedNetworkConfig c) => [.. Enumerable.Range(0, c.Network.Layers.Count).Where(l => c.Network.Layers[l].HasBias)];

    /// <summary>
    /// The known operand of every bias decrement: 2^f on each real batch row, zero on the padding ([1 x batch] padded),
    /// so that Rescale_{f+s}(eta D^T ones) = Rescale_{f+s}(eta 2^f Gb). Empty when no layer has a bias.
    /// </summary>
    internal static long[] BiasOnes(QuantizedNetworkConfig c)
    {
        if (BiasLayersOf(c).Length == 0) return [];
        int padded = 1 << Common.BitMath.CeilingLog2(c.BatchSize);
        var ones = new long[padded];
        Array.Fill(ones, c.One, 0, c.BatchSize);
        return ones;
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
        int act = WrapBound.ActivationBits(c); // activations and errors (WrapBound); weights and decrements keep B
        long eta = c.LearningRateNumerator;
        var biasLayers = BiasLayersOf(c);
        var shapes = new RescaledProductShape[3 * layers - 1 + biasLayers.Length];
        for (int l = 0; l < layers; l++)
        {
            int width = net.Layers[l].Width, fanIn = net.FanIn(l);
            shapes[Forward(l)] = new(batch, fanIn, width, f, net.Layers[l].HasBias ? BiasedQuotientBits(c) : act);
            if (l > 0) shapes[Backward(l, layers)] = new(batch, width, fanIn, f, act, TransposeW: true);
            shapes[Update(l, layers)] = new(width, batch, fanIn, update, bits, TransposeA: true, TransposeW: true, Multiplier: eta);
        }
        for (int k = 0; k < biasLayers.Length; k++)
            shapes[BiasUpdate(k, layers)] = new(net.Layers[biasLayers[k]].Width, batch, 1, update, bits, TransposeA: true, Multiplier: eta);
        return shapes;
    }

    /// <summary>
    /// The signed bits a biased layer's product quotient z - b is range-checked in: at least B + 1 (z and b are within B),
    /// and among the widths up to f + V &lt;= 62 the one with the fewest 16-bit limbs (48 rather than 33 for B = 32: a
    /// width that is a multiple of 16 needs no shifted top limb).
    /// </summary>
    internal static int BiasedQuotientBits(QuantizedNetworkConfig c)
    {
        int best = c.ValueBits + 1;
        for (int v = best + 1; v <= Math.Min(RangeLimbs.MaxBits, 62 - c.FractionBits); v++)
            if (RangeLimbs.Count(v) < RangeLimbs.Count(best)) best = v;
        return best;
    }

    /// <summary>The two-layer case (<see cref="QuantizedMlpConfig"/>).</summary>
    internal static RescaledProductShape[] ShapesFor(QuantizedMlpConfig c) => ShapesFor(QuantizedNetworkConfig.FromMlp(c));

    /// <summary>Index in <see cref="ShapesFor(QuantizedNetworkConfig)"/> of layer l's forward product.</summary>
    internal static int Forward(int l) => l;

    /// <summary>Index of layer l's backward product (l &gt;= 1) in a network of <paramref name="layers"/> layers.</summary>
    internal static int Backward(int l, int layers) => layers + (layers - 1 - l);

    /// <summary>Index of layer l's decrement product in a network of <paramref name="layers"/> layers.</summary>
    internal static int Update(int l, int layers) => 2 * layers - 1 + (layers - 1 - l);

    /// <summary>Index of bias layer k's decrement product (<see cref="BiasLayersOf"/>) in a network of <paramref name="layers"/> layers.</summary>
    internal static int BiasUpdate(int k, int layers) => 3 * layers - 1 + k;

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
    /// <summary>The layers with a bias (<see cref="BiasLayersOf"/>).</summary>
    internal int[] BiasLayers { get; }
    /// <summary>Per layer with a bias (null entries elsewhere): Rescale_f(H W^T), whose sum with the bias on the real rows is Z.</summary>
    internal long[][] Z0 { get; }
    /// <summary>Per layer with a bias: the padded biases before the step.</summary>
    internal long[][] Biases { get; }
    /// <summary>Per layer with a bias: the padded biases after the step.</summary>
    internal long[][] BiasesAfter { get; }
    /// <summary>Per layer with a bias: the bias decrements Rescale_{f+s}(eta 2^f Gb) and their remainders.</summary>
    internal long[][] DeltaB { get; }
    internal long[][] RDeltaB { get; }
    /// <summary>The known operand of the bias decrements (<see cref="BiasOnes"/>).</summary>
    internal long[] Ones { get; }

    /// <summary>The first rows x columns of a padded row-major table with paddedColumns columns.</summary>
    internal static long[] Unpad(ReadOnlySpan<long> padded, int rows, int columns, int paddedColumns)
    {
        var m = new long[rows * columns];
        for (int i = 0; i < rows; i++) padded.Slice(i * paddedColumns, columns).CopyTo(m.AsSpan(i * columns));
        return m;
    }
}
