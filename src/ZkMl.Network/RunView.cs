namespace ZkMl.Network;

/// <summary>
/// A snapshot of a run: everything a verifier or an observer needs to check it independently (contract, verifier keys,
/// published chain, draw commitments and reveals, accepted proofs' steps, signed verdicts) and the grain's bookkeeping
/// (faulty workers, reassignments, penalties, named verifiers). Nothing in it needs to be trusted: signatures and proofs
/// can be rechecked with <see cref="RunAudit"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class RunView
{
    /// <summary>The run id.</summary>
    [Id(0)] public string RunId { get; init; } = "";
    /// <summary>The phase.</summary>
    [Id(1)] public RunPhase Phase { get; init; }
    /// <summary>A one-line status for people.</summary>
    [Id(2)] public string Message { get; init; } = "";
    /// <summary>The registration (contract bytes, verifier keys, policy); null for an unknown run.</summary>
    [Id(3)] public RunRegistration? Registration { get; init; }
    /// <summary>The published chain; null before publication.</summary>
    [Id(4)] public ChainPublication? Chain { get; init; }
    /// <summary>The current (or final) draw round.</summary>
    [Id(5)] public int Round { get; init; }
    /// <summary>Verifiers taking part in the current round.</summary>
    [Id(6)] public int[] Participants { get; init; } = [];
    /// <summary>The current round's signed commits by verifier index.</summary>
    [Id(7)] public Dictionary<int, DrawCommit> Commits { get; init; } = [];
    /// <summary>The current round's reveals by verifier index.</summary>
    [Id(8)] public Dictionary<int, byte[]> Reveals { get; init; } = [];
    /// <summary>The reveal deadline of the current round (MinValue while committing).</summary>
    [Id(9)] public DateTimeOffset RevealDeadline { get; init; }
    /// <summary>The drawn challenge value (empty before the draw completes).</summary>
    [Id(10)] public byte[] ChallengeValue { get; init; } = [];
    /// <summary>The challenged steps, sorted.</summary>
    [Id(11)] public int[] Challenged { get; init; } = [];
    /// <summary>Challenged steps with an accepted proof.</summary>
    [Id(12)] public int[] Proven { get; init; } = [];
    /// <summary>Challenged steps with a quorum of valid signed verdicts.</summary>
    [Id(13)] public int[] Verified { get; init; } = [];
    /// <summary>Every verdict the grain counted (signatures checked on arrival; recheck with <see cref="RunAudit"/>).</summary>
    [Id(14)] public SignedVerdict[] Verdicts { get; init; } = [];
    /// <summary>Excluded verifiers and why.</summary>
    [Id(15)] public Penalty[] Penalties { get; init; } = [];
    /// <summary>Verifiers whose verdict contradicted a step's settled quorum.</summary>
    [Id(16)] public int[] Contradicting { get; init; } = [];
    /// <summary>Prover workers that submitted a proof that failed verification.</summary>
    [Id(17)] public string[] FaultyWorkers { get; init; } = [];
    /// <summary>Leases that expired and were reassigned.</summary>
    [Id(18)] public int Reassigned { get; init; }
    /// <summary>Submitted proofs that failed verification.</summary>
    [Id(19)] public int RejectedProofs { get; init; }
    /// <summary>Each registered contributor's shard: attestation, inclusion path and usage by the proven steps.</summary>
    [Id(20)] public ShardStatus[] Shards { get; init; } = [];
}
