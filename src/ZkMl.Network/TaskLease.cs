namespace ZkMl.Network;

/// <summary>Who holds a step task, until when.</summary>
[GenerateSerializer]
internal sealed class TaskLease
{
    [Id(0)] public Guid Lease { get; set; }
    [Id(1)] public string Worker { get; set; } = "";
    [Id(2)] public DateTimeOffset Expires { get; set; }
}
