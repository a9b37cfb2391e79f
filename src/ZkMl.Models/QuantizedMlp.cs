using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ZkMl.Models;

/// <summary>
/// The plain integer reference of quantized SGD for a Dense-ReLU-Dense network without biases
/// (docs/fixed-point.md). The R1CS SGD-step circuit and the STARK training AIR match it bit for bit.
/// </summary>
/// <remarks>
/// Arithmetic runs on 64-bit integers when per-step magnitude bounds prove no intermediate can leave
/// [-2^61, 2^61]; otherwise the step falls back to exact 128-bit accumulation, so results never depend on
/// wrap-around. An instance keeps scratch buffers for training: do not call <see cref="TrainStep"/> or
/// <see cref="ComputeUpdate"/> concurrently on one instance (<see cref="Forward"/> and <see cref="CountCorrect"/> are safe).
/// </remarks>
public sealed class QuantizedMlp
{
    private const double SafeBound = 2305843009213693952.0; // 2^61
    private readonly long[] _w1;
    private readonly long[] _w2;
    private long _maxAbsW1, _maxAbsW2;
    private Scratch? _scratch;

    /// <summary>Creates a network with the given weights (copied). W1 is [Hidden x Input], W2 is [Output x Hidden], both row-major.</summary>
    /// <exception cref="ArgumentException">A weight array has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight does not fit in <see cref="QuantizedMlpConfig.ValueBits"/> signed bits.</exception>
    public QuantizedMlp(QuantizedMlpConfig config, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (weights1.Length != config.Weights1Count)
            throw new ArgumentException($"W1 must have {config.Weights1Count} entries (Hidden x Input), got {weights1.Length}.", nameof(weights1));
        if (weights2.Length != config.Weights2Count)
            throw new ArgumentException($"W2 must have {config.Weights2Count} entries (Output x Hidden), got {weights2.Length}.", nameof(weights2));
        for (int i = 0; i < weights1.Length; i++)
            if (weights1[i] < config.MinValue || weights1[i] > config.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(weights1), weights1[i], $"W1[{i}] does not fit in {config.ValueBits} signed bits.");
        for (int i = 0; i < weights2.Length; i++)
            if (weights2[i] < config.MinValue || weights2[i] > config.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(weights2), weights2[i], $"W2[{i}] does not fit in {config.ValueBits} signed bits.");
        Config = config;
        _w1 = weights1.ToArray();
        _w2 = weights2.ToArray();
        RefreshBounds();
    }

