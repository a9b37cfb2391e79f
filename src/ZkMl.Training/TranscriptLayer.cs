using System.Text.Json.Serialization;

namespace ZkMl.Training;

/// <summary>One dense layer's parameters in a version-3 transcript: weights [Width x FanIn] row-major, then biases, scale 2^f.</summary>
public sealed class TranscriptLayer
{
    /// <summary>The layer's weights, row-major.</summary>
    public long[] Weights { get; init; } = [];

    /// <summary>The layer's biases (one per output); null for a layer without bias (then absent from the JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long[]? Biases { get; init; }
}
