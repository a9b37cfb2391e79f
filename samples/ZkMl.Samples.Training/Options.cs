using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Samples.Training;

/// <summary>Command-line options of the sample, parsed by System.CommandLine.</summary>
internal sealed record Options
{
    public Backend Backend { get; init; } = Backend.Groth16;
    public AuditPolicy Audit { get; init; } = AuditPolicy.SampleSteps;
    /// <summary>Steps drawn for <see cref="AuditPolicy.SampleSteps"/>; 0 for all.</summary>
    public int AuditSampleCount { get; init; } = 1;
    public ChallengeSourceKind Challenge { get; init; } = ChallengeSourceKind.Interactive;
    public int Epochs { get; init; } = 30;
    public int Seed { get; init; } = 42;
    public TamperMode? Tamper { get; init; }
    public bool Quiet { get; init; }
    public string Output { get; init; } = "training-transcript.json";
    /// <summary>"digits", "mnist" or a CSV(.gz) path.</summary>
    public string Data { get; init; } = "digits";
    public int? Hidden { get; init; }
    /// <summary>Hidden layer widths (--layers); null: one hidden layer of <see cref="Hidden"/> (default 32).</summary>
    public int[]? Layers { get; init; }
    /// <summary>A bias on every layer.</summary>
    public bool Bias { get; init; }
    /// <summary>ONNX file for the final model; null for none.</summary>
    public string? OnnxPath { get; init; }
    /// <summary>File for the run's contract (canonical encoding, for zkml verify-run); null for none.</summary>
    public string? ContractPath { get; init; }
    /// <summary>False for --prove-steps none: train and commit under a commit-only contract, proving no step.</summary>
    public bool ProveSteps { get; init; } = true;
    /// <summary>Groth16 only: run an N-party ceremony for the keys instead of the single-party development setup.</summary>
    public int? CeremonyParties { get; init; }
    /// <summary>With --ceremony: a published phase-2-prepared powers of tau to start phase 2 from.</summary>
    public string? CeremonyPtau { get; init; }
    public int? BatchSize { get; init; }
    /// <summary>Learning rate eta / 2^s (--lr); null for the default 13/2^11.</summary>
    public (int Numerator, int Shift)? LearningRate { get; init; }
    /// <summary>Folder for the run report (PNG plots and index.html); null for none.</summary>
    public string? ReportDirectory { get; init; }
    /// <summary>File for the run's summary and per-step figures as JSON; null for none.</summary>
    public string? JsonPath { get; init; }

