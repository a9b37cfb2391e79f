using ZkMl.Circuits.Quantized;

namespace ZkMl.Training;

/// <summary>The network after <see cref="Step"/> SGD steps and the backend's commitment to its weights.</summary>
public sealed class TrainingState
{
    internal TrainingState(int step, QuantizedMlp model, byte[] salt, byte[] commitment)
    {
        Step = step;
        Model = model;
        Salt = salt;
        Commitment = commitment;
    }

    /// <summary>Number of steps applied so far.</summary>
    public int Step { get; }

    /// <summary>The weights (a private copy; never mutated).</summary>
    public QuantizedMlp Model { get; }

    /// <summary>The secret salt that makes <see cref="Commitment"/> hiding (published only for the initial and final weights).</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The backend's commitment to <see cref="Model"/>'s weights.</summary>
    public ReadOnlyMemory<byte> Commitment { get; }
}

/// <summary>A proof that step <see cref="Step"/> turned the weights committed in <see cref="CommitmentBefore"/> into those in <see cref="CommitmentAfter"/> by one honest SGD step on a batch of committed rows.</summary>
/// <param name="Step">0-based index of the step in its run.</param>
/// <param name="Backend">The proof system.</param>
/// <param name="CommitmentBefore">Commitment to the weights before the step.</param>
/// <param name="CommitmentAfter">Commitment to the weights after the step.</param>
/// <param name="Proof">The backend's serialized proof.</param>
public sealed record StepProof(int Step, Backend Backend, byte[] CommitmentBefore, byte[] CommitmentAfter, byte[] Proof);

/// <summary>Which kind of dishonest update <see cref="StepTamper"/> simulates.</summary>
public enum TamperMode
{
    /// <summary>The worker skips the update: the weights after the step equal those before.</summary>
    Skip,
    /// <summary>The worker changes one weight after the honest update.</summary>
    Alter,
}

/// <summary>
/// Simulates a dishonest worker in <see cref="TrainingProver.Train"/>: at <paramref name="Step"/> the published weights are not the
/// honest update, but the step's proof is still the one an honest prover would attach. Used to demonstrate that verification rejects it.
/// </summary>
/// <param name="Step">The step whose update is skipped or altered.</param>
/// <param name="Mode">Skip or alter.</param>
public sealed record StepTamper(int Step, TamperMode Mode);

/// <summary>Progress of a long training or proving run.</summary>
/// <param name="Phase">"train" while training and committing, "prove" while proving, "verify" while verifying.</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in the phase.</param>
public readonly record struct TrainingProgress(string Phase, int Done, int Total);

/// <summary>Outcome of <see cref="TrainingVerifier.VerifyChain"/>.</summary>
/// <param name="IsValid">True when every check passed.</param>
/// <param name="FailedStep">The step that failed, when the failure belongs to one.</param>
/// <param name="Message">What was checked, or what failed.</param>
/// <param name="ProofsVerified">Number of step proofs that verified.</param>
/// <param name="StepCount">Number of steps in the chain.</param>
public sealed record ChainVerificationResult(bool IsValid, int? FailedStep, string Message, int ProofsVerified, int StepCount);
