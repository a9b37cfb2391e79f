namespace ZkMl.Models;

/// <summary>
/// The plain integer reference of quantized SGD for a Dense-ReLU-Dense network without biases
/// (docs/fixed-point.md). The R1CS SGD-step circuit and the STARK training AIR match it bit for bit.
/// </summary>
/// <remarks>
/// A two-layer view of <see cref="QuantizedNetwork"/>, which holds the weights and does all the arithmetic (64-bit when
/// magnitude bounds prove it exact, exact 128-bit otherwise, so results never depend on wrap-around). An instance keeps
/// scratch buffers for training: do not call <see cref="TrainStep"/> or <see cref="ComputeUpdate"/> concurrently on one
/// instance (<see cref="Forward"/> and <see cref="CountCorrect"/> are safe).
/// </remarks>
public sealed class QuantizedMlp
{
    private readonly QuantizedNetwork _network;
    private long[]? _decrements;

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
        CheckRange(weights1, config, nameof(weights1), "W1");
        CheckRange(weights2, config, nameof(weights2), "W2");
        var parameters = new long[weights1.Length + weights2.Length];
        weights1.CopyTo(parameters);
        weights2.CopyTo(parameters.AsSpan(weights1.Length));
        Config = config;
        _network = new QuantizedNetwork(QuantizedNetworkConfig.FromMlp(config), parameters);
    }

    /// <summary>
    /// Deterministic initial weights: round(u * sqrt(6 / (fan_in + fan_out)) * 2^f) (midpoints away from zero),
    /// u = 2 * NextDouble() - 1 from one <see cref="Random"/>(<paramref name="seed"/>), all of W1 row-major, then all of W2.
    /// </summary>
    public static QuantizedMlp CreateInitial(QuantizedMlpConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return QuantizedNetwork.CreateInitial(QuantizedNetworkConfig.FromMlp(config), seed).ToMlp();
    }

    /// <summary>The network's shape and fixed-point parameters.</summary>
    public QuantizedMlpConfig Config { get; }

    /// <summary>First-layer weights W1, [Hidden x Input] row-major, scale 2^f.</summary>
    public ReadOnlySpan<long> Weights1 => _network.Weights(0);

    /// <summary>Second-layer weights W2, [Output x Hidden] row-major, scale 2^f.</summary>
    public ReadOnlySpan<long> Weights2 => _network.Weights(1);

    /// <summary>An independent copy of this network.</summary>
    public QuantizedMlp Clone() => new(Config, Weights1, Weights2);

    /// <summary>True when <paramref name="other"/> has the same configuration and identical weights.</summary>
    public bool WeightsEqual(QuantizedMlp other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Config == other.Config && _network.Parameters.SequenceEqual(other._network.Parameters);
    }

    /// <summary>
    /// Forward pass of one sample: z1 = Rescale_f(W1 x) (Hidden values), z2 = Rescale_f(W2 ReLU(z1)) (Output values).
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value leaves the declared width.</exception>
    public void Forward(ReadOnlySpan<long> input, Span<long> z1, Span<long> z2)
    {
        CheckLength(input, Config.InputSize, nameof(input));
        CheckLength(z1, Config.HiddenSize, nameof(z1));
        CheckLength(z2, Config.OutputSize, nameof(z2));
        var z = _network.ForwardLayers(input);
        z[0].CopyTo(z1);
        z[1].CopyTo(z2);
    }

    /// <summary>The predicted class of one sample: the first index of the largest output.</summary>
    public int Predict(ReadOnlySpan<long> input) => _network.Predict(input);

    /// <summary>Number of rows of <paramref name="data"/> whose prediction equals the label.</summary>
    public int CountCorrect(QuantizedDataset data) => _network.CountCorrect(data);

    /// <summary>Fraction of rows of <paramref name="data"/> predicted correctly (0 for an empty set).</summary>
    public double Accuracy(QuantizedDataset data) => _network.Accuracy(data);

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
        var decrements = _decrements ??= new long[c.Weights1Count + c.Weights2Count];
        try
        {
            _network.ComputeUpdate(inputs, labels, decrements);
        }
        catch (FixedPointOverflowException e) when (Renamed(e) is { } renamed)
        {
            throw renamed;
        }
        decrements.AsSpan(0, c.Weights1Count).CopyTo(delta1);
        decrements.AsSpan(c.Weights1Count).CopyTo(delta2);
    }

    /// <summary>
    /// One SGD step in place: W1 -= delta1, W2 -= delta2 (both computed with the pre-update W2).
    /// On any exception the weights are unchanged.
    /// </summary>
    /// <exception cref="FixedPointOverflowException">A rescaled value or an updated weight leaves the declared width.</exception>
    public void TrainStep(ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        try
        {
            _network.TrainStep(inputs, labels);
        }
        catch (FixedPointOverflowException e) when (Renamed(e) is { } renamed)
        {
            throw renamed;
        }
    }

    /// <summary>Runs <see cref="TrainStep"/> for each batch of row indices into <paramref name="data"/>.</summary>
    public void Train(QuantizedDataset data, IEnumerable<int[]> batches)
    {
        try
        {
            _network.Train(data, batches);
        }
        catch (FixedPointOverflowException e) when (Renamed(e) is { } renamed)
        {
            throw renamed;
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

    // The general network names the hidden layer's error d1; this type has always called it dh.
    private static FixedPointOverflowException? Renamed(FixedPointOverflowException e) =>
        e.Quantity.StartsWith("d1[", StringComparison.Ordinal)
            ? new FixedPointOverflowException("dh" + e.Quantity[2..], e.Value, e.ValueBits)
            : null;

    private static void CheckRange(ReadOnlySpan<long> weights, QuantizedMlpConfig config, string paramName, string name)
    {
        for (int i = 0; i < weights.Length; i++)
            if (weights[i] < config.MinValue || weights[i] > config.MaxValue)
                throw new ArgumentOutOfRangeException(paramName, weights[i], $"{name}[{i}] does not fit in {config.ValueBits} signed bits.");
    }

    private static void CheckLength<T>(ReadOnlySpan<T> span, int expected, string name)
    {
        if (span.Length != expected) throw new ArgumentException($"{name} must have {expected} entries, got {span.Length}.", name);
    }

    private static void CheckLength<T>(Span<T> span, int expected, string name) => CheckLength((ReadOnlySpan<T>)span, expected, name);
}
