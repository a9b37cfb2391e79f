using System.Collections.Immutable;

namespace ZkMl.Training.Shards;

/// <summary>
/// What a contributor attests about its shard without revealing rows: the row count, that every feature lies in
/// [0, <see cref="MaxFeature"/>] (quantized units), and the label histogram (count per class; its length is the number
/// of classes, so every label lies in [0, classes)).
/// </summary>
/// <param name="RowCount">Rows in the shard.</param>
/// <param name="MaxFeature">Upper bound on every quantized feature (inclusive).</param>
/// <param name="Histogram">Rows per class, class 0 first.</param>
public sealed record ShardClaims(int RowCount, long MaxFeature, ImmutableArray<int> Histogram)
{
    /// <summary>True when both claim the same values.</summary>
    public bool Equals(ShardClaims? other) =>
        other is not null && RowCount == other.RowCount && MaxFeature == other.MaxFeature && Histogram.AsSpan().SequenceEqual(other.Histogram.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(RowCount);
        h.Add(MaxFeature);
        foreach (int c in Histogram) h.Add(c);
        return h.ToHashCode();
    }
}
