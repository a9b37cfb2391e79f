namespace ZkMl.Network;

/// <summary>A step's accepted proof (at most one per step).</summary>
[GenerateSerializer]
internal sealed class AcceptedProof
{
    [Id(0)] public byte[] Proof { get; set; } = [];
    [Id(1)] public byte[] Sha256 { get; set; } = [];
    [Id(2)] public string Worker { get; set; } = "";
    [Id(3)] public Guid Lease { get; set; }
}
