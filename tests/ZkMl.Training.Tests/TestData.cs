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

    /// <summary>A copy with some fields replaced, unsigned (sign it again with <see cref="Sign"/> when the test needs a valid signature).</summary>
    public static TrainingTranscript With(TrainingTranscript t, IReadOnlyList<byte[]>? commitments = null, IReadOnlyList<TranscriptStepProof>? proofs = null,
        byte[]? contract = null, TranscriptChallenge? schedule = null, TranscriptChallenge? audit = null, bool dropAudit = false,
        TranscriptWeights? initial = null, TranscriptWeights? final = null) => new()
    {
        Contract = contract ?? t.Contract, ScheduleChallenge = schedule ?? t.ScheduleChallenge, AuditChallenge = dropAudit ? null : audit ?? t.AuditChallenge,
        InitialWeights = initial ?? t.InitialWeights, FinalWeights = final ?? t.FinalWeights,
        Commitments = commitments ?? t.Commitments, Proofs = proofs ?? t.Proofs, Signature = t.Signature,
    };

    /// <summary><paramref name="t"/> signed by <paramref name="worker"/> under <paramref name="contract"/>.</summary>
    public static TrainingTranscript Sign(TrainingTranscript t, ZkMl.Training.Contract.WorkerKey worker, ZkMl.Training.Contract.TrainingContract contract) =>
        t.WithSignature(worker.SignTranscript(contract, t.Digest()));

    /// <summary>The first <paramref name="rows"/> digits, quantized.</summary>
    public static QuantizedDataset SmallDigits(int rows, int fractionBits) =>
        LoadDigits().Select(Enumerable.Range(0, rows).ToArray()).Quantize(fractionBits);
}
