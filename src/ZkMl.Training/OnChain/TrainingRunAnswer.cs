using System.Collections.Immutable;

namespace ZkMl.Training.OnChain;

/// <summary>
/// The answer to one challenged step of an on-chain run: the step's proof as the transcript holds it (the Groth16
/// backend's SGD-step and membership proofs and their shared batch commitment), the weight commitments before and after the
/// step, and their openings against the posted chain root (leaves <see cref="Step"/> and <see cref="Step"/> + 1 of
/// <see cref="CommitmentChainTree"/>). <see cref="TrainingRunCalldata.Answer"/> turns it into calldata and
/// <see cref="TrainingVerifier.VerifyAnswer"/> checks it off chain.
/// </summary>
public sealed record TrainingRunAnswer
{
    /// <summary>The run (<see cref="TrainingRunRegistration.RunId"/>, 32 bytes).</summary>
    public required ImmutableArray<byte> RunId { get; init; }
    /// <summary>The 0-based step answered.</summary>
    public required int Step { get; init; }
    /// <summary>The Groth16 backend's step proof bytes (<see cref="TranscriptStepProof.Proof"/>).</summary>
    public required ImmutableArray<byte> Proof { get; init; }
    /// <summary>The commitment before the step (Groth16 scalar bytes).</summary>
    public required ImmutableArray<byte> CommitmentBefore { get; init; }
    /// <summary>The commitment after the step.</summary>
    public required ImmutableArray<byte> CommitmentAfter { get; init; }
    /// <summary>Siblings of leaf <see cref="Step"/>, from the leaf up.</summary>
    public required IReadOnlyList<byte[]> OpeningBefore { get; init; }
    /// <summary>Siblings of leaf <see cref="Step"/> + 1.</summary>
    public required IReadOnlyList<byte[]> OpeningAfter { get; init; }

    /// <summary>The answer for <paramref name="step"/> from <paramref name="transcript"/>, opened in the tree of its chain.</summary>
    /// <exception cref="ArgumentException">The run id is not 32 bytes, or the transcript has no proof of that step.</exception>
    public static TrainingRunAnswer For(ReadOnlySpan<byte> runId, TrainingTranscript transcript, CommitmentChainTree tree, int step)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(tree);
        if (runId.Length != 32) throw new ArgumentException("A run id is 32 bytes.", nameof(runId));
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, transcript.StepCount);
        var proof = transcript.Proofs.FirstOrDefault(p => p.Step == step)
            ?? throw new ArgumentException($"The transcript has no proof of step {step}.", nameof(step));
        return new TrainingRunAnswer
        {
            RunId = [.. runId],
            Step = step,
            Proof = [.. proof.Proof],
            CommitmentBefore = [.. transcript.Commitments[step]],
            CommitmentAfter = [.. transcript.Commitments[step + 1]],
            OpeningBefore = tree.Open(step),
            OpeningAfter = tree.Open(step + 1),
        };
    }
}
