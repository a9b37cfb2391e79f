namespace ZkMl.Models;

/// <summary>
/// The shape of a dense network: an input size and 1..8 dense layers, ReLU after every layer but the last, MSE loss on
/// one-hot targets (docs/fixed-point.md). The last layer's width is the number of classes.
/// </summary>
public sealed class NetworkDescription : IEquatable<NetworkDescription>
{
    /// <summary>Most layers a description may have.</summary>
    public const int MaxLayers = 8;
    /// <summary>Largest input size or layer width.</summary>
    public const int MaxWidth = 1 << 16;

    private readonly DenseLayer[] _layers;

    /// <summary>Creates a description; throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public NetworkDescription(int inputSize, IEnumerable<DenseLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (inputSize < 1 || inputSize > MaxWidth)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"The input size must be in [1, {MaxWidth}].");
        _layers = layers.ToArray();
        if (_layers.Length < 1 || _layers.Length > MaxLayers)
            throw new ArgumentOutOfRangeException(nameof(layers), _layers.Length, $"A network has 1..{MaxLayers} layers.");
        for (int l = 0; l < _layers.Length; l++)
            if (_layers[l].Width < 1 || _layers[l].Width > MaxWidth)
                throw new ArgumentOutOfRangeException(nameof(layers), _layers[l].Width, $"Layer {l + 1}'s width must be in [1, {MaxWidth}].");
        InputSize = inputSize;
    }

    /// <summary>Today's default shape: 64 inputs, 32 hidden ReLU units, 10 outputs, no biases.</summary>
    public static NetworkDescription TwoLayer(int inputSize, int hiddenSize, int outputSize) =>
        new(inputSize, [new DenseLayer(hiddenSize), new DenseLayer(outputSize)]);

    /// <summary>
    /// inputSize, then one layer per entry of <paramref name="hiddenWidths"/>, then an output layer of
    /// <paramref name="classes"/>; every layer has a bias when <paramref name="bias"/> is set.
    /// </summary>
    public static NetworkDescription Create(int inputSize, IEnumerable<int> hiddenWidths, int classes, bool bias)
    {
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        return new(inputSize, hiddenWidths.Append(classes).Select(w => new DenseLayer(w, bias)));
    }

    /// <summary>Number of inputs.</summary>
    public int InputSize { get; }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Number of outputs (classes): the last layer's width.</summary>
    public int OutputSize => _layers[^1].Width;

    /// <summary>Fan-in of layer <paramref name="layer"/> (0-based): the input size, then the previous layer's width.</summary>
    public int FanIn(int layer) => layer == 0 ? InputSize : _layers[layer - 1].Width;

    /// <summary>Number of weights of layer <paramref name="layer"/>: Width x FanIn.</summary>
    public long WeightCount(int layer) => (long)_layers[layer].Width * FanIn(layer);

    /// <summary>Total number of weights and biases.</summary>
    public long ParameterCount
    {
        get
        {
            long total = 0;
            for (int l = 0; l < _layers.Length; l++) total += WeightCount(l) + (_layers[l].HasBias ? _layers[l].Width : 0);
            return total;
        }
    }

    /// <summary>True for the shape today's two-layer <see cref="QuantizedMlp"/> handles: two layers, no biases.</summary>
    public bool IsTwoLayerWithoutBiases => _layers.Length == 2 && !_layers[0].HasBias && !_layers[1].HasBias;

    /// <inheritdoc/>
    public bool Equals(NetworkDescription? other) =>
        other is not null && InputSize == other.InputSize && _layers.AsSpan().SequenceEqual(other._layers);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetworkDescription other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(InputSize);
        foreach (var layer in _layers) hash.Add(layer);
        return hash.ToHashCode();
    }

    /// <summary>e.g. "784-128-10" or "784-128b-10b" (b marks a layer with a bias).</summary>
    public override string ToString() =>
        InputSize + string.Concat(_layers.Select(l => "-" + l.Width + (l.HasBias ? "b" : "")));
}
