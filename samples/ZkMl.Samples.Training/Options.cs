using System.Globalization;
using ZkMl.Training;

namespace ZkMl.Samples.Training;

/// <summary>Command-line options of the sample.</summary>
internal sealed record Options
{
    public Backend Backend { get; init; } = Backend.Groth16;
    public ProofPlan Plan { get; init; } = ProofPlan.Parse("first:1");
    public int Epochs { get; init; } = 30;
    public int Seed { get; init; } = 42;
    public TamperMode? Tamper { get; init; }
    public bool Quiet { get; init; }
    public string Output { get; init; } = "training-transcript.json";
    public string? DataPath { get; init; }
    public int? Hidden { get; init; }
    public int? BatchSize { get; init; }
    public bool Help { get; init; }

    public const string Usage = """
        Verifiable training of a 64-32-10 quantized MLP on the UCI digits, with proofs of the SGD steps.

        usage: ZkMl.Samples.Training [options]
          --backend groth16|stark   proof system (default groth16)
          --prove-steps PLAN        all | first:N | every:K | random:N  (default first:1)
          --epochs N                training epochs (default 30)
          --seed N                  split, initialisation and batch-order seed (default 42)
          --hidden N                hidden units (default 32)
          --batch N                 batch size (default 16)
          --tamper [skip|alter]     a dishonest worker skips or alters one proven update; verification must reject it
          --out PATH                transcript file (default training-transcript.json)
          --data PATH               digits.csv.gz (default: the copy next to the program)
          --quiet                   only the summary (also when output is redirected)
          -h, --help                this text
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs an integer >= {min}.");
            o = a switch
            {
                "--backend" => o with
                {
                    Backend = Next().ToLowerInvariant() switch
                    {
                        "groth16" => Backend.Groth16,
                        "stark" => Backend.Stark,
                        var b => throw new ArgumentException($"Unknown backend '{b}': use groth16 or stark."),
                    },
                },
                "--prove-steps" => o with { Plan = ProofPlan.Parse(Next()) },
                "--epochs" => o with { Epochs = NextInt(1) },
                "--seed" => o with { Seed = NextInt(0) },
                "--hidden" => o with { Hidden = NextInt(1) },
                "--batch" => o with { BatchSize = NextInt(1) },
                "--tamper" => o with
                {
                    Tamper = i + 1 < args.Length && !args[i + 1].StartsWith('-')
                        ? Next().ToLowerInvariant() switch
                        {
                            "skip" => TamperMode.Skip,
                            "alter" => TamperMode.Alter,
                            var m => throw new ArgumentException($"Unknown tamper mode '{m}': use skip or alter."),
                        }
                        : TamperMode.Alter,
                },
                "--out" => o with { Output = Next() },
                "--data" => o with { DataPath = Next() },
                "--quiet" or "-q" => o with { Quiet = true },
                "--help" or "-h" => o with { Help = true },
                _ => throw new ArgumentException($"Unknown option '{a}'."),
            };
        }
        return o;
    }
}
