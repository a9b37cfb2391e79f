using ZkMl.Models;

namespace ZkMl.Samples.Training;

/// <summary>The sample's training and test rows and how their features are quantized.</summary>
internal sealed record SampleData(string Name, IntegerDataset Train, IntegerDataset Test, InputQuantization Quantization)
{
    /// <summary>
    /// "digits": the UCI digits, 1,400 / 397 rows shuffled with <paramref name="seed"/>; "mnist": the 10,000 MNIST digits,
    /// the first 8,000 rows for training; otherwise a CSV(.gz) path: integer features 0..16 (Pixel16) or 0..255 (Pixel255)
    /// then a label, rows shuffled with <paramref name="seed"/>, 80% for training.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed, or its features lie outside 0..255.</exception>
    public static SampleData Load(string data, int seed)
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "data");
        switch (data.ToLowerInvariant())
        {
            case "digits":
            {
                var (train, test) = DigitsDataset.Load(Path.Combine(folder, "digits.csv.gz")).Split(1400, seed);
                return new SampleData("digits", train.ToIntegerDataset(), test.ToIntegerDataset(), InputQuantization.Pixel16);
            }
            case "mnist":
            {
                var (train, test) = IntegerDataset.Load(Path.Combine(folder, "mnist10k.csv.gz"), 784, 10, 0, 255).SplitInOrder(8000);
                return new SampleData("mnist", train, test, InputQuantization.Pixel255);
            }
            default:
            {
                var all = IntegerDataset.Load(data, minFeature: 0, maxFeature: 255);
                if (all.Count < 2) throw new InvalidDataException($"{data}: needs at least 2 rows, has {all.Count}.");
                int max = 0;
                foreach (int v in all.Features) max = Math.Max(max, v);
                var (train, test) = all.Split(all.Count * 4 / 5, seed);
                return new SampleData(Path.GetFileName(data), train, test, max <= 16 ? InputQuantization.Pixel16 : InputQuantization.Pixel255);
            }
        }
    }
}