    /// <summary>
    /// Deterministic initial weights: round(u * sqrt(6 / (fan_in + fan_out)) * 2^f) (midpoints away from zero),
    /// u = 2 * NextDouble() - 1 from one <see cref="Random"/>(<paramref name="seed"/>), all of W1 row-major, then all of W2.
    /// </summary>
    public static QuantizedMlp CreateInitial(QuantizedMlpConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var rng = new Random(seed);
        var w1 = new long[config.Weights1Count];
        var w2 = new long[config.Weights2Count];
        Fill(w1, config.InputSize, config.HiddenSize);
        Fill(w2, config.HiddenSize, config.OutputSize);
        return new QuantizedMlp(config, w1, w2);

        void Fill(long[] weights, int fanIn, int fanOut)
        {
            double scale = Math.Sqrt(6.0 / (fanIn + fanOut)) * config.One;
            for (int i = 0; i < weights.Length; i++)
                weights[i] = (long)Math.Round((2 * rng.NextDouble() - 1) * scale, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>The network's shape and fixed-point parameters.</summary>
    public QuantizedMlpConfig Config { get; }

    /// <summary>First-layer weights W1, [Hidden x Input] row-major, scale 2^f.</summary>
    public ReadOnlySpan<long> Weights1 => _w1;

    /// <summary>Second-layer weights W2, [Output x Hidden] row-major, scale 2^f.</summary>
    public ReadOnlySpan<long> Weights2 => _w2;

    /// <summary>An independent copy of this network.</summary>
    public QuantizedMlp Clone() => new(Config, _w1, _w2);

    /// <summary>True when <paramref name="other"/> has the same configuration and identical weights.</summary>
    public bool WeightsEqual(QuantizedMlp other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Config == other.Config && _w1.AsSpan().SequenceEqual(other._w1) && _w2.AsSpan().SequenceEqual(other._w2);
    }

    /// <summary>
    /// Forward pass of one sample: z1 = Rescale_f(W1 x) (Hidden values), z2 = Rescale_f(W2 ReLU(z1)) (Output values).
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public void Forward(ReadOnlySpan<long> input, Span<long> z1, Span<long> z2)
    {
        var c = Config;
        CheckLength(input, c.InputSize, nameof(input));
        CheckLength(z1, c.HiddenSize, nameof(z1));
        CheckLength(z2, c.OutputSize, nameof(z2));
        CheckInputs(input, nameof(input));
        Span<long> h = c.HiddenSize <= 512 ? stackalloc long[c.HiddenSize] : new long[c.HiddenSize];
        if (!TryForwardFast(input, z1, h, z2, 0))
            ForwardWide(input, z1, h, z2, 0);
    }

    /// <summary>The predicted class of one sample: the first index of the largest output.</summary>
    public int Predict(ReadOnlySpan<long> input)
    {
        Span<long> z1 = Config.HiddenSize <= 512 ? stackalloc long[Config.HiddenSize] : new long[Config.HiddenSize];
        Span<long> z2 = Config.OutputSize <= 512 ? stackalloc long[Config.OutputSize] : new long[Config.OutputSize];
        Forward(input, z1, z2);
        return ArgMax(z2);
    }

    /// <summary>Number of rows of <paramref name="data"/> whose prediction equals the label.</summary>
    public int CountCorrect(QuantizedDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != Config.InputSize)
            throw new ArgumentException($"Data rows have {data.InputSize} inputs, the network expects {Config.InputSize}.", nameof(data));
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
            if (Predict(data.Row(i)) == data.Labels[i]) correct++;
        return correct;
    }

    /// <summary>Fraction of rows of <paramref name="data"/> predicted correctly (0 for an empty set).</summary>
    public double Accuracy(QuantizedDataset data) => data.Count == 0 ? 0 : (double)CountCorrect(data) / data.Count;

    /// <summary>
    /// The weight decrements of one SGD step on a batch: delta = Rescale_{f+s}(eta * G) with G the batch's summed
    /// gradient (scale 2^2f), so that W' = W - delta. The network is not modified.
    /// </summary>
    /// <param name="inputs">BatchSize rows of InputSize quantized inputs, row-major.</param>
    /// <param name="labels">BatchSize labels in [0, OutputSize).</param>
    /// <param name="delta1">Receives Hidden x Input decrements of W1.</param>
    /// <param name="delta2">Receives Output x Hidden decrements of W2.</param>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public void ComputeUpdate(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, Span<long> delta1, Span<long> delta2)
    {
        var c = Config;
        CheckLength(inputs, c.BatchSize * c.InputSize, nameof(inputs));
        CheckLength(labels, c.BatchSize, nameof(labels));
        CheckLength(delta1, c.Weights1Count, nameof(delta1));
        CheckLength(delta2, c.Weights2Count, nameof(delta2));
        for (int b = 0; b < labels.Length; b++)
            if ((uint)labels[b] >= (uint)c.OutputSize)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Label of sample {b} must be in [0, {c.OutputSize}).");
        CheckInputs(inputs, nameof(inputs));
        var s = _scratch ??= new Scratch(c);
        if (!TryUpdateFast(inputs, labels, delta1, delta2, s))
            UpdateWide(inputs, labels, delta1, delta2, s);
    }

    /// <summary>
    /// One SGD step in place: W1 -= delta1, W2 -= delta2 (both computed with the pre-update W2).
    /// On any exception the weights are unchanged.
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value or an updated weight leaves the declared width.</exception>
    public void TrainStep(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        var s = _scratch ??= new Scratch(Config);
        ComputeUpdate(inputs, labels, s.Delta1, s.Delta2);
        CheckUpdated(_w1, s.Delta1, "W1");
        CheckUpdated(_w2, s.Delta2, "W2");
        for (int i = 0; i < _w1.Length; i++) _w1[i] -= s.Delta1[i];
        for (int i = 0; i < _w2.Length; i++) _w2[i] -= s.Delta2[i];
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

    /// <summary>Index of the first maximum of <paramref name="values"/>.</summary>
    public static int ArgMax(ReadOnlySpan<long> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    // ---- 64-bit path: only used when the bounds show every intermediate is exact ----

    private bool TryForwardFast(ReadOnlySpan<long> x, Span<long> z1, Span<long> h, Span<long> z2, int sample)
    {
        var c = Config;
        int f = c.FractionBits;
        if ((double)c.InputSize * _maxAbsW1 * MaxAbs(x) >= SafeBound) return false;
        long maxH = 0;
        for (int j = 0; j < c.HiddenSize; j++)
        {
            long q = RescaleChecked(Dot(_w1.AsSpan(j * c.InputSize, c.InputSize), x), f, "z1", j, sample);
            z1[j] = q;
            h[j] = q > 0 ? q : 0;
            if (q > maxH) maxH = q;
        }
        if ((double)c.HiddenSize * _maxAbsW2 * maxH >= SafeBound) return false;
        for (int i = 0; i < c.OutputSize; i++)
            z2[i] = RescaleChecked(Dot(_w2.AsSpan(i * c.HiddenSize, c.HiddenSize), h), f, "z2", i, sample);
        return true;
    }

    private bool TryUpdateFast(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, Span<long> delta1, Span<long> delta2, Scratch s)
    {
        var c = Config;
        int f = c.FractionBits, n = c.InputSize, hidden = c.HiddenSize, outputs = c.OutputSize;
        Span<long> g1 = s.Grad1, g2 = s.Grad2, z1 = s.Z1, h = s.H, z2 = s.Z2, e = s.E, g = s.G, dh = s.Dh;
        g1.Clear();
        g2.Clear();
        long maxX = MaxAbs(inputs), maxE = 0, maxH = 0, maxDh = 0;
        for (int b = 0; b < c.BatchSize; b++)
        {
            var x = inputs.Slice(b * n, n);
            if (!TryForwardFast(x, z1, h, z2, b)) return false;
            long maxESample = 0;
            for (int i = 0; i < outputs; i++)
            {
                e[i] = z2[i] - FixedPoint.Target(i, labels[b], f);
                maxESample = Math.Max(maxESample, Math.Abs(e[i]));
            }
            if ((double)outputs * _maxAbsW2 * maxESample >= SafeBound) return false;
            // g = W2^T e, accumulated row by row of W2.
            g.Clear();
            for (int i = 0; i < outputs; i++)
                if (e[i] != 0) Axpy(e[i], _w2.AsSpan(i * hidden, hidden), g);
            for (int j = 0; j < hidden; j++)
            {
                dh[j] = z1[j] > 0 ? RescaleChecked(g[j], f, "dh", j, b) : 0;
                maxDh = Math.Max(maxDh, Math.Abs(dh[j]));
                maxH = Math.Max(maxH, h[j]);
            }
            maxE = Math.Max(maxE, maxESample);
            // Summed outer products; wrap-around here is harmless because the bound check below rejects any
            // case where the true sum would not fit.
            for (int i = 0; i < outputs; i++)
                if (e[i] != 0) Axpy(e[i], h, g2.Slice(i * hidden, hidden));
            for (int j = 0; j < hidden; j++)
                if (dh[j] != 0) Axpy(dh[j], x, g1.Slice(j * n, n));
        }
        double eta = c.LearningRateNumerator;
        if (eta * c.BatchSize * maxE * maxH >= SafeBound || eta * c.BatchSize * maxDh * maxX >= SafeBound) return false;
        int shift = f + c.LearningRateShift;
        for (int k = 0; k < g1.Length; k++)
            delta1[k] = RescaleChecked(c.LearningRateNumerator * g1[k], shift, "update of W1", k, -1);
        for (int k = 0; k < g2.Length; k++)
            delta2[k] = RescaleChecked(c.LearningRateNumerator * g2[k], shift, "update of W2", k, -1);
        return true;
    }

    // ---- exact 128-bit path ----

    private void ForwardWide(ReadOnlySpan<long> x, Span<long> z1, Span<long> h, Span<long> z2, int sample)
    {
        var c = Config;
        int f = c.FractionBits;
        for (int j = 0; j < c.HiddenSize; j++)
        {
            long q = RescaleChecked(DotWide(_w1.AsSpan(j * c.InputSize, c.InputSize), x), f, "z1", j, sample);
            z1[j] = q;
            h[j] = q > 0 ? q : 0;
        }
        for (int i = 0; i < c.OutputSize; i++)
            z2[i] = RescaleChecked(DotWide(_w2.AsSpan(i * c.HiddenSize, c.HiddenSize), h), f, "z2", i, sample);
    }

    private void UpdateWide(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels, Span<long> delta1, Span<long> delta2, Scratch s)
    {
        var c = Config;
        int f = c.FractionBits, n = c.InputSize, hidden = c.HiddenSize, outputs = c.OutputSize;
        var g1 = new Int128[c.Weights1Count];
        var g2 = new Int128[c.Weights2Count];
        Span<long> z1 = s.Z1, h = s.H, z2 = s.Z2, e = s.E, dh = s.Dh;
        for (int b = 0; b < c.BatchSize; b++)
        {
            var x = inputs.Slice(b * n, n);
            ForwardWide(x, z1, h, z2, b);
            for (int i = 0; i < outputs; i++)
                e[i] = z2[i] - FixedPoint.Target(i, labels[b], f);
            for (int j = 0; j < hidden; j++)
            {
                Int128 gj = 0;
                for (int i = 0; i < outputs; i++) gj += (Int128)_w2[i * hidden + j] * e[i];
                dh[j] = z1[j] > 0 ? RescaleChecked(gj, f, "dh", j, b) : 0;
            }
            for (int i = 0; i < outputs; i++)
                for (int j = 0; j < hidden; j++)
                    g2[i * hidden + j] += (Int128)e[i] * h[j];
            for (int j = 0; j < hidden; j++)
                for (int k = 0; k < n; k++)
                    g1[j * n + k] += (Int128)dh[j] * x[k];
        }
        int shift = f + c.LearningRateShift;
        for (int k = 0; k < g1.Length; k++)
            delta1[k] = RescaleChecked(c.LearningRateNumerator * g1[k], shift, "update of W1", k, -1);
        for (int k = 0; k < g2.Length; k++)
            delta2[k] = RescaleChecked(c.LearningRateNumerator * g2[k], shift, "update of W2", k, -1);
    }

    // ---- helpers ----

    private void CheckUpdated(long[] weights, long[] delta, string name)
    {
        long min = Config.MinValue, max = Config.MaxValue;
        for (int i = 0; i < weights.Length; i++)
        {
            long updated = weights[i] - delta[i]; // both within 40 bits: exact
            if (updated < min || updated > max) ThrowOverflow($"{name}[{i}] after the update", updated);
        }
    }

    private void RefreshBounds()
    {
        _maxAbsW1 = MaxAbs(_w1);
        _maxAbsW2 = MaxAbs(_w2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long RescaleChecked(long value, int shift, string quantity, int index, int sample)
    {
        long q = (value + (1L << (shift - 1))) >> shift;
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
            long a = v < 0 ? -v : v; // long.MinValue stays negative and is caught below
            if (a < 0) return long.MaxValue;
            if (a > max) max = a;
        }
        return max;
    }

    private static long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> b)
    {
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        b = b[..a.Length];
        for (; i + 4 <= a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++) s0 += a[i] * b[i];
        return s0 + s1 + s2 + s3;
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
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    private void CheckInputs(ReadOnlySpan<long> inputs, string name)
    {
        long min = Config.MinValue, max = Config.MaxValue;
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] < min || inputs[i] > max)
                throw new ArgumentOutOfRangeException(name, inputs[i], $"{name}[{i}] does not fit in {Config.ValueBits} signed bits.");
    }

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected) throw new ArgumentException($"{name} must have {expected} entries, got {span.Length}.", name);
    }

    private static void CheckLength<T>(Span<T> span, int expected, string name) => CheckLength((ReadOnlySpan<T>)span, expected, name);

    private sealed class Scratch(QuantizedMlpConfig c)
    {
        public readonly long[] Grad1 = new long[c.Weights1Count], Grad2 = new long[c.Weights2Count];
        public readonly long[] Delta1 = new long[c.Weights1Count], Delta2 = new long[c.Weights2Count];
        public readonly long[] Z1 = new long[c.HiddenSize], H = new long[c.HiddenSize], G = new long[c.HiddenSize], Dh = new long[c.HiddenSize];
        public readonly long[] Z2 = new long[c.OutputSize], E = new long[c.OutputSize];
        public readonly long[] BatchInputs = new long[c.BatchSize * c.InputSize];
        public readonly int[] BatchLabels = new int[c.BatchSize];
    }
}
