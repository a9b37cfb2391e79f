using System.Collections.Immutable;

namespace ZkMl.Training;

/// <summary>
/// The public statement of one step proof. The verifier derives every field from the training contract and the
/// published commitment chain, never from the proof: a step proof shows that the weights committed in
/// <see cref="CommitmentBefore"/> become those committed in <see cref="CommitmentAfter"/> by one honest SGD step on the
/// committed rows at positions <see cref="Rows"/> of the dataset with root <see cref="DatasetRoot"/>, and it is bound to
/// <see cref="ContractDigest"/> and <see cref="Step"/> so it cannot move to another run or another position.
/// </summary>
/// <param name="ContractDigest">SHA-256 digest of the training contract (32 bytes).</param>
/// <param name="Step">0-based index of the step in the run.</param>
/// <param name="CommitmentBefore">The chain's commitment to the weights before the step.</param>
/// <param name="CommitmentAfter">The chain's commitment to the weights after the step.</param>
/// <param name="DatasetRoot">The contract's dataset root.</param>
/// <param name="DatasetRows">The contract's dataset row count.</param>
/// <param name="Rows">The batch's row positions, from the contract's schedule rule (public; row contents stay hidden).</param>
public sealed record StepStatement(
    ImmutableArray<byte> ContractDigest,
    int Step,
    ImmutableArray<byte> CommitmentBefore,
    ImmutableArray<byte> CommitmentAfter,
    ImmutableArray<byte> DatasetRoot,
    int DatasetRows,
    ImmutableArray<int> Rows);
