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
    public static long[] BatchValues(QuantizedMlpConfig config, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        if (inputs.Length != config.BatchSize * config.InputSize) throw new ArgumentException($"The batch must have {config.BatchSize * config.InputSize} inputs, got {inputs.Length}.", nameof(inputs));
        if (labels.Length != config.BatchSize) throw new ArgumentException($"The batch must have {config.BatchSize} labels, got {labels.Length}.", nameof(labels));
        var batch = new long[config.BatchSize * (config.InputSize + config.OutputSize)];
        inputs.CopyTo(batch);
        for (int b = 0; b < labels.Length; b++)
        {
            if ((uint)labels[b] >= (uint)config.OutputSize) throw new ArgumentOutOfRangeException(nameof(labels), labels[b], $"Label of sample {b} must be in [0, {config.OutputSize}).");
            for (int o = 0; o < config.OutputSize; o++) batch[inputs.Length + b * config.OutputSize + o] = FixedPoint.Target(o, labels[b], config.FractionBits);
        }
        return batch;
    }

    /// <summary>The batch segment: <see cref="BatchValues"/>, then zeros up to <paramref name="traceLength"/>.</summary>
    public static Goldilocks[] Batch(QuantizedMlpConfig config, int traceLength, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels) =>
        Column(BatchValues(config, inputs, labels), [], traceLength);

    /// <summary>A weights segment: W1 then W2 (row-major), then zeros up to <paramref name="traceLength"/>.</summary>
    public static Goldilocks[] Weights(QuantizedMlpConfig config, int traceLength, ReadOnlySpan<long> weights1, ReadOnlySpan<long> weights2)
    {
        if (weights1.Length != config.Weights1Count || weights2.Length != config.Weights2Count) throw new ArgumentException("Weight arrays do not match the configuration.");
        return Column(weights1, weights2, traceLength);
    }

    private static Goldilocks[] Column(ReadOnlySpan<long> first, ReadOnlySpan<long> second, int traceLength)
    {
        var column = new Goldilocks[traceLength];
        for (int i = 0; i < first.Length; i++) column[i] = Goldilocks.FromInt64(first[i]);
        for (int i = 0; i < second.Length; i++) column[first.Length + i] = Goldilocks.FromInt64(second[i]);
        return column;
    }
}
