using System.Globalization;
using System.IO.Compression;

namespace ZkMl.Models;

/// <summary>
/// Rows of integer features with an integer class label, read from CSV text (optionally gzip-compressed): each line
/// holds the features, then the label, comma-separated, no header; blank lines are skipped.
/// </summary>
public sealed class IntegerDataset
{
    private readonly int[] _features;
    private readonly int[] _labels;

    /// <summary>Creates a data set from <paramref name="features"/> (Count x <paramref name="featureCount"/>) and <paramref name="labels"/> (0..classCount-1), copied.</summary>
    public IntegerDataset(int featureCount, int classCount, ReadOnlySpan<int> features, ReadOnlySpan<int> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (features.Length != (long)labels.Length * featureCount)
            throw new ArgumentException($"Expected {labels.Length} rows of {featureCount} features, got {features.Length} values.", nameof(features));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {i} must be in [0, {classCount}).");
        FeatureCount = featureCount;
        ClassCount = classCount;
        _features = features.ToArray();
        _labels = labels.ToArray();
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    public int ClassCount { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _labels.Length;

    /// <summary>All features, Count x FeatureCount row-major.</summary>
    public ReadOnlySpan<int> Features => _features;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>
    /// Loads a CSV file, gzip-compressed or not (recognised by the gzip magic bytes). Features must lie in
    /// [<paramref name="minFeature"/>, <paramref name="maxFeature"/>]; <paramref name="featureCount"/> and
    /// <paramref name="classCount"/>, when given, are checked, otherwise taken from the first line and the largest label.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is malformed or out of range (the message names the line and field).</exception>
    public static IntegerDataset Load(string path, int? featureCount = null, int? classCount = null, int minFeature = int.MinValue, int maxFeature = int.MaxValue)
    {
        using var file = File.OpenRead(path);
        return Load(file, featureCount, classCount, minFeature, maxFeature);
    }

    /// <summary>Loads from a stream, gzip-compressed or not; see <see cref="Load(string, int?, int?, int, int)"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed or out of range (the message names the line and field).</exception>
    public static IntegerDataset Load(Stream stream, int? featureCount = null, int? classCount = null, int minFeature = int.MinValue, int maxFeature = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var seekable = stream.CanSeek ? stream : CopyToMemory(stream);
        long start = seekable.Position;
        int b0 = seekable.ReadByte(), b1 = seekable.ReadByte();
        seekable.Position = start;
        bool gzip = b0 == 0x1f && b1 == 0x8b;
        using var inner = gzip ? new GZipStream(seekable, CompressionMode.Decompress, leaveOpen: true) : null;
        using var reader = new StreamReader(inner ?? seekable, leaveOpen: true);
        return Parse(reader, featureCount, classCount, minFeature, maxFeature);
    }

    private static MemoryStream CopyToMemory(Stream stream)
    {
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }

    /// <summary>Parses uncompressed CSV text; see <see cref="Load(string, int?, int?, int, int)"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed or out of range (the message names the line and field).</exception>
    public static IntegerDataset Parse(TextReader reader, int? featureCount = null, int? classCount = null, int minFeature = int.MinValue, int maxFeature = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var features = new List<int>();
        var labels = new List<int>();
        int lineNumber = 0, maxLabel = -1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split(',');
            featureCount ??= fields.Length - 1;
            if (featureCount < 1 || fields.Length != featureCount + 1)
                throw new InvalidDataException($"Line {lineNumber}: expected {featureCount + 1} comma-separated integers, got {fields.Length}.");
            for (int i = 0; i < featureCount; i++)
            {
                if (!int.TryParse(fields[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int p) || p < minFeature || p > maxFeature)
                    throw new InvalidDataException($"Line {lineNumber}, field {i + 1}: '{fields[i]}' is not an integer in {minFeature}..{maxFeature}.");
                features.Add(p);
            }
            var labelText = fields[featureCount.Value];
            if (!int.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out int label) || (classCount is { } k && label >= k))
                throw new InvalidDataException($"Line {lineNumber}: label '{labelText}' is not in 0..{(classCount is { } k2 ? (k2 - 1).ToString(CultureInfo.InvariantCulture) : "2^31-1")}.");
            maxLabel = Math.Max(maxLabel, label);
            labels.Add(label);
        }
        if (labels.Count == 0) throw new InvalidDataException("The data set has no rows.");
        return new IntegerDataset(featureCount!.Value, classCount ?? maxLabel + 1, features.ToArray(), labels.ToArray());
    }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public IntegerDataset Select(ReadOnlySpan<int> rows)
    {
        var features = new int[rows.Length * FeatureCount];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"Row index must be in [0, {Count}).");
            _features.AsSpan(rows[i] * FeatureCount, FeatureCount).CopyTo(features.AsSpan(i * FeatureCount));
            labels[i] = _labels[rows[i]];
        }
        return new IntegerDataset(FeatureCount, ClassCount, features, labels);
    }

    /// <summary>The first <paramref name="trainCount"/> rows as the training set, the rest as the test set, in file order.</summary>
    public (IntegerDataset Train, IntegerDataset Test) SplitInOrder(int trainCount)
    {
        if ((uint)trainCount > (uint)Count) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"Must be in [0, {Count}].");
        var order = Enumerable.Range(0, Count).ToArray();
        return (Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>
    /// Shuffles the row order with <see cref="Random.Shuffle{T}(Span{T})"/> of <see cref="Random"/>(<paramref name="seed"/>)
    /// and returns the first <paramref name="trainCount"/> rows as the training set and the rest as the test set.
    /// </summary>
    public (IntegerDataset Train, IntegerDataset Test) Split(int trainCount, int seed)
    {
        if ((uint)trainCount > (uint)Count) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"Must be in [0, {Count}].");
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        return (Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>Quantizes every feature with <paramref name="quantization"/> to scale 2^<paramref name="fractionBits"/>.</summary>
    public QuantizedDataset Quantize(InputQuantization quantization, int fractionBits)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        var inputs = new long[_features.Length];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = quantization.Quantize(_features[i], fractionBits);
        return new QuantizedDataset(FeatureCount, inputs, _labels);
    }
}
