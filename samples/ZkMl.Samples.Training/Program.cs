using System.Diagnostics;
using System.Security.Cryptography;
using Spectre.Console;
using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Onnx;
using ZkMl.Samples.Training;
using ZkMl.Samples.Training.Report;
using ZkMl.Training;
using ZkMl.Training.Contract;

// Verifiable training end to end: a data owner commits to the digits training set, the worker and an auditor agree on a
// training contract, the worker trains a quantized MLP on the schedule the auditor's challenge fixes, publishes the chain of
// weight commitments and proves the steps the audit draws, and a verifier holding only the contract (plus, for Groth16,
// the trusted verifying keys it pins) checks the transcript file. Any network the backend's limits fit (depth, biases);
// --prove-steps none commits the chain under a commit-only contract and proves nothing, for any shape.

if (!Options.TryParse(args, out var options, out int exitCode)) return exitCode;

bool interactive = !options.Quiet && !Console.IsOutputRedirected;
void Say(string markup)
{
    if (!options.Quiet) AnsiConsole.MarkupLine(markup);
}

// 1. Data (digits: 1,400 training rows, 397 test rows, fixed split; MNIST: 8,000 / 2,000) and the network.
SampleData data;
QuantizedNetworkConfig networkConfig;
try
{
    data = SampleData.Load(options.Data, options.Seed);
    var description = NetworkDescription.Create(data.Train.FeatureCount, options.Layers ?? [options.Hidden ?? 32], data.Train.ClassCount, options.Bias);
    networkConfig = new QuantizedNetworkConfig(description) { BatchSize = options.BatchSize ?? 16 };
    if (options.LearningRate is { } rate) networkConfig = networkConfig with { LearningRateNumerator = rate.Numerator, LearningRateShift = rate.Shift };
    networkConfig.Validate();
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var train = data.Train.Quantize(data.Quantization, networkConfig.FractionBits);
var test = data.Test.Quantize(data.Quantization, networkConfig.FractionBits);
var net = networkConfig.Network;
bool commitOnly = !options.ProveSteps;
if (networkConfig.BatchSize > train.Count)
{
    Console.Error.WriteLine($"--batch {networkConfig.BatchSize} exceeds the {train.Count} training rows.");
    return 2;
}
int steps = options.Epochs * SeededBatchSchedule.StepsPerEpoch(train.Count, networkConfig.BatchSize);
string auditText = commitOnly ? "none" : options.Audit == AuditPolicy.AllSteps ? "all" : $"sample:{options.AuditSampleCount}";
if (!commitOnly && options.Audit == AuditPolicy.SampleSteps && options.AuditSampleCount > steps)
{
    Console.Error.WriteLine($"--audit sample:{options.AuditSampleCount} exceeds the {steps} steps of the run.");
    return 2;
}
Say($"[bold]ZkMl verifiable training[/]: {net} ReLU MLP on {Markup.Escape(data.Name)}, batch {networkConfig.BatchSize}, " +
    $"f={networkConfig.FractionBits}, lr={networkConfig.LearningRateNumerator}/2^{networkConfig.LearningRateShift}, {options.Epochs} epochs = {steps} steps, " +
    (commitOnly ? "[bold]commit only[/] (--prove-steps none: the chain is committed and signed, no step is proven)" : $"backend [bold]{options.Backend}[/], audit [bold]{auditText}[/]") +
    $", challenge [bold]{options.Challenge}[/]");

// 2. Which backends can prove this shape (decided from the shape alone), then the data owner commits to the (hidden)
// training rows and the setup runs for the shape. A commit-only run uses the STARK backend's transparent commitments.
Backend backend = commitOnly ? Backend.Stark : options.Backend;
if (!commitOnly)
{
    var refusals = Enum.GetValues<Backend>().Select(b => (Backend: b, Reason: BackendLimits.Refusal(b, networkConfig, train.Count))).ToList();
    foreach (var (b, reason) in refusals)
        Say(reason is null ? $"  {b}: fits {net}" : $"  {b}: [yellow]refuses[/]: {Markup.Escape(reason)}");
    if (refusals.First(r => r.Backend == backend).Reason is { } refused)
    {
        var fitting = refusals.Where(r => r.Reason is null).Select(r => r.Backend.ToString().ToLowerInvariant()).ToList();
        Console.Error.WriteLine($"{refused} " +
            (fitting.Count > 0 ? $"(--backend {string.Join(" or ", fitting)} fits; " : "(") + "--prove-steps none trains and commits it without proofs.)");
        return 2;
    }
}
var sw = Stopwatch.StartNew();
DatasetCommitment dataset;
TrainingKeys keys;
double setupSeconds;
try
{
    dataset = DatasetCommitment.Create(train, networkConfig, backend);
    Say($"Dataset committed: {dataset.RowCount} rows, root {Convert.ToHexString(dataset.Root.Span)[..16]}... ({sw.Elapsed.TotalSeconds:F1} s)");
    sw.Restart();
    keys = commitOnly ? TrainingKeys.ForCommitmentsOnly(networkConfig, dataset.RowCount)
        : options.CeremonyParties is int parties && backend == Backend.Groth16
        ? SampleCeremony.Run(networkConfig.ToMlp(), dataset.RowCount, parties, options.CeremonyPtau, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Output))!, "ceremony"), m => Say(Markup.Escape(m)))
        : SetupProgress.Create(interactive, backend, networkConfig, dataset.RowCount);
    setupSeconds = sw.Elapsed.TotalSeconds;
}
catch (NotSupportedException e)
{
    Console.Error.WriteLine($"The {backend} backend refuses {net}: {e.Message} (--prove-steps none trains and commits it without proofs.)");
    return 2;
}
Say(commitOnly ? "Commit only: no setup (nothing is proven)"
    : backend == Backend.Groth16
    ? $"Groth16 setup ({(options.CeremonyParties is int n ? $"{n}-party ceremony" : "single-party, for local use only")}): {setupSeconds:F1} s, step key SHA-256 {Convert.ToHexString(keys.Groth16VerifyingKeys!.StepSha256.AsSpan())[..16]}..."
    : $"{options.Backend}: transparent setup ({setupSeconds:F1} s)");

