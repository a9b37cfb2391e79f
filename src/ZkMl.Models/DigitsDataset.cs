using System.IO.Compression;

namespace ZkMl.Models;

/// <summary>
/// 8x8 handwritten digits with pixels 0..16 and labels 0..9 (the UCI "Optical Recognition of Handwritten
/// Digits" test set, CC BY 4.0), read from a gzip-compressed CSV of 65 integers a line: 64 pixels, then the label.
/// </summary>
public sealed class DigitsDataset
{
    /// <summary>Pixels per image.</summary>
    public const int PixelCount = 64;
    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    private readonly byte[] _pixels;
    private readonly int[] _labels;

    /// <summary>Creates a data set from <paramref name="pixels"/> (Count x 64, each 0..16) and <paramref name="labels"/> (0..9).</summary>
    public DigitsDataset(ReadOnlySpan<byte> pixels, ReadOnlySpan<int> labels)
    {
        if (pixels.Length != labels.Length * PixelCount)
            throw new ArgumentException($"Expected {labels.Length * PixelCount} pixels for {labels.Length} images, got {pixels.Length}.", nameof(pixels));
        for (int i = 0; i < pixels.Length; i++)
            if (pixels[i] > FixedPoint.MaxPixel) throw new ArgumentOutOfRangeException(nameof(pixels), pixels[i], $"Pixel {i} exceeds {FixedPoint.MaxPixel}.");
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= ClassCount) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Label {i} must be in 0..9.");
        _pixels = pixels.ToArray();
        _labels = labels.ToArray();
    }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>All pixels, Count x 64 row-major.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>All labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>
    /// The 1,797 UCI digits built into this package (E. Alpaydin, C. Kaynak, 1998, UCI Machine Learning Repository,
    /// CC BY 4.0), so samples and tests need no data file.
    /// </summary>
    public static DigitsDataset LoadBuiltIn()
    {
        using var stream = typeof(DigitsDataset).Assembly.GetManifestResourceStream("ZkMl.Models.digits.csv.gz")
            ?? throw new InvalidOperationException("The built-in digits resource is missing from ZkMl.Models.");
        return Load(stream);
    }

    /// <summary>Loads a gzip-compressed CSV file (see the type's remarks).</summary>
    /// <exception cref="InvalidDataException">The file is not gzip or a line is malformed (the message names the line).</exception>
    public static DigitsDataset Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file);
    }

    /// <summary>Loads from a gzip-compressed CSV stream.</summary>
    /// <exception cref="InvalidDataException">The stream is not gzip or a line is malformed (the message names the line).</exception>
    public static DigitsDataset Load(Stream gzipStream)
    {
        using var gzip = new GZipStream(gzipStream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new StreamReader(gzip);
        return Parse(reader);
    }

    /// <summary>Parses uncompressed CSV text: one image a line, 64 pixels then the label; blank lines are skipped (<see cref="IntegerDataset.Parse"/>).</summary>
    /// <exception cref="InvalidDataException">A line is malformed (the message names the line).</exception>
    public static DigitsDataset Parse(TextReader reader) =>
        FromIntegerDataset(IntegerDataset.Parse(reader, PixelCount, ClassCount, 0, FixedPoint.MaxPixel));

    /// <summary>The digits held by a general data set of 64 features in 0..16 and labels in 0..9.</summary>
    public static DigitsDataset FromIntegerDataset(IntegerDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FeatureCount != PixelCount || data.ClassCount > ClassCount)
            throw new ArgumentException($"Digits have {PixelCount} pixels and {ClassCount} classes, the data set {data.FeatureCount} features and {data.ClassCount} classes.", nameof(data));
        var pixels = new byte[data.Features.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            int p = data.Features[i];
            if ((uint)p > FixedPoint.MaxPixel) throw new ArgumentOutOfRangeException(nameof(data), p, $"Pixel {i} is not in 0..{FixedPoint.MaxPixel}.");
            pixels[i] = (byte)p;
        }
        return new DigitsDataset(pixels, data.Labels);
    }

    /// <summary>This data set in the general form (64 features in 0..16, 10 classes).</summary>
    public IntegerDataset ToIntegerDataset()
    {
        var features = new int[_pixels.Length];
        for (int i = 0; i < features.Length; i++) features[i] = _pixels[i];
        return new IntegerDataset(PixelCount, ClassCount, features, _labels);
    }

    /// <summary>The images at <paramref name="rows"/>, in that order.</summary>
    public DigitsDataset Select(ReadOnlySpan<int> rows)
    {
        var pixels = new byte[rows.Length * PixelCount];
        var labels = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            if ((uint)rows[i] >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(rows), rows[i], $"Row index must be in [0, {Count}).");
            _pixels.AsSpan(rows[i] * PixelCount, PixelCount).CopyTo(pixels.AsSpan(i * PixelCount));
            labels[i] = _labels[rows[i]];
        }
        return new DigitsDataset(pixels, labels);
    }

    /// <summary>
    /// Shuffles the row order with <see cref="Random.Shuffle{T}(Span{T})"/> of <see cref="Random"/>(<paramref name="seed"/>)
    /// and returns the first <paramref name="trainCount"/> rows as the training set and the rest as the test set.
    /// </summary>
    public (DigitsDataset Train, DigitsDataset Test) Split(int trainCount, int seed)
    {
        if ((uint)trainCount > (uint)Count) throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"Must be in [0, {Count}].");
        var order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        return (Select(order.AsSpan(0, trainCount)), Select(order.AsSpan(trainCount)));
    }

    /// <summary>Quantizes every pixel p to p &lt;&lt; (f - 4) (scale 2^f; 16 maps to 1.0): <see cref="InputQuantization.Pixel16"/>.</summary>
    public QuantizedDataset Quantize(int fractionBits)
    {
        if (fractionBits < 4) throw new ArgumentOutOfRangeException(nameof(fractionBits), fractionBits, "Pixels 0..16 map exactly only for f >= 4.");
        return ToIntegerDataset().Quantize(InputQuantization.Pixel16, fractionBits);
    }
}
