namespace ZkMl.Network;

/// <summary>
/// One contributor's shard in a run: whether its attestation was accepted, its claims, where it sits in the dataset tree
/// (check it with <c>DatasetShards.VerifyInclusion</c> against the contract's dataset root, or <see cref="ContributorClient.CheckInclusionAsync"/>)
/// and how many of its rows the proven steps used.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ShardStatus
{
    /// <summary>The contributor's index in the registration.</summary>
    [Id(0)] public int Contributor { get; init; }
    /// <summary>True once the contributor's attestation was checked and recorded.</summary>
    [Id(1)] public bool Attested { get; init; }
    /// <summary>The shard's salted root (32 bytes); empty before the attestation.</summary>
    [Id(2)] public byte[] Root { get; init; } = [];
    /// <summary>Rows in the shard (attested).</summary>
    [Id(3)] public int Rows { get; init; }
    /// <summary>The attested maximum feature.</summary>
    [Id(4)] public long MaxFeature { get; init; }
    /// <summary>The attested label histogram.</summary>
    [Id(5)] public int[] Histogram { get; init; } = [];
    /// <summary>Height of the shard's subtree in the dataset tree (set once every shard is attested).</summary>
    [Id(6)] public int Level { get; init; }
    /// <summary>The subtree's index at <see cref="Level"/>.</summary>
    [Id(7)] public int Position { get; init; }
    /// <summary>Sibling nodes from <see cref="Level"/> up to the dataset root, lowest first (empty until every shard is attested).</summary>
    [Id(8)] public byte[][] Siblings { get; init; } = [];
    /// <summary>Batch slots the proven steps (accepted proofs) filled from this shard.</summary>
    [Id(9)] public long RowUses { get; init; }
    /// <summary>Distinct rows of this shard the proven steps used.</summary>
    [Id(10)] public int DistinctRows { get; init; }
    /// <summary>The signed attestation as registered (<c>ShardAttestation.Encode</c>), for anyone to recheck; empty before it.</summary>
    [Id(11)] public byte[] Attestation { get; init; } = [];
}
