using System.CommandLine;
using System.Globalization;
using ZkMl.Snark.Formats;
using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Cli.Commands;

/// <summary>
/// <c>zkml verify-run &lt;contract&gt; &lt;transcript.json&gt;</c>: checks a training run against the contract the auditor holds and
/// prints the verdict, the failing step and reason, and what was and was not proven; with <c>--onnx</c>, also whether an exported
/// model holds the run's final committed weights (<see cref="VerifyRunOnnx"/>). Exit 0 accepted, 1 rejected or bad input.
/// </summary>
internal static class VerifyRunCommand
{
    public static Command Create()
    {
        var contract = new Argument<string>("contract") { Description = "the training contract (its canonical encoding, docs/contract.md)" };
        var transcript = new Argument<string>("transcript.json") { Description = "the worker's training transcript" };
        var stepVk = new Option<string?>("--step-vk") { Description = "Groth16: the trusted SGD-step verification_key.json (checked against the contract's pin)" };
        var membershipVk = new Option<string?>("--membership-vk") { Description = "Groth16: the trusted membership verification_key.json (checked against the contract's pin)" };
        var answeredAt = new Option<string?>("--answered-at")
        {
            Description = "interactive challenges: when the transcript reached the auditor (ISO 8601; default: the transcript file's modification time)",
        };
        var onnx = new Option<string?>("--onnx") { Description = "an exported model.onnx: check that its weights are the run's final committed weights and its metadata names the contract" };
        var command = new Command("verify-run", "Verifies a training run against its contract: verdict, failing step, and what was proven.")
        {
            contract, transcript, stepVk, membershipVk, answeredAt, onnx,
        };
        command.SetAction(r => Run(r.GetRequiredValue(contract), r.GetRequiredValue(transcript), r.GetValue(stepVk), r.GetValue(membershipVk),
            r.GetValue(answeredAt), r.GetValue(onnx), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string contractPath, string transcriptPath, string? stepVkPath, string? membershipVkPath, string? answeredAtText,
        string? onnxPath, TextWriter stdout, TextWriter stderr)
    {
        var contract = FileErrors.About(contractPath, () => ContractFile.Read(contractPath));
        var transcript = FileErrors.About(transcriptPath, () => TrainingTranscript.Load(transcriptPath));
        byte[]? onnx = onnxPath is null ? null : FileErrors.About(onnxPath, () => File.ReadAllBytes(onnxPath));
        Groth16VerifyingKeys? keys = null;
        if (contract.Backend == Backend.Groth16)
        {
            if (stepVkPath is null || membershipVkPath is null)
            {
                stderr.WriteLine("error: a Groth16 contract needs --step-vk and --membership-vk (the trusted verifying keys it pins).");
                return 2;
            }
            var step = FileErrors.About(stepVkPath, () => SnarkjsJson.ReadVerifyingKey(stepVkPath));
            var membership = FileErrors.About(membershipVkPath, () => SnarkjsJson.ReadVerifyingKey(membershipVkPath));
            keys = new Groth16VerifyingKeys(step, membership);
        }

        IChallengeSource challenges;
        switch (contract.ChallengeSource)
        {
            case ChallengeSourceKind.Interactive:
                DateTimeOffset answered;
                if (answeredAtText is null) answered = File.GetLastWriteTimeUtc(transcriptPath);
                else if (!DateTimeOffset.TryParse(answeredAtText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out answered))
                {
                    stderr.WriteLine($"error: --answered-at '{answeredAtText}' is not an ISO 8601 time.");
                    return 2;
                }
                challenges = InteractiveChallenge.ForVerifier(contract, answered);
                break;
            case ChallengeSourceKind.FiatShamir:
                challenges = new FiatShamirChallenge(contract);
                stderr.WriteLine("warning: the contract uses Fiat-Shamir challenges, which the worker can grind (docs/contract.md); use an auditor or a beacon for real audits.");
                break;
            default:
                stderr.WriteLine("error: beacon challenges need a publication board; verify them through the library (BeaconChallenge).");
                return 2;
        }

        var verifier = FileErrors.About(contractPath, () => TrainingVerifier.Create(contract, challenges, keys));
        var result = TerminalProgress.Run("verify-run", progress => verifier.VerifyRun(transcript, progress));
        stdout.WriteLine($"contract: {Convert.ToHexStringLower(contract.Digest())} ({contract.Backend}, {contract.StepCount} steps, audit {Audit(contract)})");
        if (result.IsValid)
        {
            stdout.WriteLine("verdict: ACCEPTED");
            stdout.WriteLine($"checked: {result.Message}");
            stdout.WriteLine($"proven: {result.Coverage}");
            if (onnx is null) return 0;
            string? mismatch = VerifyRunOnnx.Mismatch(onnx, verifier, transcript);
            stdout.WriteLine(mismatch is null
                ? $"onnx: MATCHES: {onnxPath} holds the run's final committed weights and names its contract"
                : $"onnx: REJECTED: {onnxPath}: {mismatch}");
            return mismatch is null ? 0 : 1;
        }
        stdout.WriteLine("verdict: REJECTED");
        if (result.FailedStep is int failed) stdout.WriteLine($"failing step: {failed}");
        stdout.WriteLine($"reason: {result.Message}");
        stdout.WriteLine($"proven: {result.Coverage}");
        if (onnx is not null) stdout.WriteLine("onnx: not checked (the run was rejected)");
        return 1;
    }

    private static string Audit(TrainingContract c) =>
        c.Audit == AuditPolicy.AllSteps ? "all steps" : $"{c.AuditSampleCount} sampled step(s) via {c.ChallengeSource}";
}
