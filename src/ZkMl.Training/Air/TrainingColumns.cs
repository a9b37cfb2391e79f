using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>
/// The layout of the training AIR's committed columns, in one place for every proof that shares them: the step proof
/// (<see cref="TrainingTraceBuilder"/>), its weight-segment commitments (<see cref="TrainingStepStark.CommitWeights"/>) and
/// the binding proof (<see cref="StepBindingStark"/>).
/// </summary>
internal static class TrainingColumns
{
    /// <summary>The batch as the AIR lays it out: inputs (sample-major), then the one-hot targets times 2^f, sample by sample.</summary>
    public static long[] BatchValues(QuantizedNetworkConfig config, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        int inputSize = config.Network.InputSize, outputSize = config.Network.OutputSize;
        if (inputs.Length != config.BatchSize * inputSize) throw new ArgumentException($"The batch must have {config.BatchSize * inputSize} inputs, got {inputs.Length}.", nameof(inputs));
        if (labels.Length != config.BatchSize) throw new ArgumentException($"The batch must have {config.BatchSize} labels, got {labels.Length}.", nameof(labels));
        var batch = new long[config.BatchSize * (inputSize + outputSize)];
        inputs.CopyTo(batch);
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)outputSize) throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Label of sample {b} must be in [0, {outputSize}).");
            for (int o = 0; o < outputSize; o++) batch[inputs.Length + b * outputSize + o] = FixedPoint.Target(o, labels[b], config.FractionBits);
        }
        return batch;
    }

    /// <summary>The batch segment: <see cref="BatchValues"/>, then zeros up to <paramref name="traceLength"/>.</summary>
    public static Goldilocks[] Batch(QuantizedNetworkConfig config, int traceLength, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels) =>
        Column(BatchValues(config, inputs, labels), [], traceLength);

    /// <summary>A weights segment: the parameters (<see cref="QuantizedNetwork.Parameters"/> order; W1 then W2 for two layers without biases), then zeros up to <paramref name="traceLength"/>.</summary>
    public static Goldilocks[] Weights(QuantizedNetworkConfig config, int traceLength, ReadOnlySpan<long> parameters)
    {
        if (parameters.Length != config.Network.ParameterCount) throw new ArgumentException($"Network {config.Network} has {config.Network.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        return Column(parameters, [], traceLength);
    }

    private static Goldilocks[] Column(ReadOnlySpan<long> first, ReadOnlySpan<long> second, int traceLength)
    {
        var column = new Goldilocks[traceLength];
        for (int i = 0; i < first.Length; i++) column[i] = Goldilocks.FromInt64(first[i]);
        for (int i = 0; i < second.Length; i++) column[first.Length + i] = Goldilocks.FromInt64(second[i]);
        return column;
    }
}
