using System.Text.Json.Serialization;

namespace ZkMl.Models;

/// <summary>
/// Shape and fixed-point parameters of a two-layer ReLU MLP (no biases) trained with quantized SGD.
/// The semantics are specified in docs/fixed-point.md and shared bit for bit by <see cref="QuantizedMlp"/>,
/// the R1CS SGD-step circuit and the STARK training AIR.
/// </summary>
public sealed record QuantizedMlpConfig
{
    /// <summary>Number of inputs (64 for 8x8 digit images).</summary>
    public int InputSize { get; init; } = 64;
    /// <summary>Number of hidden ReLU units.</summary>
    public int HiddenSize { get; init; } = 32;
    /// <summary>Number of outputs (classes).</summary>
    public int OutputSize { get; init; } = 10;
    /// <summary>Fixed-point fraction bits f: a real value r is stored as round(r * 2^f). At least 4, so pixels 0..16 map exactly.</summary>
    public int FractionBits { get; init; } = 10;
    /// <summary>Samples per SGD step.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Learning-rate numerator eta: lr = eta / 2^s, applied to the batch's summed gradient.</summary>
    public int LearningRateNumerator { get; init; } = 13;
    /// <summary>Learning-rate shift s: lr = eta / 2^s.</summary>
    public int LearningRateShift { get; init; } = 11;
    /// <summary>Declared signed width B: every rescaled value and every weight lies in [-2^(B-1), 2^(B-1)).</summary>
    public int ValueBits { get; init; } = 32;

    /// <summary>The fixed-point representation of 1.0, 2^f.</summary>
    [JsonIgnore]
    public long One => 1L << FractionBits;

    /// <summary>Number of first-layer weights (Hidden x Input).</summary>
    [JsonIgnore]
    public int Weights1Count => HiddenSize * InputSize;

    /// <summary>Number of second-layer weights (Output x Hidden).</summary>
    [JsonIgnore]
    public int Weights2Count => OutputSize * HiddenSize;

    /// <summary>Smallest allowed value, -2^(B-1).</summary>
    [JsonIgnore]
    public long MinValue => -(1L << (ValueBits - 1));

    /// <summary>Largest allowed value, 2^(B-1) - 1.</summary>
    [JsonIgnore]
    public long MaxValue => (1L << (ValueBits - 1)) - 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first parameter outside its supported range.</summary>
    public void Validate()
    {
        static void Check(int value, int min, int max, string name)
        {
            if (value < min || value > max)
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
        }
        Check(InputSize, 1, 1 << 16, nameof(InputSize));
        Check(HiddenSize, 1, 1 << 16, nameof(HiddenSize));
        Check(OutputSize, 1, 1 << 16, nameof(OutputSize));
        Check(FractionBits, 4, 24, nameof(FractionBits));
        Check(BatchSize, 1, 1 << 16, nameof(BatchSize));
        Check(LearningRateNumerator, 1, (1 << 20) - 1, nameof(LearningRateNumerator));
        Check(LearningRateShift, 0, 24, nameof(LearningRateShift));
        Check(ValueBits, FractionBits + 2, 40, nameof(ValueBits));
    }
}
