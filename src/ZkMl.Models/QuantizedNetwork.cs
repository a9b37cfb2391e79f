using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ZkMl.Models;

/// <summary>
/// The plain integer reference of quantized SGD for any <see cref="NetworkDescription"/> (docs/fixed-point.md): dense
/// layers with optional biases, ReLU between them, MSE on one-hot targets. For two layers without biases it is bit for
/// bit <see cref="QuantizedMlp"/>.
/// </summary>
/// <remarks>
/// Parameters live in one flat array, layer by layer: the layer's weights [Width x FanIn] row-major, then its biases
/// (if any). Each matrix product runs on 64-bit integers when magnitude bounds prove it stays below 2^61 and on exact
/// 128-bit integers otherwise, so results never depend on wrap-around. An instance keeps scratch buffers for
/// training: do not call <see cref="TrainStep"/> or <see cref="ComputeUpdate"/> concurrently on one instance
/// (<see cref="Forward"/> and <see cref="CountCorrect"/> are safe).
/// </remarks>
public sealed class QuantizedNetwork
{
    private const double SafeBound = 2305843009213693952.0; // 2^61
    private readonly long[] _parameters;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets; // -1 for a layer without bias
    private readonly long[] _maxAbsW, _maxAbsB;
    private Scratch? _scratch;

