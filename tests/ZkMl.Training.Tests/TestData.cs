using ZkMl.Circuits.Quantized;

namespace ZkMl.Training.Tests;

internal static class TestData
{
    private static readonly Lazy<DigitsDataset> Digits = new(() => DigitsDataset.Load(DigitsPath));

    public static string DigitsPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "samples", "ZkMl.Samples.Training", "data", "digits.csv.gz");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("samples/ZkMl.Samples.Training/data/digits.csv.gz not found above " + AppContext.BaseDirectory);
        }
    }

    public static DigitsDataset LoadDigits() => Digits.Value;

    /// <summary>The first <paramref name="rows"/> digits, quantized.</summary>
    public static QuantizedDataset SmallDigits(int rows, int fractionBits) =>
        LoadDigits().Select(Enumerable.Range(0, rows).ToArray()).Quantize(fractionBits);
}
