using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Training.OnChain;

/// <summary>
/// Calldata (0x-prefixed hex: 4-byte selector and ABI-encoded arguments) of the training-run contract's functions
/// (<see cref="TrainingRunContract"/>), ready for any Ethereum client's <c>eth_sendTransaction</c> or <c>eth_call</c>.
/// </summary>
public static class TrainingRunCalldata
{
    /// <summary>Selector of <c>register((bytes32,uint256,uint256,uint256,uint256,uint256,bytes32,uint256,address,address,address))</c>.</summary>
    public const uint RegisterSelector = 0xbc4c7cb5;
    /// <summary>Selector of <c>postRoot(bytes32,bytes32,bytes32[])</c>.</summary>
    public const uint PostRootSelector = 0x53ef92e8;
    /// <summary>Selector of <c>draw(bytes32)</c>.</summary>
    public const uint DrawSelector = 0x629374ab;
    /// <summary>Selector of <c>answer((bytes32,uint256,uint256[8],uint256[8],uint256,uint256,uint256,bytes32[],bytes32[]))</c>.</summary>
    public const uint AnswerSelector = 0x02bc60c9;
    /// <summary>Selector of <c>policyMet(bytes32)</c>.</summary>
    public const uint PolicyMetSelector = 0x54a626b9;
    /// <summary>Selector of <c>status(bytes32)</c> (0 none, 1 registered, 2 root posted, 3 challenged, 4 expired).</summary>
    public const uint StatusSelector = 0x52ad0d5e;
    /// <summary>Selector of <c>isProven(bytes32,uint256)</c>.</summary>
    public const uint IsProvenSelector = 0x6ba048d0;
    /// <summary>Selector of <c>challengedSteps(bytes32)</c>.</summary>
    public const uint ChallengedStepsSelector = 0xc0ca201e;
    /// <summary>Selector of <c>scheduledRows(bytes32,uint256)</c>.</summary>
    public const uint ScheduledRowsSelector = 0x43e3249c;

    /// <summary>The auditor's <c>register</c> call.</summary>
    /// <exception cref="ArgumentException">A field of the registration is malformed.</exception>
    public static string Register(TrainingRunRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return EvmWords.Call(RegisterSelector, EvmWords.Static(registration.Words()));
    }

    /// <summary>The trainer's <c>postRoot</c> call: the chain tree's root and the opening of leaf 0.</summary>
    public static string PostRoot(ReadOnlySpan<byte> runId, CommitmentChainTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return PostRoot(runId, tree.Root, tree.Open(0));
    }

    /// <summary>A <c>postRoot</c> call with an explicit root and opening (for example to test a wrong one).</summary>
    public static string PostRoot(ReadOnlySpan<byte> runId, ReadOnlySpan<byte> root, IReadOnlyList<byte[]> initialOpening) =>
        EvmWords.Call(PostRootSelector, EvmWords.Static(Word(runId, "run id"), Word(root, "root")), EvmWords.Dynamic(Checked(initialOpening)));

    /// <summary>The <c>draw</c> call (anyone may make it, inside 256 blocks of the draw block).</summary>
    public static string Draw(ReadOnlySpan<byte> runId) => EvmWords.Call(DrawSelector, EvmWords.Static(Word(runId, "run id")));

    /// <summary>The <c>answer</c> call of one challenged step.</summary>
    /// <exception cref="ArgumentException">The proof bytes are not a Groth16 step proof or a commitment is not a scalar.</exception>
    public static string Answer(TrainingRunAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!Groth16Codec.TryDecodeStepProof(answer.Proof.AsSpan(), out var step, out var membership, out var batch))
            throw new ArgumentException("The proof is not a Groth16 step proof.", nameof(answer));
        return EvmWords.CallWithStruct(AnswerSelector,
            EvmWords.Static(Word(answer.RunId.AsSpan(), "run id"), EvmWords.UInt((ulong)answer.Step)),
            EvmWords.Static(EvmWords.Proof(step)),
            EvmWords.Static(EvmWords.Proof(membership)),
            EvmWords.Static(EvmWords.Scalar(batch), EvmWords.Scalar(answer.CommitmentBefore.AsSpan(), "commitment before"),
                EvmWords.Scalar(answer.CommitmentAfter.AsSpan(), "commitment after")),
            EvmWords.Dynamic(Checked(answer.OpeningBefore)),
            EvmWords.Dynamic(Checked(answer.OpeningAfter)));
    }

    /// <summary>A view call that takes only the run id (<see cref="PolicyMetSelector"/>, <see cref="StatusSelector"/>, <see cref="ChallengedStepsSelector"/>).</summary>
    public static string View(uint selector, ReadOnlySpan<byte> runId) => EvmWords.Call(selector, EvmWords.Static(Word(runId, "run id")));

    /// <summary>A view call that takes the run id and a step (<see cref="IsProvenSelector"/>, <see cref="ScheduledRowsSelector"/>).</summary>
    public static string View(uint selector, ReadOnlySpan<byte> runId, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return EvmWords.Call(selector, EvmWords.Static(Word(runId, "run id"), EvmWords.UInt((ulong)step)));
    }

    private static byte[] Word(ReadOnlySpan<byte> value, string what) =>
        value.Length == EvmWords.Size ? value.ToArray() : throw new ArgumentException($"The {what} must be 32 bytes.");

    private static IReadOnlyList<byte[]> Checked(IReadOnlyList<byte[]> opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (opening.Any(s => s is null || s.Length != EvmWords.Size)) throw new ArgumentException("Every sibling of an opening is 32 bytes.", nameof(opening));
        return opening;
    }
}