    /// <summary>
    /// Parses <paramref name="args"/>. False when the program should stop with <paramref name="exitCode"/>: 0 after
    /// printing the help, 2 after printing the first error and the help on stderr.
    /// </summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out Options? options, out int exitCode)
    {
        var defaults = new Options();
        var backend = Valued<Backend?>("--backend", "groth16|stark|sumcheck", "proof system (default groth16)", b => b.ToLowerInvariant() switch
        {
            "groth16" => Backend.Groth16,
            "stark" => Backend.Stark,
            "sumcheck" => Backend.Sumcheck,
            _ => throw new ArgumentException($"Unknown backend '{b}': use groth16, stark or sumcheck."),
        });
        var audit = Valued("--audit", "all|sample:N", "which steps are proven: all, or N drawn by the challenge after training (default sample:1)", ParseAudit);
        var challenge = Valued<ChallengeSourceKind?>("--challenge", "interactive|fiat-shamir",
            "challenge source: an in-process auditor with its own key, or a hash of the worker's commitments (grindable; default interactive)",
            c => c.ToLowerInvariant() switch
            {
                "interactive" => ChallengeSourceKind.Interactive,
                "fiat-shamir" => ChallengeSourceKind.FiatShamir,
                _ => throw new ArgumentException($"Unknown challenge source '{c}': use interactive or fiat-shamir."),
            });
        var epochs = Integer("--epochs", 1, "training epochs (default 30)");
        var seed = Integer("--seed", 0, "train/test split seed (default 42); the batch order and initial weights come from the challenge");
        var hidden = Integer("--hidden", 1, "hidden units (default 32)");
        var batch = Integer("--batch", 1, "batch size (default 16)");
        var lr = Valued<(int, int)?>("--lr", "ETA/2^S", "learning rate on the batch's summed gradient, e.g. 13/4096 (default 13/2048)", ParseLearningRate);
        var tamper = new Option<TamperMode?>("--tamper")
        {
            Description = "a dishonest worker skips or alters every update; verification must reject the first audited step (no value: alter)",
            HelpName = "skip|alter",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = r => r.Tokens.Count == 0
                ? TamperMode.Alter
                : Checked(r, () => r.Tokens[0].Value.ToLowerInvariant() switch
                {
                    "skip" => TamperMode.Skip,
                    "alter" => TamperMode.Alter,
                    var m => throw new ArgumentException($"Unknown tamper mode '{m}': use skip or alter."),
                }),
        };
        var output = Valued("--out", "PATH", "transcript file (default training-transcript.json)", p => p);
        var data = Valued("--data", "digits|mnist|PATH", "data set: the 8x8 digits (default), 10,000 MNIST digits, or a CSV(.gz) of integer features then a label", p => p);
        var layers = Valued("--layers", "W1,W2,...", "hidden layer widths, e.g. 128 or 256,64 (default: one layer of --hidden units)", ParseLayers);
        var bias = new Option<bool>("--bias") { Description = "a bias on every layer" };
        var onnx = Valued("--onnx", "PATH", "export the final model as ONNX, with the run's final weight commitment and contract digest as metadata", p => p);
        var contractFile = Valued("--contract", "PATH", "write the run's contract (its canonical encoding) for zkml verify-run", p => p);
        // A string, not a bool: System.CommandLine only hands a bool option the tokens "true" and "false".
        var proveSteps = Valued<string?>("--prove-steps", "audit|none",
            "audit: prove the steps --audit selects (default); none: train and commit the chain under a commit-only contract, no proofs (any shape)",
            p => p.ToLowerInvariant() switch
            {
                "audit" => "audit",
                "none" => "none",
                _ => throw new ArgumentException($"Unknown --prove-steps '{p}': use audit or none."),
            });
        var report = Valued("--report", "DIR", "write a run report: accuracy, loss and step plots (PNG) and index.html", p => p);
        var json = Valued("--json", "PATH", "write the run's summary and per-step figures as JSON", p => p);
        var ceremony = Integer("--ceremony", 1, "Groth16: keys from an N-party powers-of-tau and phase-2 ceremony (snarkjs-compatible files under ceremony/) instead of the single-party setup; small shapes only (e.g. --hidden 4 --batch 2)");
        var ptau = Valued("--ptau", "PATH", "with --ceremony: a published phase-2-prepared powers of tau (e.g. Hermez's) instead of running phase 1 here (minutes at 2^15)", p => p);
        var quiet = new Option<bool>("--quiet", "-q") { Description = "only the summary (also when output is redirected)" };
        var root = new RootCommand("Verifiable training of a quantized MLP (default 64-32-10 on the UCI digits), with proofs of the SGD steps.")
        {
            backend, audit, challenge, epochs, seed, hidden, layers, bias, batch, lr, tamper, output, data, report, json, onnx, contractFile, proveSteps, ceremony, ptau, quiet,
        };

        var result = root.Parse(args);
        options = null;
        // --help, --version and directives act and stop; the sample itself has no action.
        if (result.Action is not null and not ParseErrorAction)
        {
            exitCode = result.Invoke();
            return false;
        }
        string? conflict = null;
        if (result.Errors.Count == 0 && result.GetResult(hidden) is not null && result.GetResult(layers) is not null)
            conflict = "Use --layers or --hidden, not both.";
        else if (result.Errors.Count == 0 && result.GetValue(proveSteps) == "none"
                 && new Option[] { report, json, tamper }.Any(o => result.GetResult(o) is not null))
            conflict = "--report, --json and --tamper describe a proven run; they do not combine with --prove-steps none.";
        else if (result.Errors.Count == 0 && result.GetResult(ceremony) is not null && result.GetValue(backend) is not null and not Backend.Groth16)
            conflict = "--ceremony makes Groth16 keys; the STARK backend needs no setup.";
        if (result.Errors.Count > 0 || conflict is not null)
        {
            // Errors on the command itself are unmatched tokens; an option's own error says more, so it goes first.
            var optionError = result.Errors.FirstOrDefault(e => e.SymbolResult is not CommandResult);
            Console.Error.WriteLine(conflict ?? optionError?.Message
                                    ?? (result.UnmatchedTokens.Count > 0 ? $"Unknown option '{result.UnmatchedTokens[0]}'." : result.Errors[0].Message));
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = Console.Error });
            exitCode = 2;
            return false;
        }
        exitCode = 0;
        options = new Options
        {
            Backend = result.GetValue(backend) ?? defaults.Backend,
            Audit = result.GetValue(audit)?.Policy ?? defaults.Audit,
            AuditSampleCount = result.GetValue(audit)?.Count ?? defaults.AuditSampleCount,
            Challenge = result.GetValue(challenge) ?? defaults.Challenge,
            Epochs = result.GetValue(epochs) ?? defaults.Epochs,
            Seed = result.GetValue(seed) ?? defaults.Seed,
            Tamper = result.GetValue(tamper),
            Quiet = result.GetValue(quiet),
            Output = result.GetValue(output) ?? defaults.Output,
            Data = result.GetValue(data) ?? defaults.Data,
            Hidden = result.GetValue(hidden),
            Layers = result.GetResult(layers) is null ? null : result.GetValue(layers), // an absent array option reads as empty
            Bias = result.GetValue(bias),
            OnnxPath = result.GetValue(onnx),
            ContractPath = result.GetValue(contractFile),
            ProveSteps = result.GetValue(proveSteps) is { } prove ? prove == "audit" : defaults.ProveSteps,
            BatchSize = result.GetValue(batch),
            LearningRate = result.GetValue(lr),
            ReportDirectory = result.GetValue(report),
            JsonPath = result.GetValue(json),
            CeremonyParties = result.GetValue(ceremony),
            CeremonyPtau = result.GetValue(ptau),
        };
        return true;
    }

    private static (int, int)? ParseLearningRate(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int eta) && eta is >= 1 and < 1 << 20
            && long.TryParse(parts[1].Replace("2^", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out long d))
        {
            int shift = parts[1].StartsWith("2^", StringComparison.Ordinal) ? (int)Math.Min(d, 99) : d >= 1 && long.IsPow2(d) ? (int)long.Log2(d) : -1;
            if (shift is >= 0 and <= 24) return (eta, shift);
        }
        throw new ArgumentException($"--lr needs ETA/2^S or ETA/D with D a power of two (ETA 1..2^20-1, S 0..24), e.g. 13/4096; got '{text}'.");
    }

    private static int[] ParseLayers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new ArgumentException($"--layers needs comma-separated widths >= 1, e.g. 128 or 256,64; got '{text}'.");
        if (widths.Length > 7) throw new ArgumentException($"--layers names {widths.Length} hidden layers; a network has at most 8 layers in all.");
        return widths;
    }

    private static (AuditPolicy Policy, int Count)? ParseAudit(string text)
    {
        text = text.Trim().ToLowerInvariant();
        if (text == "all") return (AuditPolicy.AllSteps, 0);
        if (text.StartsWith("sample:", StringComparison.Ordinal)
            && int.TryParse(text["sample:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1)
            return (AuditPolicy.SampleSteps, n);
        throw new ArgumentException($"Unknown audit '{text}': use all or sample:N with N >= 1.");
    }

    // An option with one value, parsed by parse; a missing or rejected value is reported with the option's name.
    private static Option<T> Valued<T>(string name, string helpName, string description, Func<string, T> parse) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = r => Checked(r, () => r.Tokens.Count == 1 ? parse(r.Tokens[0].Value) : throw new ArgumentException($"{name} needs a value.")),
    };

    private static Option<int?> Integer(string name, int min, string description) => Valued<int?>(name, "N", description, s =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min
            ? v
            : throw new ArgumentException($"{name} needs an integer >= {min}."));

    private static T? Checked<T>(ArgumentResult result, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            result.AddError(e.Message);
            return default;
        }
    }
}
