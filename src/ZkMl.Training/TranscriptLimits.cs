namespace ZkMl.Training;

/// <summary>
/// Bounds a transcript reader and a run verifier enforce before allocating, so a hostile transcript or contract gets a
/// <see cref="TranscriptFormatException"/> naming the limit instead of exhausting memory.
/// </summary>
public sealed record TranscriptLimits
{
    /// <summary>The defaults: 1 GiB of transcript, 64 MiB per proof, 2^26 weights per network, 2^24 steps.</summary>
    public static TranscriptLimits Default { get; } = new();

    /// <summary>Largest transcript file, in bytes.</summary>
    public long MaxTranscriptBytes { get; init; } = 1L << 30;
    /// <summary>Largest single step proof, in bytes.</summary>
    public int MaxProofBytes { get; init; } = 64 << 20;
    /// <summary>Most weights (all layers together) of a network the verifier will materialise.</summary>
    public long MaxWeights { get; init; } = 1L << 26;
    /// <summary>Most steps in a run.</summary>
    public int MaxSteps { get; init; } = 1 << 24;
}