    /// <summary>Creates a network with the given parameters (copied; layout in the type's remarks).</summary>
    /// <exception cref="ArgumentException">The parameter count is wrong or the network is too large for one array.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter does not fit in <see cref="QuantizedNetworkConfig.ValueBits"/> signed bits.</exception>
    public QuantizedNetwork(QuantizedNetworkConfig config, ReadOnlySpan<long> parameters)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var net = config.Network;
        if (net.ParameterCount > Array.MaxLength)
            throw new ArgumentException($"Network {net} has {net.ParameterCount} parameters, more than one array holds ({Array.MaxLength}).", nameof(config));
        if (parameters.Length != net.ParameterCount)
            throw new ArgumentException($"Network {net} has {net.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        int layers = net.Layers.Count;
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffsets[l] = offset;
            offset += (int)net.WeightCount(l);
            _biasOffsets[l] = net.Layers[l].HasBias ? offset : -1;
            if (net.Layers[l].HasBias) offset += net.Layers[l].Width;
        }
        for (int i = 0; i < parameters.Length; i++)
            if (parameters[i] < config.MinValue || parameters[i] > config.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(parameters), parameters[i], $"{DescribeParameter(i)} does not fit in {config.ValueBits} signed bits.");
        Config = config;
        _parameters = parameters.ToArray();
        _maxAbsW = new long[layers];
        _maxAbsB = new long[layers];
        RefreshBounds();
    }

    /// <summary>
    /// Deterministic initial parameters: for each layer in order, its weights row-major as
    /// round(u * sqrt(6 / (fan_in + fan_out)) * 2^f) (midpoints away from zero) with u = 2 * NextDouble() - 1 from one
    /// <see cref="Random"/>(<paramref name="seed"/>); biases zero. For two layers this is <see cref="QuantizedMlp.CreateInitial"/>.
    /// </summary>
    public static QuantizedNetwork CreateInitial(QuantizedNetworkConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var net = config.Network;
        var rng = new Random(seed);
        var parameters = new long[checked((int)net.ParameterCount)];
        int offset = 0;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            int count = (int)net.WeightCount(l);
            double scale = Math.Sqrt(6.0 / (net.FanIn(l) + net.Layers[l].Width)) * config.One;
            for (int i = 0; i < count; i++)
                parameters[offset + i] = (long)Math.Round((2 * rng.NextDouble() - 1) * scale, MidpointRounding.AwayFromZero);
            offset += count + (net.Layers[l].HasBias ? net.Layers[l].Width : 0);
        }
        return new QuantizedNetwork(config, parameters);
    }

    /// <summary>The same network and weights as <paramref name="mlp"/>, in the general form.</summary>
    public static QuantizedNetwork FromMlp(QuantizedMlp mlp)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        var parameters = new long[mlp.Weights1.Length + mlp.Weights2.Length];
        mlp.Weights1.CopyTo(parameters);
        mlp.Weights2.CopyTo(parameters.AsSpan(mlp.Weights1.Length));
        return new QuantizedNetwork(QuantizedNetworkConfig.FromMlp(mlp.Config), parameters);
    }

    /// <summary>This network as a <see cref="QuantizedMlp"/>; throws <see cref="NotSupportedException"/> unless it has two layers without biases.</summary>
    public QuantizedMlp ToMlp() => new(Config.ToMlp(), Weights(0), Weights(1));

    /// <summary>The network's shape and fixed-point parameters.</summary>
    public QuantizedNetworkConfig Config { get; }

    /// <summary>The network's shape.</summary>
    public NetworkDescription Network => Config.Network;

    /// <summary>All parameters, in the layout of the type's remarks.</summary>
    public ReadOnlySpan<long> Parameters => _parameters;

    /// <summary>Weights of layer <paramref name="layer"/> (0-based), [Width x FanIn] row-major, scale 2^f.</summary>
    public ReadOnlySpan<long> Weights(int layer) => WeightSpan(layer);

    /// <summary>Biases of layer <paramref name="layer"/> (0-based), Width values at scale 2^f; empty for a layer without bias.</summary>
    public ReadOnlySpan<long> Biases(int layer) => BiasSpan(layer);

    /// <summary>An independent copy of this network.</summary>
    public QuantizedNetwork Clone() => new(Config, _parameters);

    /// <summary>True when <paramref name="other"/> has the same configuration and identical parameters.</summary>
    public bool ParametersEqual(QuantizedNetwork other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Config == other.Config && _parameters.AsSpan().SequenceEqual(other._parameters);
    }

    /// <summary>Forward pass of one sample; <paramref name="output"/> receives the last layer's z (scale 2^f).</summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public void Forward(ReadOnlySpan<long> input, Span<long> output)
    {
        var z = ForwardLayers(input);
        CheckLength(output, Network.OutputSize, nameof(output));
        z[^1].CopyTo(output);
    }

    /// <summary>Forward pass of one sample: z of every layer, z_l = Rescale_f(W_l h_{l-1} + 2^f b_l) (before ReLU).</summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public long[][] ForwardLayers(ReadOnlySpan<long> input)
    {
        var net = Network;
        CheckLength(input, net.InputSize, nameof(input));
        CheckValues(input, nameof(input));
        var z = new long[net.Layers.Count][];
        ReadOnlySpan<long> h = input;
        for (int l = 0; l < z.Length; l++)
        {
            z[l] = new long[net.Layers[l].Width];
            LayerForward(l, h, z[l], 0);
            if (l + 1 < z.Length)
            {
                var next = new long[z[l].Length];
                for (int i = 0; i < next.Length; i++) next[i] = Math.Max(z[l][i], 0);
                h = next;
            }
        }
        return z;
    }

    /// <summary>The predicted class of one sample: the first index of the largest output.</summary>
    public int Predict(ReadOnlySpan<long> input) => QuantizedMlp.ArgMax(ForwardLayers(input)[^1]);

    /// <summary>Number of rows of <paramref name="data"/> whose prediction equals the label.</summary>
    public int CountCorrect(QuantizedDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != Network.InputSize)
            throw new ArgumentException($"Data rows have {data.InputSize} inputs, the network expects {Network.InputSize}.", nameof(data));
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
            if (Predict(data.Row(i)) == data.Labels[i]) correct++;
        return correct;
    }

    /// <summary>Fraction of rows of <paramref name="data"/> predicted correctly (0 for an empty set).</summary>
    public double Accuracy(QuantizedDataset data) => data.Count == 0 ? 0 : (double)CountCorrect(data) / data.Count;

    /// <summary>
    /// The parameter decrements of one SGD step on a batch, in the layout of <see cref="Parameters"/>: weights
    /// Rescale_{f+s}(eta * G), biases Rescale_s(eta * Gb), so that p' = p - decrement. The network is not modified.
    /// </summary>
    /// <param name="inputs">BatchSize rows of InputSize quantized inputs, row-major.</param>
    /// <param name="labels">BatchSize labels in [0, OutputSize).</param>
    /// <param name="decrements">Receives one decrement per parameter.</param>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public void ComputeUpdate(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, Span<long> decrements)
    {
        var c = Config;
        var net = c.Network;
        CheckLength(inputs, c.BatchSize * net.InputSize, nameof(inputs));
        CheckLength(labels, c.BatchSize, nameof(labels));
        CheckLength(decrements, _parameters.Length, nameof(decrements));
        for (int b = 0; b < labels.Length; b++)
            if ((uint)labels[b] >= (uint)net.OutputSize)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Label of sample {b} must be in [0, {net.OutputSize}).");
        CheckValues(inputs, nameof(inputs));
        var s = _scratch ??= new Scratch(c);
        int layers = net.Layers.Count, f = c.FractionBits;
        inputs.CopyTo(s.H[0]);
        for (int b = 0; b < c.BatchSize; b++)
        {
            for (int l = 0; l < layers; l++)
            {
                int n = net.FanIn(l), m = net.Layers[l].Width;
                var z = l + 1 < layers ? s.H[l + 1].AsSpan(b * m, m) : s.Delta[l].AsSpan(b * m, m);
                LayerForward(l, s.H[l].AsSpan(b * n, n), z, b);
                if (l + 1 < layers)
                    for (int i = 0; i < m; i++) z[i] = Math.Max(z[i], 0);
            }
            var e = s.Delta[layers - 1].AsSpan(b * net.OutputSize, net.OutputSize);
            e[labels[b]] -= c.One; // e = z_L - t
            for (int l = layers - 1; l >= 1; l--)
                LayerBackward(l, s.Delta[l].AsSpan(b * net.Layers[l].Width, net.Layers[l].Width),
                    s.H[l].AsSpan(b * net.FanIn(l), net.FanIn(l)), s.Delta[l - 1].AsSpan(b * net.FanIn(l), net.FanIn(l)), s, b);
        }
        for (int l = 0; l < layers; l++) LayerGradient(l, s, decrements);
    }

    /// <summary>One SGD step in place (every decrement computed with the pre-update parameters). On any exception the parameters are unchanged.</summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value or an updated parameter leaves the declared width.</exception>
    public void TrainStep(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        var s = _scratch ??= new Scratch(Config);
        ComputeUpdate(inputs, labels, s.Decrements);
        long min = Config.MinValue, max = Config.MaxValue;
        for (int i = 0; i < _parameters.Length; i++)
        {
            long updated = _parameters[i] - s.Decrements[i]; // both within 40 bits: exact
            if (updated < min || updated > max) ThrowOverflow($"{DescribeParameter(i)} after the update", updated);
        }
        for (int i = 0; i < _parameters.Length; i++) _parameters[i] -= s.Decrements[i];
        RefreshBounds();
    }

    /// <summary>Runs <see cref="TrainStep"/> for each batch of row indices into <paramref name="data"/>.</summary>
    public void Train(QuantizedDataset data, IEnumerable<int[]> batches)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        var s = _scratch ??= new Scratch(Config);
        foreach (var batch in batches)
        {
            data.GatherBatch(batch, s.BatchInputs, s.BatchLabels);
            TrainStep(s.BatchInputs, s.BatchLabels);
        }
    }

    // z = Rescale_f(W h + 2^f b), 64-bit when |W| |h| n + |b| 2^f < 2^61.
    private void LayerForward(int l, ReadOnlySpan<long> h, Span<long> z, int sample)
    {
        var net = Network;
        int n = net.FanIn(l), m = net.Layers[l].Width, f = Config.FractionBits;
        var w = WeightSpan(l);
        var bias = BiasSpan(l);
        bool fast = (double)n * _maxAbsW[l] * MaxAbs(h) + (double)_maxAbsB[l] * Config.One < SafeBound;
        string name = "z" + (l + 1);
        for (int i = 0; i < m; i++)
        {
            var row = w.Slice(i * n, n);
            long b = bias.IsEmpty ? 0 : bias[i];
            z[i] = fast
                ? RescaleChecked(Dot(row, h) + (b << f), f, name, i, sample)
                : RescaleChecked(DotWide(row, h) + ((Int128)b << f), f, name, i, sample);
        }
    }

    // d_{l-1}[j] = h_{l-1}[j] > 0 ? Rescale_f((W_l^T d_l)[j]) : 0  (h > 0 exactly when z > 0).
    private void LayerBackward(int l, ReadOnlySpan<long> delta, ReadOnlySpan<long> hPrev, Span<long> deltaPrev, Scratch s, int sample)
    {
        var net = Network;
        int n = net.FanIn(l), m = net.Layers[l].Width, f = Config.FractionBits;
        var w = WeightSpan(l);
        string name = "d" + l;
        if ((double)m * _maxAbsW[l] * MaxAbs(delta) < SafeBound)
        {
            var g = s.G.AsSpan(0, n);
            g.Clear();
            for (int i = 0; i < m; i++)
                if (delta[i] != 0) Axpy(delta[i], w.Slice(i * n, n), g);
            for (int j = 0; j < n; j++)
                deltaPrev[j] = hPrev[j] > 0 ? RescaleChecked(g[j], f, name, j, sample) : 0;
            return;
        }
        for (int j = 0; j < n; j++)
        {
            if (hPrev[j] <= 0) { deltaPrev[j] = 0; continue; }
            Int128 g = 0;
            for (int i = 0; i < m; i++) g += (Int128)w[i * n + j] * delta[i];
            deltaPrev[j] = RescaleChecked(g, f, name, j, sample);
        }
    }

    // G[i,j] = sum_b d[b,i] h[b,j], Gb[i] = sum_b d[b,i]; decrements Rescale_{f+s}(eta G), Rescale_s(eta Gb).
    private void LayerGradient(int l, Scratch s, Span<long> decrements)
    {
        var c = Config;
        var net = c.Network;
        int n = net.FanIn(l), m = net.Layers[l].Width, batch = c.BatchSize;
        int shift = c.FractionBits + c.LearningRateShift;
        long eta = c.LearningRateNumerator;
        long[] h = s.H[l], d = s.Delta[l];
        var dec = decrements.Slice(_weightOffsets[l], m * n);
        string name = "update of W" + (l + 1);
        long maxD = MaxAbs(d);
        if ((double)eta * batch * maxD * MaxAbs(h) < SafeBound)
        {
            var grad = s.Grad.AsSpan(0, m * n);
            grad.Clear();
            for (int b = 0; b < batch; b++)
            {
                var hb = h.AsSpan(b * n, n);
                for (int i = 0; i < m; i++)
                    if (d[b * m + i] != 0) Axpy(d[b * m + i], hb, grad.Slice(i * n, n));
            }
            for (int k = 0; k < grad.Length; k++) dec[k] = RescaleChecked(eta * grad[k], shift, name, k, -1);
        }
        else
        {
            var row = new Int128[n];
            for (int i = 0; i < m; i++)
            {
                Array.Clear(row);
                for (int b = 0; b < batch; b++)
                {
                    long di = d[b * m + i];
                    if (di == 0) continue;
                    for (int j = 0; j < n; j++) row[j] += (Int128)di * h[b * n + j];
                }
                for (int j = 0; j < n; j++) dec[i * n + j] = RescaleChecked(eta * row[j], shift, name, i * n + j, -1);
            }
        }
        if (_biasOffsets[l] < 0) return;
        var decB = decrements.Slice(_biasOffsets[l], m);
        for (int i = 0; i < m; i++)
        {
            Int128 gb = 0;
            for (int b = 0; b < batch; b++) gb += d[b * m + i];
            decB[i] = RescaleChecked(eta * gb, c.LearningRateShift, "update of b" + (l + 1), i, -1);
        }
    }

    private Span<long> WeightSpan(int layer) => _parameters.AsSpan(_weightOffsets[layer], (int)Network.WeightCount(layer));

    private Span<long> BiasSpan(int layer) =>
        _biasOffsets[layer] < 0 ? Span<long>.Empty : _parameters.AsSpan(_biasOffsets[layer], Network.Layers[layer].Width);

    private string DescribeParameter(int index)
    {
        for (int l = _weightOffsets.Length - 1; l >= 0; l--)
        {
            if (_biasOffsets[l] >= 0 && index >= _biasOffsets[l]) return $"b{l + 1}[{index - _biasOffsets[l]}]";
            if (index >= _weightOffsets[l]) return $"W{l + 1}[{index - _weightOffsets[l]}]";
        }
        return $"parameter {index}";
    }

    private void RefreshBounds()
    {
        for (int l = 0; l < _maxAbsW.Length; l++)
        {
            _maxAbsW[l] = MaxAbs(WeightSpan(l));
            _maxAbsB[l] = MaxAbs(BiasSpan(l));
        }
    }

    private long RescaleChecked(long value, int shift, string quantity, int index, int sample)
    {
        long half = shift == 0 ? 0 : 1L << (shift - 1);
        long q = (value + half) >> shift;
        if (q < Config.MinValue || q > Config.MaxValue) ThrowOverflow(Describe(quantity, index, sample), q);
        return q;
    }

    private long RescaleChecked(Int128 value, int shift, string quantity, int index, int sample)
    {
        Int128 q = FixedPoint.Rescale(value, shift, out _);
        if (q < Config.MinValue || q > Config.MaxValue) ThrowOverflow(Describe(quantity, index, sample), q);
        return (long)q;
    }

    private static string Describe(string quantity, int index, int sample) =>
        sample >= 0 ? $"{quantity}[{index}] of sample {sample}" : $"{quantity}[{index}]";

    [DoesNotReturn]
    private void ThrowOverflow(string quantity, Int128 value) => throw new FixedPointOverflowException(quantity, value, Config.ValueBits);

    private static long MaxAbs(ReadOnlySpan<long> values)
    {
        long max = 0;
        foreach (long v in values)
        {
            long a = v < 0 ? -v : v; // long.MinValue stays negative
            if (a < 0) return long.MaxValue;
            if (a > max) max = a;
        }
        return max;
    }

    private static long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        b = b[..a.Length];
        var va = MemoryMarshal.Cast<long, Vector<long>>(a);
        var vb = MemoryMarshal.Cast<long, Vector<long>>(b);
        var acc = Vector<long>.Zero;
        for (int i = 0; i < va.Length; i++) acc += va[i] * vb[i];
        long sum = Vector.Sum(acc);
        for (int i = va.Length * Vector<long>.Count; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static Int128 DotWide(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        Int128 sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (Int128)a[i] * b[i];
        return sum;
    }

    /// <summary>y += alpha * x.</summary>
    private static void Axpy(long alpha, ReadOnlySpan<long> x, Span<long> y)
    {
        y = y[..x.Length];
        var vx = MemoryMarshal.Cast<long, Vector<long>>(x);
        var vy = MemoryMarshal.Cast<long, Vector<long>>(y);
        var va = new Vector<long>(alpha);
        for (int i = 0; i < vx.Length; i++) vy[i] += va * vx[i];
        for (int i = vx.Length * Vector<long>.Count; i < x.Length; i++) y[i] += alpha * x[i];
    }

    private void CheckValues(ReadOnlySpan<long> values, string name)
    {
        long min = Config.MinValue, max = Config.MaxValue;
        for (int i = 0; i < values.Length; i++)
            if (values[i] < min || values[i] > max)
                throw new ArgumentOutOfRangeException(name, values[i], $"{name}[{i}] does not fit in {Config.ValueBits} signed bits.");
    }

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected) throw new ArgumentException($"{name} must have {expected} entries, got {span.Length}.", name);
    }

    private static void CheckLength<T>(Span<T> span, int expected, string name) => CheckLength((ReadOnlySpan<T>)span, expected, name);

    private sealed class Scratch
    {
        public readonly long[][] H;      // layer inputs for the whole batch: H[0] = x, H[l] = ReLU(z_l) (1-based l)
        public readonly long[][] Delta;  // per-layer errors for the whole batch: Delta[L-1] = e
        public readonly long[] G, Grad, Decrements, BatchInputs;
        public readonly int[] BatchLabels;

        public Scratch(QuantizedNetworkConfig c)
        {
            var net = c.Network;
            int layers = net.Layers.Count, maxWeights = 0, maxWidth = 0;
            H = new long[layers][];
            Delta = new long[layers][];
            for (int l = 0; l < layers; l++)
            {
                H[l] = new long[c.BatchSize * net.FanIn(l)];
                Delta[l] = new long[c.BatchSize * net.Layers[l].Width];
                maxWeights = Math.Max(maxWeights, (int)net.WeightCount(l));
                maxWidth = Math.Max(maxWidth, net.FanIn(l));
            }
            G = new long[maxWidth];
            Grad = new long[maxWeights];
            Decrements = new long[net.ParameterCount];
            BatchInputs = new long[c.BatchSize * net.InputSize];
            BatchLabels = new int[c.BatchSize];
        }
    }
}
