
namespace ZkMl.Models.Tests;

internal static class TestData
{
    private static readonly Lazy<DigitsDataset> Digits = new(() => DigitsDataset.Load(DigitsPath));
    private static readonly Lazy<IntegerDataset> Mnist = new(() => IntegerDataset.Load(SampleData("mnist10k.csv.gz"), 784, 10, 0, 255));

    /// <summary>The sample's copy of digits.csv.gz.</summary>
    public static string DigitsPath => SampleData("digits.csv.gz");

    /// <summary>A file of the sample's data folder, found by walking up from the test binaries to the repository root.</summary>
    public static string SampleData(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "ZkMl.Samples.Training", "data", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"samples/ZkMl.Samples.Training/data/{name} not found above " + AppContext.BaseDirectory);
    }

    public static DigitsDataset LoadDigits() => Digits.Value;

    /// <summary>The 10,000 MNIST rows (784 pixels 0..255, labels 0..9).</summary>
    public static IntegerDataset LoadMnist() => Mnist.Value;
}
