namespace ZkMl.Network;

/// <summary>A run's durable state (one grain, written after every change).</summary>
[GenerateSerializer]
internal sealed class RunState
{
    [Id(0)] public RunRegistration? Registration { get; set; }
    [Id(1)] public ChainPublication? Chain { get; set; }
    [Id(2)] public DateTimeOffset PublishedAt { get; set; }
    [Id(3)] public RunPhase Phase { get; set; }
    [Id(4)] public string Message { get; set; } = "";
    [Id(5)] public int Round { get; set; }
    [Id(6)] public List<int> Participants { get; set; } = [];
    [Id(7)] public Dictionary<int, DrawCommit> Commits { get; set; } = [];
    [Id(8)] public Dictionary<int, byte[]> Reveals { get; set; } = [];
    [Id(9)] public DateTimeOffset CommitDeadline { get; set; }
    [Id(10)] public DateTimeOffset RevealDeadline { get; set; }
    [Id(11)] public HashSet<int> Excluded { get; set; } = [];
    [Id(12)] public List<Penalty> Penalties { get; set; } = [];
    [Id(13)] public byte[] ChallengeValue { get; set; } = [];
    [Id(14)] public int[] Challenged { get; set; } = [];
    [Id(15)] public Dictionary<int, TaskLease> Leases { get; set; } = [];
    [Id(16)] public Dictionary<int, AcceptedProof> Proofs { get; set; } = [];
    [Id(17)] public List<SignedVerdict> Verdicts { get; set; } = [];
    [Id(18)] public Dictionary<int, int> ExtraVerifiers { get; set; } = [];
    [Id(19)] public Dictionary<int, DateTimeOffset> AssignedAt { get; set; } = [];
    [Id(20)] public HashSet<string> Faulty { get; set; } = [];
    [Id(21)] public int Reassigned { get; set; }
    [Id(22)] public int RejectedProofs { get; set; }
    [Id(23)] public HashSet<int> Contradicting { get; set; } = [];
    [Id(24)] public HashSet<int> Verified { get; set; } = [];
    [Id(25)] public Dictionary<int, byte[]> Attestations { get; set; } = [];
}
