using System.Collections.Immutable;
using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Training.OnChain;

/// <summary>
/// What the auditor registers in the on-chain training-run contract (<see cref="TrainingRunContract"/>): the words of its
/// <c>register</c> call, in order. The run's id is <c>sha256(abi.encode(registration))</c> (<see cref="RunId"/>), so anyone
/// holding the training contract recomputes the registration (<see cref="For"/>) and knows which run is theirs.
/// The on-chain contract checks proofs against these values; it cannot check that they are the training contract's (it
/// does not parse the canonical encoding, nor verify the schedule-seed challenge's evidence): whoever relies on a run
/// compares its registration with the one <see cref="For"/> gives, as the C# verifier compares a transcript's contract copy.
/// </summary>
public sealed record TrainingRunRegistration
{
    /// <summary>The training contract's digest (<see cref="TrainingContract.Digest"/>, 32 bytes).</summary>
    public required ImmutableArray<byte> ContractDigest { get; init; }
    /// <summary>The contract's dataset root (Groth16 scalar bytes).</summary>
    public required ImmutableArray<byte> DatasetRoot { get; init; }
    /// <summary>The contract's dataset row count.</summary>
    public required int DatasetRows { get; init; }
    /// <summary>The contract's step count S.</summary>
    public required int StepCount { get; init; }
    /// <summary>Steps the contract draws and the trainer must prove (1..S; S proves every step).</summary>
    public required int ChallengeCount { get; init; }
    /// <summary>Answers are accepted up to block <c>drawBlock + AnswerWindowBlocks</c>.</summary>
    public required int AnswerWindowBlocks { get; init; }
    /// <summary>The value of the run's schedule-seed challenge (32 bytes): the rows of every step follow from it.</summary>
    public required ImmutableArray<byte> ScheduleSeed { get; init; }
    /// <summary>The commitment to the weights before step 0 (Groth16 scalar bytes): leaf 0 of the posted chain.</summary>
    public required ImmutableArray<byte> InitialCommitment { get; init; }
    /// <summary>Address of the SGD-step key's verifier contract (0x and 40 hex digits).</summary>
    public required string StepVerifier { get; init; }
    /// <summary>Address of the batch-membership key's verifier contract.</summary>
    public required string MembershipVerifier { get; init; }
    /// <summary>The only address allowed to post the chain root.</summary>
    public required string Trainer { get; init; }

    /// <summary>
    /// The registration of <paramref name="transcript"/>'s run under <paramref name="contract"/>: the contract's digest, dataset,
    /// step count and audit (all steps, or its sample count), the transcript's schedule seed and initial commitment. Verify the
    /// transcript's challenges and initial weights off chain first (<see cref="TrainingVerifier.VerifyRun"/>): the contract
    /// takes both as given.
    /// </summary>
    /// <exception cref="NotSupportedException">The contract is not for Groth16 (only its proofs are verifiable on chain).</exception>
    /// <exception cref="ArgumentException">The transcript's chain is not the contract's length, or an address is malformed.</exception>
    public static TrainingRunRegistration For(TrainingContract contract, TrainingTranscript transcript, string stepVerifier, string membershipVerifier,
        string trainer, int answerWindowBlocks)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(transcript);
        if (contract.Backend != Backend.Groth16)
            throw new NotSupportedException($"Only Groth16 step proofs are verifiable on chain; the contract's backend is {contract.Backend}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(answerWindowBlocks);
        if (transcript.StepCount != contract.StepCount)
            throw new ArgumentException($"The transcript has {transcript.StepCount} steps; the contract {contract.StepCount}.", nameof(transcript));
        var registration = new TrainingRunRegistration
        {
            ContractDigest = [.. contract.Digest()],
            DatasetRoot = contract.DatasetRoot,
            DatasetRows = contract.DatasetRows,
            StepCount = contract.StepCount,
            ChallengeCount = contract.Audit == AuditPolicy.SampleSteps ? contract.AuditSampleCount : contract.StepCount,
            AnswerWindowBlocks = answerWindowBlocks,
            ScheduleSeed = [.. transcript.ScheduleChallenge.Value],
            InitialCommitment = [.. transcript.Commitments[0]],
            StepVerifier = stepVerifier,
            MembershipVerifier = membershipVerifier,
            Trainer = trainer,
        };
        _ = registration.Words(); // validates every field before anyone uses the registration
        return registration;
    }

    /// <summary>The run's id: SHA-256 of the eleven words (32 bytes); what every later call names.</summary>
    public byte[] RunId() => SHA256.HashData(Words().SelectMany(w => w).ToArray());

    /// <summary>The eleven words of the <c>Registration</c> struct, in field order.</summary>
    /// <exception cref="ArgumentException">A field is out of range or malformed (the message names it).</exception>
    internal byte[][] Words()
    {
        static byte[] Hash(ImmutableArray<byte> value, string what) =>
            !value.IsDefault && value.Length == 32 ? [.. value] : throw new ArgumentException($"{what} must be 32 bytes.");
        if (StepCount < 1) throw new ArgumentException("StepCount must be at least 1.");
        if (ChallengeCount < 1 || ChallengeCount > StepCount) throw new ArgumentException($"ChallengeCount must be 1..{StepCount}.");
        if (DatasetRows < 1) throw new ArgumentException("DatasetRows must be positive.");
        if (AnswerWindowBlocks < 1) throw new ArgumentException("AnswerWindowBlocks must be positive.");
        return
        [
            Hash(ContractDigest, nameof(ContractDigest)),
            EvmWords.Scalar(DatasetRoot.AsSpan(), nameof(DatasetRoot)),
            EvmWords.UInt((ulong)DatasetRows),
            EvmWords.UInt((ulong)StepCount),
            EvmWords.UInt((ulong)ChallengeCount),
            EvmWords.UInt((ulong)AnswerWindowBlocks),
            Hash(ScheduleSeed, nameof(ScheduleSeed)),
            EvmWords.Scalar(InitialCommitment.AsSpan(), nameof(InitialCommitment)),
            EvmWords.Address(StepVerifier, nameof(StepVerifier)),
            EvmWords.Address(MembershipVerifier, nameof(MembershipVerifier)),
            EvmWords.Address(Trainer, nameof(Trainer)),
        ];
    }
}
