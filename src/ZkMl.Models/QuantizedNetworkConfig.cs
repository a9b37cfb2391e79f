namespace ZkMl.Models;

/// <summary>
/// A <see cref="NetworkDescription"/> with the fixed-point and SGD parameters of docs/fixed-point.md; the general form
/// of <see cref="QuantizedMlpConfig"/>, which is the two-layer case without biases.
/// </summary>
public sealed record QuantizedNetworkConfig
{
    /// <summary>Creates a configuration for <paramref name="network"/> with the defaults of <see cref="QuantizedMlpConfig"/>.</summary>
    public QuantizedNetworkConfig(NetworkDescription network)
    {
        ArgumentNullException.ThrowIfNull(network);
        Network = network;
    }

    /// <summary>The network's shape.</summary>
    public NetworkDescription Network { get; init; }
    /// <summary>Fixed-point fraction bits f (4..24).</summary>
    public int FractionBits { get; init; } = 10;
    /// <summary>Samples per SGD step.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Learning-rate numerator eta: lr = eta / 2^s on the batch's summed gradient.</summary>
    public int LearningRateNumerator { get; init; } = 13;
    /// <summary>Learning-rate shift s.</summary>
    public int LearningRateShift { get; init; } = 11;
    /// <summary>Declared signed width B of every rescaled value, weight and bias.</summary>
    public int ValueBits { get; init; } = 32;

    /// <summary>The fixed-point representation of 1.0, 2^f.</summary>
    public long One => 1L << FractionBits;
    /// <summary>Smallest allowed value, -2^(B-1).</summary>
    public long MinValue => -(1L << (ValueBits - 1));
    /// <summary>Largest allowed value, 2^(B-1) - 1.</summary>
    public long MaxValue => (1L << (ValueBits - 1)) - 1;

    /// <summary>The general form of a two-layer configuration (same parameters, no biases).</summary>
    public static QuantizedNetworkConfig FromMlp(QuantizedMlpConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new QuantizedNetworkConfig(NetworkDescription.TwoLayer(config.InputSize, config.HiddenSize, config.OutputSize))
        {
            FractionBits = config.FractionBits, BatchSize = config.BatchSize, LearningRateNumerator = config.LearningRateNumerator,
            LearningRateShift = config.LearningRateShift, ValueBits = config.ValueBits,
        };
    }

    /// <summary>The two-layer configuration of this one; throws <see cref="NotSupportedException"/> unless the network has two layers without biases.</summary>
    public QuantizedMlpConfig ToMlp()
    {
        if (!Network.IsTwoLayerWithoutBiases)
            throw new NotSupportedException($"Network {Network} is not the two-layer shape without biases that QuantizedMlp handles.");
        return new QuantizedMlpConfig
        {
            InputSize = Network.InputSize, HiddenSize = Network.Layers[0].Width, OutputSize = Network.Layers[1].Width,
            FractionBits = FractionBits, BatchSize = BatchSize, LearningRateNumerator = LearningRateNumerator,
            LearningRateShift = LearningRateShift, ValueBits = ValueBits,
        };
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter outside its supported range (as <see cref="QuantizedMlpConfig.Validate"/>).</summary>
    public void Validate()
    {
        static void Check(int value, int min, int max, string name)
        {
            if (value < min || value > max)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
        }
        ArgumentNullException.ThrowIfNull(Network, nameof(Network));
        Check(FractionBits, 4, 24, nameof(FractionBits));
        Check(BatchSize, 1, 1 << 16, nameof(BatchSize));
        Check(LearningRateNumerator, 1, (1 << 20) - 1, nameof(LearningRateNumerator));
        Check(LearningRateShift, 0, 24, nameof(LearningRateShift));
        Check(ValueBits, FractionBits + 2, 40, nameof(ValueBits));
    }
}
