namespace ZkMl.Training;

/// <summary>One proven step in a transcript.</summary>
public sealed class TranscriptStepProof
{
    /// <summary>0-based step index; the proof binds commitments[Step] and commitments[Step + 1].</summary>
    public int Step { get; init; }
    /// <summary>The backend's serialized proof (base64 in JSON).</summary>
    public byte[] Proof { get; init; } = [];
}
