using System.Diagnostics;
using Spectre.Console;
using ZkMl.Models;
using ZkMl.Samples.Training;
using ZkMl.Training;

// Verifiable training end to end: a data owner commits to the digits training set, a worker trains a quantized MLP,
// publishes the chain of weight commitments and proves the audited steps, and an independent verifier checks the
// transcript file alone (plus the setup's published key fingerprint for Groth16).

if (!Options.TryParse(args, out var options, out int exitCode)) return exitCode;

bool interactive = !options.Quiet && !Console.IsOutputRedirected;
void Say(string markup)
{
    if (!options.Quiet) AnsiConsole.MarkupLine(markup);
}

// 1. Data: 1,400 training rows, 397 test rows, fixed split.
string dataPath = options.DataPath ?? Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
var digits = DigitsDataset.Load(dataPath);
var (trainSet, testSet) = digits.Split(1400, options.Seed);
var network = new QuantizedMlpConfig
{
    HiddenSize = options.Hidden ?? 32,
    BatchSize = options.BatchSize ?? 16,
};
network.Validate();
var train = trainSet.Quantize(network.FractionBits);
var test = testSet.Quantize(network.FractionBits);
var batches = BatchSchedule.Create(train.Count, network.BatchSize, options.Epochs, options.Seed);
Say($"[bold]ZkMl verifiable training[/]: {network.InputSize}-{network.HiddenSize}-{network.OutputSize} ReLU MLP, batch {network.BatchSize}, " +
    $"f={network.FractionBits}, lr={network.LearningRateNumerator}/2^{network.LearningRateShift}, {options.Epochs} epochs = {batches.Count} steps, " +
    $"backend [bold]{options.Backend}[/], proof plan [bold]{options.Plan}[/]");

