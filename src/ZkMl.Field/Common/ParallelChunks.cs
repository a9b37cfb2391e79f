namespace ZkMl.Common;

/// <summary>Parallel loops over contiguous chunks of an index range, so per-task overhead is paid per chunk, not per index.</summary>
public static class ParallelChunks
{
    /// <summary>
    /// Runs <paramref name="body"/>(from, to) over up to 4 chunks per processor covering [0, <paramref name="count"/>),
    /// each about <paramref name="minimumChunk"/> indices or more (one chunk when the range is small).
    /// </summary>
    public static void For(int count, int minimumChunk, Action<int, int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumChunk, 1);
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, count / minimumChunk));
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>), chunked as <see cref="For(int, int, Action{int, int})"/>.</summary>
    public static void ForEach(int count, int minimumChunk, Action<int> body) =>
        For(count, minimumChunk, (from, to) => { for (int i = from; i < to; i++) body(i); });
}
