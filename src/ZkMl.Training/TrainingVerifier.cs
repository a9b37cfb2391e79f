using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Globalization;
using ZkMl.Models;
using ZkMl.Training.Backends;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;

namespace ZkMl.Training;

/// <summary>
/// The auditor's side of docs/protocol.md. Built from the <see cref="TrainingContract"/> it holds (never from the worker's
/// transcript), the contract's challenge source and, for Groth16, the trusted verifying keys the contract pins. It checks a
/// transcript's contract copy, signature, challenges, initial and final weights, and every required step proof against the
/// statement it derives itself: contract digest, step index, adjacent commitments, dataset root and scheduled rows.
/// </summary>
public sealed class TrainingVerifier
{
    private readonly IStepVerifier _backend;
    private readonly IChallengeSource _challenges;
    private readonly TranscriptLimits _limits;
    private readonly byte[] _digest;

    private TrainingVerifier(TrainingContract contract, IStepVerifier backend, IChallengeSource challenges, TranscriptLimits limits)
    {
        Contract = contract;
        _backend = backend;
        _challenges = challenges;
        _limits = limits;
        _digest = contract.Digest();
    }

    /// <summary>
    /// A verifier for <paramref name="contract"/>. For Groth16, <paramref name="trustedKeys"/> are the verifying keys the
    /// verifier holds (a ceremony's published files, <see cref="Groth16VerifyingKeys.ReadJsonFiles"/>); their SHA-256 values must
    /// be the contract's pins, and a transcript never supplies a key. <paramref name="challenges"/> verifies the contract's
    /// challenge records (e.g. <see cref="InteractiveChallenge.ForVerifier"/> with the time the answer arrived).
    /// </summary>
    /// <exception cref="ArgumentException">The keys or challenge source do not match the contract (the message names which).</exception>
    /// <exception cref="NotSupportedException">The contract's network, preset or size is beyond this build or <paramref name="limits"/>.</exception>
    public static TrainingVerifier Create(TrainingContract contract, IChallengeSource challenges, Groth16VerifyingKeys? trustedKeys = null,
        TranscriptLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        limits ??= TranscriptLimits.Default;
        contract.Validate();
        CheckSize(contract, limits);
        if (contract.Backend == Backend.Stark && contract.StarkPreset != StarkPreset.Secure100)
            throw new NotSupportedException($"The STARK training backend proves with Secure100; the contract names {contract.StarkPreset}.");
        return ForBackend(contract, challenges, BackendRegistry.Verifier(contract, trustedKeys), limits);
    }

    /// <summary>A verifier over an explicit backend (tests plug in a transparent double here).</summary>
    internal static TrainingVerifier ForBackend(TrainingContract contract, IChallengeSource challenges, IStepVerifier backend, TranscriptLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        limits ??= TranscriptLimits.Default;
        CheckSize(contract, limits);
        if (challenges.Kind != contract.ChallengeSource)
            throw new ArgumentException($"The contract names a {contract.ChallengeSource} challenge source, got {challenges.Kind}.", nameof(challenges));
        return new TrainingVerifier(contract, backend, challenges, limits);
    }

    // Before anything is allocated for the network or the chain.
    private static void CheckSize(TrainingContract contract, TranscriptLimits limits)
    {
        long weights = 0;
        int fanIn = contract.InputSize;
        foreach (var layer in contract.Layers)
        {
            weights += (long)fanIn * layer.Width + (layer.HasBias ? layer.Width : 0);
            fanIn = layer.Width;
        }
        if (weights > limits.MaxWeights)
            throw new NotSupportedException($"The contract's network has {weights} weights, over the limit of {limits.MaxWeights} (TranscriptLimits.MaxWeights).");
        if (contract.StepCount > limits.MaxSteps)
            throw new NotSupportedException($"The contract has {contract.StepCount} steps, over the limit of {limits.MaxSteps} (TranscriptLimits.MaxSteps).");
    }

    /// <summary>The statement this verifier holds.</summary>
    public TrainingContract Contract { get; }

    /// <summary>The proof system.</summary>
    public Backend Backend => _backend.Backend;

