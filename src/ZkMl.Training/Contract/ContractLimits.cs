namespace ZkMl.Training.Contract;

/// <summary>
/// Sizes a decoder accepts. Every declared length is checked against these and against the bytes present before
/// anything is allocated, so a hostile input costs at most its own size.
/// </summary>
public sealed record ContractLimits
{
    /// <summary>The defaults: 64 KiB per encoding, 4 KiB per byte string, 2^16 per layer width.</summary>
    public static ContractLimits Default { get; } = new();

    /// <summary>Largest accepted encoding.</summary>
    public int MaxEncodedBytes { get; init; } = 64 * 1024;
    /// <summary>Largest accepted length-prefixed byte string (keys, roots, commitments, evidence).</summary>
    public int MaxByteString { get; init; } = 4 * 1024;
    /// <summary>Largest input size or layer width.</summary>
    public int MaxWidth { get; init; } = 1 << 16;
    /// <summary>Largest dataset row count.</summary>
    public int MaxRows { get; init; } = int.MaxValue;
    /// <summary>Largest step count.</summary>
    public int MaxSteps { get; init; } = int.MaxValue;
}