// 3. The worker and the auditor agree on the contract; the auditor (in process here, with its own key) answers challenges.
using var worker = WorkerKey.Create();
using var auditorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
bool interactiveChallenge = options.Challenge == ChallengeSourceKind.Interactive;
var contract = TrainingContracts.Create(keys, dataset, new ContractTerms
{
    StepCount = steps,
    WorkerPublicKey = [.. worker.PublicKey],
    Audit = commitOnly ? AuditPolicy.SampleSteps : options.Audit,
    AuditSampleCount = commitOnly ? 0 : options.AuditSampleCount,
    ChallengeSource = options.Challenge,
    AuditorPublicKey = interactiveChallenge ? [.. auditorKey.ExportSubjectPublicKeyInfo()] : [],
    AnswerWindowSeconds = interactiveChallenge ? 24 * 3600 : 0,
    InputQuantization = TrainingContracts.CodeOf(data.Quantization),
});
IChallengeSource challenges = interactiveChallenge ? InteractiveChallenge.ForAuditor(contract, auditorKey) : new FiatShamirChallenge(contract);
Say($"Contract {Convert.ToHexString(contract.Digest())[..16]}...: {steps} steps, audit {auditText}, {options.Challenge} challenges" +
    (interactiveChallenge ? "" : " [yellow](grindable: for local runs only)[/]"));
if (options.ContractPath is not null) ContractFile.Write(options.ContractPath, contract);

// 4. The worker trains on the scheduled rows, commits after every step, and proves the audited steps.
var prover = TrainingProvers.Create(keys, dataset, contract, worker);
if (options.Tamper is { } mode)
    Say($"[yellow]Tamper:[/] the worker will {(mode == TamperMode.Skip ? "skip" : "alter")} every update; the audit decides which step exposes it.");

var proveTimes = new List<double>();
var proofSizes = new List<int>();
var provenSteps = new List<int>();
TrainingTranscript transcript = null!;
void OnStepProven(StepProof proof, TimeSpan elapsed)
{
    proveTimes.Add(elapsed.TotalSeconds);
    proofSizes.Add(proof.Proof.Length);
    provenSteps.Add(proof.Step);
}
void RunTraining(IProgress<TrainingProgress>? progress) =>
    transcript = options.Tamper is { } tamper
        ? DishonestWorker.Train(prover, challenges, tamper, progress, OnStepProven)
        : prover.Train(challenges, null, progress, OnStepProven);

