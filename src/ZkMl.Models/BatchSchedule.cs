namespace ZkMl.Models;

/// <summary>Deterministic mini-batch order for epoch-based SGD.</summary>
public static class BatchSchedule
{
    /// <summary>
    /// For each of <paramref name="epochs"/> epochs, shuffles 0..<paramref name="rowCount"/>-1 with one
    /// <see cref="Random"/>(<paramref name="seed"/>) (continuing across epochs) and cuts it into batches of
    /// <paramref name="batchSize"/> row indices; an incomplete last batch is dropped.
    /// </summary>
    public static IReadOnlyList<int[]> Create(int rowCount, int batchSize, int epochs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var rng = new Random(seed);
        var order = new int[rowCount];
        var batches = new List<int[]>(epochs * (rowCount / batchSize));
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = 0; i < rowCount; i++) order[i] = i;
            rng.Shuffle(order);
            for (int start = 0; start + batchSize <= rowCount; start += batchSize)
                batches.Add(order[start..(start + batchSize)]);
        }
        return batches;
    }
}
