namespace ZkMl.Models;

/// <summary>Rows of quantized inputs (scale 2^f) with integer class labels, as the trainer and the circuits consume them.</summary>
public sealed class QuantizedDataset
{
    private readonly long[] _inputs;
    private readonly int[] _labels;

    /// <summary>Wraps <paramref name="inputs"/> (Count x <paramref name="inputSize"/>, row-major) and <paramref name="labels"/> (copied).</summary>
    public QuantizedDataset(int inputSize, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        if (inputs.Length != labels.Length * inputSize)
            throw new ArgumentException($"Expected {labels.Length} rows of {inputSize} inputs ({labels.Length * inputSize} values), got {inputs.Length}.", nameof(inputs));
        InputSize = inputSize;
        _inputs = inputs.ToArray();
        _labels = labels.ToArray();
    }

    /// <summary>Values per row.</summary>
    public int InputSize { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _labels.Length;

    /// <summary>All inputs, row-major.</summary>
    public ReadOnlySpan<long> Inputs => _inputs;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The inputs of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<long> Row(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"Row index must be in [0, {Count}).");
        return _inputs.AsSpan(index * InputSize, InputSize);
    }

    /// <summary>Copies the rows named by <paramref name="rows"/> into <paramref name="inputs"/> and <paramref name="labels"/>.</summary>
    public void GatherBatch(ReadOnlySpan<int> rows, Span<long> inputs, Span<int> labels)
    {
        if (inputs.Length != rows.Length * InputSize || labels.Length != rows.Length)
            throw new ArgumentException($"A batch of {rows.Length} rows needs {rows.Length * InputSize} inputs and {rows.Length} labels.");
        for (int b = 0; b < rows.Length; b++)
        {
            Row(rows[b]).CopyTo(inputs.Slice(b * InputSize, InputSize));
            labels[b] = _labels[rows[b]];
        }
    }
}