sw.Restart();
if (interactive)
{
    AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(ctx =>
        {
            var trainTask = ctx.AddTask("Training + commitments", maxValue: steps + 1);
            var proveTask = ctx.AddTask("Proving steps", autoStart: false, maxValue: 1);
            RunTraining(new SynchronousProgress<TrainingProgress>(p =>
            {
                if (p.Phase == "train") trainTask.Value = p.Done;
                else
                {
                    if (!proveTask.IsStarted) proveTask.StartTask();
                    proveTask.MaxValue = p.Total;
                    proveTask.Value = p.Done + p.StepFraction;
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

// 5. A verifier holding the contract (and, for Groth16, the keys it pins) reads the transcript file.
var answeredAt = DateTimeOffset.UtcNow;
var published = TrainingTranscript.Load(options.Output);
sw.Restart();
var verifier = TrainingVerifier.Create(contract,
    interactiveChallenge ? InteractiveChallenge.ForVerifier(contract, answeredAt) : new FiatShamirChallenge(contract),
    keys.Groth16VerifyingKeys);
var result = verifier.VerifyRun(published);
double verifySeconds = sw.Elapsed.TotalSeconds;

double accBefore = published.InitialWeights.ToNetwork(networkConfig).Accuracy(test);
var finalModel = published.FinalWeights.ToNetwork(networkConfig);
double accAfter = finalModel.Accuracy(test);
if (options.OnnxPath is { } onnxPath)
{
    // The published final weights with the commitment that closes the chain: verify-run --onnx checks both against the run.
    AtomicFile.WriteAllBytes(onnxPath, OnnxModel.Export(finalModel, data.Quantization,
        new OnnxRunMetadata(published.Commitments[^1], contract.Digest())));
    Say($"ONNX model written to {Markup.Escape(onnxPath)} (final weight commitment and contract digest in its metadata)");
}

var table = new Table().AddColumns("", "value");
table.AddRow("backend", commitOnly ? "none (commit only)" : backend.ToString());
table.AddRow("network", $"{net}, batch {networkConfig.BatchSize}");
table.AddRow("steps trained", steps.ToString());
table.AddRow("steps proven", $"{published.Proofs.Count} (audit {auditText}, {options.Challenge} challenges)");
table.AddRow("training speed", $"{steps / Math.Max(workerSeconds, 1e-9):F0} steps/s with commitments" + (commitOnly ? "" : " and proofs"));
table.AddRow("setup", $"{setupSeconds:F2} s");
table.AddRow("worker time (train + commit + prove)", $"{workerSeconds:F1} s");
table.AddRow("prove time / step", proveTimes.Count == 0 ? "-" : $"{proveTimes.Average():F2} s");
table.AddRow("proof size", proofSizes.Count == 0 ? "-" : $"{proofSizes.Average():F0} bytes");
table.AddRow("verify time (whole transcript)", $"{verifySeconds:F2} s" + (result.ProofsVerified > 0 ? $" ({verifySeconds / Math.Max(1, published.Proofs.Count) * 1000:F0} ms / proof)" : ""));
table.AddRow("test accuracy before", $"{accBefore:P1}");
table.AddRow("test accuracy after", $"{accAfter:P1}");
table.AddRow("verification", result.IsValid ? "[green]ACCEPTED[/]" : $"[red]REJECTED[/]: {Markup.Escape(result.Message)}");
table.AddRow("coverage", Markup.Escape(result.Coverage));
if ((options.Quiet || Console.IsOutputRedirected) && commitOnly)
{
    Console.WriteLine($"backend=none network={net} steps={steps} proven=0 worker_s={workerSeconds:F2} steps_per_s={steps / Math.Max(workerSeconds, 1e-9):F0} " +
        $"verify_s={verifySeconds:F2} acc_before={accBefore:F4} acc_after={accAfter:F4} verified={result.IsValid}" +
        (result.IsValid ? "" : $" reason=\"{result.Message}\""));
}
else if (options.Quiet || Console.IsOutputRedirected)
{
    Console.WriteLine($"backend={options.Backend} steps={steps} audit={auditText} challenge={options.Challenge} proven={published.Proofs.Count} " +
        $"prove_s_per_step={(proveTimes.Count == 0 ? 0 : proveTimes.Average()):F2} proof_bytes={(proofSizes.Count == 0 ? 0 : proofSizes.Average()):F0} " +
        $"verify_s={verifySeconds:F2} acc_before={accBefore:F4} acc_after={accAfter:F4} verified={result.IsValid}" +
        (result.IsValid ? "" : $" failed_step={result.FailedStep} reason=\"{result.Message}\""));
}
else
{
    AnsiConsole.Write(table);
}

if (options.ReportDirectory is not null || options.JsonPath is not null)
{
    var report = RunReports.Build(new RunFacts
    {
        Options = options, Args = args, Network = networkConfig, Train = train, Test = test, Transcript = published, Verifier = verifier,
        Result = result, ProvenSteps = provenSteps, ProveSeconds = proveTimes, ProofBytes = proofSizes, SetupSeconds = setupSeconds,
        WorkerSeconds = workerSeconds, VerifySeconds = verifySeconds, AccuracyBefore = accBefore, AccuracyAfter = accAfter,
    });
    if (options.JsonPath is not null) RunReportWriter.WriteJson(report, options.JsonPath);
    if (options.ReportDirectory is not null) RunReportWriter.WriteDirectory(report, options.ReportDirectory);
    Say($"Report written to {options.ReportDirectory ?? options.JsonPath}");
}

bool expected = options.Tamper is null ? result.IsValid : !result.IsValid;
if (options.Tamper is not null)
    Say(result.IsValid
        ? "[yellow]The dishonest transcript was accepted: this must not happen.[/]"
        : $"[green]The verifier rejected the dishonest transcript at step {result.FailedStep}.[/]");
return expected ? 0 : 1;