    /// <summary>The network shape and fixed-point parameters, of any depth.</summary>
    public QuantizedNetworkConfig NetworkConfig => _backend.Network;

    /// <summary>The network in the two-layer form.</summary>
    /// <exception cref="NotSupportedException">The network is not two layers without biases (use <see cref="NetworkConfig"/>).</exception>
    public QuantizedMlpConfig Network => _backend.Network.ToMlp();

    /// <summary>The backend's commitment to the parameters of <paramref name="network"/> with <paramref name="salt"/>.</summary>
    /// <exception cref="ArgumentException">The network is not the contract's, or the salt is malformed.</exception>
    public byte[] CommitWeights(QuantizedNetwork network, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network.Config != NetworkConfig) throw new ArgumentException($"Network {network.Network} is not the contract's {NetworkConfig.Network}.", nameof(network));
        return _backend.CommitWeights(network, salt);
    }

    /// <summary>The two-layer form of <see cref="CommitWeights(QuantizedNetwork, ReadOnlySpan{byte})"/>.</summary>
    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CommitWeights(QuantizedNetwork.FromMlp(model), salt);
    }

    /// <summary>
    /// True when <paramref name="proof"/> proves its step of this contract's run: one honest SGD step, on the rows the schedule
    /// with <paramref name="scheduleSeed"/> gives that step, from the weights committed in its commitment before to those in its
    /// commitment after. The caller vouches that those commitments are the run's chain. Malformed proofs give false.
    /// </summary>
    public bool VerifyStep(StepProof proof, ReadOnlySpan<byte> scheduleSeed)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Backend != Backend || proof.Step < 0 || proof.Step >= Contract.StepCount) return false;
        return VerifyRaw(proof.Step, proof.CommitmentBefore, proof.CommitmentAfter, scheduleSeed, proof.Proof);
    }

    /// <summary>
    /// Off chain, the checks the on-chain training-run contract makes on one answer (docs/onchain.md): <paramref name="run"/>
    /// registers this contract's run (digest, dataset root and rows, step count), the step is in range, both commitments open
    /// against <paramref name="chainRoot"/> at leaves step and step + 1, and the step proof verifies for them, the rows the
    /// run's schedule seed gives that step and this contract. Chain state (whether the step was drawn, the deadline, an
    /// earlier answer) is the on-chain contract's alone. Malformed answers give false.
    /// </summary>
    public bool VerifyAnswer(OnChain.TrainingRunRegistration run, ReadOnlySpan<byte> chainRoot, OnChain.TrainingRunAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(answer);
        if (Backend != Backend.Groth16 || !run.ContractDigest.AsSpan().SequenceEqual(_digest) || !run.DatasetRoot.AsSpan().SequenceEqual(Contract.DatasetRoot.AsSpan())
            || run.DatasetRows != Contract.DatasetRows || run.StepCount != Contract.StepCount || run.ScheduleSeed.Length != ChallengeRecord.ValueLength)
            return false;
        byte[] runId;
        try { runId = run.RunId(); }
        catch (ArgumentException) { return false; } // a malformed field (address, count) is a rejection
        if (!answer.RunId.AsSpan().SequenceEqual(runId)) return false;
        int step = answer.Step, depth = OnChain.CommitmentChainTree.DepthFor(run.StepCount);
        if (step < 0 || step >= run.StepCount
            || !OnChain.CommitmentChainTree.Verify(chainRoot, depth, step, answer.CommitmentBefore.AsSpan(), answer.OpeningBefore)
            || !OnChain.CommitmentChainTree.Verify(chainRoot, depth, step + 1, answer.CommitmentAfter.AsSpan(), answer.OpeningAfter)) return false;
        return VerifyRaw(step, [.. answer.CommitmentBefore], [.. answer.CommitmentAfter], run.ScheduleSeed.AsSpan(), answer.Proof.AsSpan());
    }

    /// <summary>
    /// Checks a whole run, in this order: the transcript's contract copy equals this verifier's (a mismatch names the field),
    /// the worker's signature, the schedule-seed challenge (commitment: the contract digest), the chain length, the initial
    /// weights (derived from the seed, or the contract's commitment) and the final weights against the first and last
    /// commitments, the audit challenge (commitment: the chain digest) when the policy samples, and every required step proof.
    /// The verdict names the first failing step and says what was and was not proven.
    /// </summary>
    public ChainVerificationResult VerifyRun(TrainingTranscript transcript, IProgress<TrainingProgress>? progress = null)
    {
        var result = VerifyRunCore(transcript, progress);
        if (result.IsValid)
            Logger.LogInformation("Run accepted under contract {Digest}: {Message} {Coverage}", Convert.ToHexStringLower(_digest), result.Message, result.Coverage);
        else
            Logger.LogWarning("Run rejected under contract {Digest} (step {Step}): {Message}", Convert.ToHexStringLower(_digest), result.FailedStep, result.Message);
        return result;
    }

    /// <summary>Where verdicts are logged (information: accepted, warning: rejected with the reason); none by default.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    private ChainVerificationResult VerifyRunCore(TrainingTranscript transcript, IProgress<TrainingProgress>? progress)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        int steps = Contract.StepCount;
        ChainVerificationResult Fail(string message, int? step = null, int verified = 0, IReadOnlyList<int>? proven = null) =>
            new(false, step, message, verified, steps, proven ?? [], "Nothing is proven: the run was rejected.");
        try { transcript.Validate(_limits); }
        catch (TranscriptFormatException e) { return Fail("Malformed transcript: " + e.Message); }

        TrainingContract theirs;
        try { theirs = TrainingContract.Decode(transcript.Contract); }
        catch (ContractFormatException e) { return Fail($"The transcript's contract copy is malformed ({e.Message})."); }
        if (TrainingContracts.FirstDifference(Contract, theirs) is { } field)
            return Fail($"The transcript was made under another contract: {field} differs from the contract this verifier holds.");

        if (!WorkerKey.VerifyTranscript(Contract, transcript.Digest(), transcript.Signature))
            return Fail("The transcript is not signed by the contract's worker key (or was altered after signing).");

        var schedule = transcript.ScheduleChallenge;
        if (!CheckChallenge(schedule, ChallengePurpose.ScheduleSeed, _digest, out var scheduleRecord, out string why))
            return Fail("Schedule-seed challenge rejected: " + why);
        var seed = scheduleRecord!.Value.AsSpan();

        if (transcript.StepCount != steps)
            return Fail($"The chain has {transcript.StepCount} steps; the contract agreed on {steps}.");

        if (!Opens(transcript.InitialWeights, transcript.Commitments[0], out var initial, out why))
            return Fail($"Initial weights do not open commitment 0{why}.");
        if (Contract.InitialWeights == InitialWeightsRule.DerivedFromScheduleSeed)
        {
            if (!SeededInitialWeights.CreateNetwork(Contract, seed).ParametersEqual(initial!))
                return Fail("Initial weights are not the ones the contract's rule derives from the schedule seed.");
        }
        else if (!transcript.Commitments[0].AsSpan().SequenceEqual(Contract.InitialWeightsCommitment.AsSpan()))
            return Fail("Commitment 0 is not the contract's initial-weights commitment.");
        if (!Opens(transcript.FinalWeights, transcript.Commitments[^1], out _, out why))
            return Fail($"Final weights do not open the last commitment ({steps}){why}.");

        int[] required;
        if (Contract.Audit == AuditPolicy.SampleSteps)
        {
            if (transcript.AuditChallenge is null) return Fail("The contract samples the audited steps, but the transcript has no audit challenge.");
            if (!CheckChallenge(transcript.AuditChallenge, ChallengePurpose.AuditSample, TrainingTranscript.ChainDigest(_digest, transcript.Commitments), out var auditRecord, out why))
                return Fail("Audit challenge rejected: " + why);
            required = AuditSample.Draw(auditRecord!.Value.AsSpan(), steps, Contract.AuditSampleCount);
        }
        else
        {
            if (transcript.AuditChallenge is not null) return Fail("The contract proves every step; the transcript carries an audit challenge it must not have.");
            required = Enumerable.Range(0, steps).ToArray();
        }

        var proofsByStep = transcript.Proofs.ToDictionary(p => p.Step);
        foreach (int step in required)
            if (!proofsByStep.ContainsKey(step))
                return Fail($"Step {step}: the audit requires a proof, none is present.", step);

        var proven = new List<int>(transcript.Proofs.Count);
        foreach (var p in transcript.Proofs)
        {
            if (!VerifyRaw(p.Step, transcript.Commitments[p.Step], transcript.Commitments[p.Step + 1], seed, p.Proof))
                return Fail($"Step {p.Step}: the proof does not verify against commitments {p.Step} -> {p.Step + 1}, the scheduled rows and this contract; " +
                    "the published update is not an honest SGD step on the committed data.", p.Step, proven.Count, proven);
            proven.Add(p.Step);
            progress?.Report(new TrainingProgress("verify", proven.Count, transcript.Proofs.Count));
        }
        return new ChainVerificationResult(true, null,
            $"{proven.Count} step proof(s) verified; the chain links {steps} step(s) from the initial to the final weights, which open the first and last commitments.",
            proven.Count, steps, proven, Coverage(proven.Count, steps));
    }

    private string Coverage(int proven, int steps)
    {
        if (TrainingContracts.ProvesNoStep(Contract))
            return $"No step is proven: the contract commits the chain only. The worker is bound to the {steps + 1} published commitments and the opened initial and final weights, not shown to have trained honestly.";
        if (Contract.Audit == AuditPolicy.AllSteps)
            return $"Every one of the {steps} steps is proven: the final weights follow from the initial weights by honest SGD on the scheduled committed rows.";
        double single = (double)Contract.AuditSampleCount / steps;
        return string.Create(CultureInfo.InvariantCulture,
            $"{proven} of {steps} steps are proven (drawn after the chain was committed); the other steps are not. A single cheated step would have been caught with probability {single:0.####}; sampling is deterrence and needs a bond.");
    }

    private bool CheckChallenge(TranscriptChallenge challenge, ChallengePurpose purpose, byte[] commitment, out ChallengeRecord? record, out string why)
    {
        record = null;
        if (challenge.Purpose != purpose) { why = $"its purpose is {challenge.Purpose}, expected {purpose}."; return false; }
        if (!(challenge.Commitment ?? []).AsSpan().SequenceEqual(commitment)) { why = "it answers another commitment than the one the protocol fixes."; return false; }
        try { record = challenge.ToRecord(); }
        catch (TranscriptFormatException e) { why = e.Message; return false; }
        if (!_challenges.Verify(record, out string reason)) { why = reason; return false; }
        why = "";
        return true;
    }

    private bool Opens(TranscriptWeights weights, byte[] commitment, out QuantizedNetwork? network, out string why)
    {
        why = "";
        network = null;
        var c = NetworkConfig;
        if (weights.ValueCount != c.Network.ParameterCount)
        {
            why = $" (weights have {weights.ValueCount} values, the contract's network {c.Network} has {c.Network.ParameterCount})";
            return false;
        }
        try { network = weights.ToNetwork(c); }
        catch (ArgumentException e) { why = $" (weights invalid: {e.Message})"; return false; }
        try { return _backend.CommitWeights(network, weights.Salt).AsSpan().SequenceEqual(commitment); }
        catch (ArgumentException e) { why = $" (salt invalid: {e.Message})"; return false; }
    }

    private bool VerifyRaw(int step, byte[] before, byte[] after, ReadOnlySpan<byte> seed, ReadOnlySpan<byte> proof)
    {
        var rows = SeededBatchSchedule.Rows(seed, Contract.DatasetRows, Contract.BatchSize, step);
        var statement = new StepStatement([.. _digest], step, [.. before], [.. after], Contract.DatasetRoot, Contract.DatasetRows, [.. rows]);
        try
        {
            return _backend.VerifyStep(statement, proof);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or EndOfStreamException or OverflowException)
        {
            return false; // malformed bytes are a rejection, not a crash
        }
    }
}
