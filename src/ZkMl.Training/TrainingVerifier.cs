using System.Collections.Immutable;
using System.Security.Cryptography;
using ZkMl.Models;
using ZkMl.Training.Backends;

namespace ZkMl.Training;

/// <summary>
/// The auditor's side: checks step proofs and whole transcripts. It sees only public data: the transcript (network, dataset root,
/// commitment chain, proofs, initial and final weights) and, for Groth16, the fingerprint of the trusted verifying key.
/// </summary>
public sealed class TrainingVerifier
{
    private readonly IStepVerifier _backend;

    internal TrainingVerifier(IStepVerifier backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>
    /// A verifier for the transcript's backend and network. For Groth16 the verifying key is read from the transcript; when
    /// <paramref name="trustedVerifyingKeySha256"/> is given (the setup ceremony's published fingerprint) a different key is rejected.
    /// </summary>
    /// <exception cref="TranscriptFormatException">The transcript's key is missing, malformed or not the trusted one.</exception>
    public static TrainingVerifier ForTranscript(TrainingTranscript transcript, ReadOnlySpan<byte> trustedVerifyingKeySha256 = default)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        transcript.Validate();
        if (!trustedVerifyingKeySha256.IsEmpty)
        {
            if (transcript.VerifyingKey is null || !SHA256.HashData(transcript.VerifyingKey).AsSpan().SequenceEqual(trustedVerifyingKeySha256))
                throw new TranscriptFormatException("The transcript's verifying key is not the trusted one (SHA-256 fingerprint mismatch).");
        }
        return new TrainingVerifier(BackendRegistry.Verifier(transcript.Backend, transcript.Network, transcript.VerifyingKey));
    }

    /// <summary>The proof system.</summary>
    public Backend Backend => _backend.Backend;

    /// <summary>The network shape and fixed-point parameters.</summary>
    public QuantizedMlpConfig Network => _backend.Network;

    /// <summary>The backend's commitment to the weights of <paramref name="model"/> with <paramref name="salt"/>.</summary>
    public byte[] CommitWeights(QuantizedMlp model, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _backend.CommitWeights(model, salt);
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows one honest SGD step, on a batch of rows of the data set committed in
    /// <paramref name="dataRoot"/> (with <paramref name="datasetRows"/> rows), from the weights committed in
    /// <paramref name="commitBefore"/> to those in <paramref name="commitAfter"/>. Malformed proofs give false.
    /// </summary>
    public bool VerifyStep(ReadOnlySpan<byte> commitBefore, ReadOnlySpan<byte> commitAfter, ReadOnlySpan<byte> dataRoot, int datasetRows, StepProof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.Backend != Backend) return false;
        if (!proof.CommitmentBefore.AsSpan().SequenceEqual(commitBefore) || !proof.CommitmentAfter.AsSpan().SequenceEqual(commitAfter)) return false;
        return VerifyRaw(commitBefore, commitAfter, dataRoot, datasetRows, proof.Proof);
    }

    /// <summary>
    /// Checks a whole transcript: the initial and final weights match the first and last commitments, every step the proof plan
    /// selects has a proof, and every proof verifies against the adjacent commitments of the chain and the dataset root, so the
    /// proven steps link head to tail. The failure message names the step. If <paramref name="trustedDatasetRoot"/> is given,
    /// the transcript must use that root.
    /// </summary>
    public ChainVerificationResult VerifyChain(TrainingTranscript transcript, ReadOnlySpan<byte> trustedDatasetRoot = default,
        IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        int steps = transcript.StepCount;
        ChainVerificationResult Fail(string message, int? step = null, int verified = 0) => new(false, step, message, verified, steps);
        try { transcript.Validate(); }
        catch (TranscriptFormatException e) { return Fail("Malformed transcript: " + e.Message); }
        if (transcript.Backend != Backend) return Fail($"The transcript uses {transcript.Backend}, this verifier {Backend}.");
        if (transcript.Network != Network) return Fail("The transcript's network differs from the verifier's.");
        if (!trustedDatasetRoot.IsEmpty && !trustedDatasetRoot.SequenceEqual(transcript.DatasetRoot))
            return Fail("The transcript's dataset root is not the trusted one.");

        if (!CommitmentMatches(transcript.InitialWeights, transcript.Commitments[0], out string? why))
            return Fail($"Initial weights do not match commitment 0{why}.");
        if (!CommitmentMatches(transcript.FinalWeights, transcript.Commitments[^1], out why))
            return Fail($"Final weights do not match the last commitment ({steps}){why}.");

        var plan = ProofPlan.Parse(transcript.ProofPlan);
        var proofsByStep = transcript.Proofs.ToDictionary(p => p.Step);
        foreach (int step in plan.SelectSteps(steps, transcript.DatasetRoot, transcript.Commitments))
            if (!proofsByStep.ContainsKey(step))
                return Fail($"Step {step}: the proof plan '{plan}' requires a proof, none is present.", step);

        int verified = 0;
        foreach (var p in transcript.Proofs)
        {
            if (!VerifyRaw(transcript.Commitments[p.Step], transcript.Commitments[p.Step + 1], transcript.DatasetRoot, transcript.DatasetRows, p.Proof))
                return Fail($"Step {p.Step}: the proof does not verify against commitments {p.Step} -> {p.Step + 1}; the published update is not an honest SGD step on committed data.", p.Step, verified);
            verified++;
            progress?.Report(new TrainingProgress("verify", verified, transcript.Proofs.Count));
        }
        return new ChainVerificationResult(true, null,
            $"{verified} step proof(s) verified; the chain links {steps} step(s) from the initial to the final weights.", verified, steps);
    }

    private bool CommitmentMatches(TranscriptWeights weights, byte[] commitment, out string? why)
    {
        why = null;
        QuantizedMlp model;
        try { model = weights.ToModel(Network); }
        catch (ArgumentException e)
        {
            why = $" (weights invalid: {e.Message})";
            return false;
        }
        try
        {
            return _backend.CommitWeights(model, weights.Salt).AsSpan().SequenceEqual(commitment);
        }
        catch (ArgumentException e)
        {
            why = $" (salt invalid: {e.Message})";
            return false;
        }
    }

    private bool VerifyRaw(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after, ReadOnlySpan<byte> root, int rows, ReadOnlySpan<byte> proof)
    {
        try
        {
            // Interim: the contract digest, step index and schedule are not bound yet (issue #13 in progress).
            return _backend.VerifyStep(new StepStatement(new byte[32].ToImmutableArray(), 0, [.. before], [.. after], [.. root], rows, []), proof);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException or EndOfStreamException or OverflowException)
        {
            return false; // malformed bytes are a rejection, not a crash
        }
    }
}