// 2. Data owner commits to the (hidden) training rows; setup for the shape.
var sw = Stopwatch.StartNew();
DatasetCommitment dataset;
try
{
    dataset = DatasetCommitment.Create(train, network, options.Backend);
}
catch (NotSupportedException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
Say($"Dataset committed: {dataset.RowCount} rows, root {Convert.ToHexString(dataset.Root.Span)[..16]}... ({sw.Elapsed.TotalSeconds:F1} s)");
sw.Restart();
var keys = TrainingSetup.Create(options.Backend, network, dataset.RowCount);
double setupSeconds = sw.Elapsed.TotalSeconds;
Say(options.Backend == Backend.Groth16
    ? $"Groth16 setup: {setupSeconds:F1} s, verifying key fingerprint {Convert.ToHexString(keys.VerifyingKeyFingerprint!)[..16]}..."
    : $"STARK: transparent setup ({setupSeconds:F1} s)");

// 3. The worker trains, commits after every step and proves the planned steps.
var prover = TrainingProvers.Create(keys, dataset);
var initial = QuantizedMlp.CreateInitial(network, options.Seed);
(int Step, TamperMode Mode)? tamper = null;
if (options.Tamper is { } mode)
{
    int step = options.Plan.DependsOnChain
        ? batches.Count / 2
        : options.Plan.SelectSteps(batches.Count, dataset.Root.Span, []).DefaultIfEmpty(0).Max();
    tamper = (step, mode);
    Say($"[yellow]Tamper:[/] the worker will {(mode == TamperMode.Skip ? "skip" : "alter")} the update of step {step}.");
}

var proveTimes = new List<double>();
var proofSizes = new List<int>();
TrainingTranscript transcript = null!;
void OnStepProven(StepProof proof, TimeSpan elapsed)
{
    proveTimes.Add(elapsed.TotalSeconds);
    proofSizes.Add(proof.Proof.Length);
}
void RunTraining(IProgress<TrainingProgress>? progress) =>
    transcript = tamper is { } tp
        ? DishonestWorker.Train(prover, keys.VerifyingKey, initial, batches, options.Plan, tp.Step, tp.Mode, progress, OnStepProven)
        : prover.Train(initial, batches, options.Plan, progress, OnStepProven);

sw.Restart();
if (interactive)
{
    AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(ctx =>
        {
            var trainTask = ctx.AddTask("Training + commitments", maxValue: batches.Count + 1);
            var proveTask = ctx.AddTask("Proving steps", autoStart: false, maxValue: 1);
            RunTraining(new SyncProgress<TrainingProgress>(p =>
            {
                if (p.Phase == "train") trainTask.Value = p.Done;
                else
                {
                    if (!proveTask.IsStarted) proveTask.StartTask();
                    proveTask.MaxValue = p.Total;
                    proveTask.Value = p.Done;
                }
            }));
            proveTask.Value = proveTask.MaxValue;
        });
}
else
{
    RunTraining(null);
}
double workerSeconds = sw.Elapsed.TotalSeconds;
transcript.Save(options.Output);
long transcriptBytes = new FileInfo(options.Output).Length;
Say($"Transcript written to {options.Output} ({transcriptBytes / 1024.0:F0} KiB)");

// 4. An independent verifier reads only the transcript file (and pins the published key fingerprint).
var published = TrainingTranscript.Load(options.Output);
sw.Restart();
var verifier = TrainingVerifier.ForTranscript(published, keys.VerifyingKeyFingerprint ?? default(ReadOnlySpan<byte>));
var result = verifier.VerifyChain(published, dataset.Root.Span);
double verifySeconds = sw.Elapsed.TotalSeconds;

double accBefore = published.InitialWeights.ToModel(network).Accuracy(test);
double accAfter = published.FinalWeights.ToModel(network).Accuracy(test);

var table = new Table().AddColumns("", "value");
table.AddRow("backend", options.Backend.ToString());
table.AddRow("steps trained", batches.Count.ToString());
table.AddRow("steps proven", $"{published.Proofs.Count} ({options.Plan})");
table.AddRow("setup", $"{setupSeconds:F2} s");
table.AddRow("worker time (train + commit + prove)", $"{workerSeconds:F1} s");
table.AddRow("prove time / step", proveTimes.Count == 0 ? "-" : $"{proveTimes.Average():F2} s");
table.AddRow("proof size", proofSizes.Count == 0 ? "-" : $"{proofSizes.Average():F0} bytes");
table.AddRow("verify time (whole transcript)", $"{verifySeconds:F2} s" + (result.ProofsVerified > 0 ? $" ({verifySeconds / Math.Max(1, published.Proofs.Count) * 1000:F0} ms / proof)" : ""));
table.AddRow("test accuracy before", $"{accBefore:P1}");
table.AddRow("test accuracy after", $"{accAfter:P1}");
table.AddRow("verification", result.IsValid ? "[green]ACCEPTED[/]" : $"[red]REJECTED[/]: {Markup.Escape(result.Message)}");
if (options.Quiet || Console.IsOutputRedirected)
{
    Console.WriteLine($"backend={options.Backend} steps={batches.Count} proven={published.Proofs.Count} " +
        $"prove_s_per_step={(proveTimes.Count == 0 ? 0 : proveTimes.Average()):F2} proof_bytes={(proofSizes.Count == 0 ? 0 : proofSizes.Average()):F0} " +
        $"verify_s={verifySeconds:F2} acc_before={accBefore:F4} acc_after={accAfter:F4} verified={result.IsValid}" +
        (result.IsValid ? "" : $" reason=\"{result.Message}\""));
}
else
{
    AnsiConsole.Write(table);
}

bool expected = tamper is null ? result.IsValid : !result.IsValid;
if (tamper is not null)
    Say(result.IsValid
        ? "[yellow]The tampered step was not audited by this plan, so the cheat went unnoticed: audit more steps.[/]"
        : $"[green]The verifier rejected the dishonest transcript at step {result.FailedStep}.[/]");
return expected ? 0 : 1;

/// <summary>An IProgress that reports synchronously on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
