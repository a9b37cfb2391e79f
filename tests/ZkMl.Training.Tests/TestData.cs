using ZkMl.Models;

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

    /// <summary>Random rows with inputs in [0, 2^f] and labels in [0, OutputSize), for tiny networks.</summary>
    public static QuantizedDataset Synthetic(QuantizedMlpConfig c, int rows, int seed)
    {
        var rng = new Random(seed);
        var inputs = Enumerable.Range(0, rows * c.InputSize).Select(_ => FixedPoint.QuantizePixel(rng.Next(17), c.FractionBits)).ToArray();
        var labels = Enumerable.Range(0, rows).Select(_ => rng.Next(c.OutputSize)).ToArray();
        return new QuantizedDataset(c.InputSize, inputs, labels);
    }

    /// <summary>A deep copy through JSON.</summary>
    public static TrainingTranscript Clone(TrainingTranscript t) => TrainingTranscript.Parse(t.ToJsonBytes());

    /// <summary>A copy with some fields replaced.</summary>
    public static TrainingTranscript With(TrainingTranscript t, IReadOnlyList<byte[]>? commitments = null, byte[]? datasetRoot = null,
        IReadOnlyList<TranscriptStepProof>? proofs = null) => new()
    {
        Backend = t.Backend, Network = t.Network, DatasetRoot = datasetRoot ?? t.DatasetRoot, DatasetRows = t.DatasetRows,
        VerifyingKey = t.VerifyingKey, ProofPlan = t.ProofPlan, InitialWeights = t.InitialWeights, FinalWeights = t.FinalWeights,
        Commitments = commitments ?? t.Commitments, Proofs = proofs ?? t.Proofs,
    };

    /// <summary>The first <paramref name="rows"/> digits, quantized.</summary>
    public static QuantizedDataset SmallDigits(int rows, int fractionBits) =>
        LoadDigits().Select(Enumerable.Range(0, rows).ToArray()).Quantize(fractionBits);
}
