
namespace ZkMl.Models.Tests;

internal static class TestData
{
    private static readonly Lazy<DigitsDataset> Digits = new(() => DigitsDataset.Load(DigitsPath));

    /// <summary>The sample's copy of digits.csv.gz, found by walking up from the test binaries to the repository root.</summary>
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
}
