using ZkMl.Common;
using ZkMl.Snark.Curves;

namespace ZkMl.Snark.Formats;

/// <summary>
/// Decodes the point sections of one mapped <see cref="BinFile"/> straight into their arrays in a single flat parallel
/// loop over chunks of every section: one loop (rather than one parallel loop per section inside a parallel invoke)
/// never blocks pool threads on nested loops, which starved the thread pool into its 0.5 s thread injections.
/// Every G1 point is checked on the curve, every G2 point in the order-r subgroup (or only on the curve where the caller
/// says so); the first bad one of each section is named.
/// </summary>
internal sealed class PointSectionReader(BinFile file)
{
    // Points per work item: a G2 subgroup check costs about as much as decoding a few hundred G1 points.
    private const int G1ChunkPoints = 2048, G2ChunkPoints = 128;

    private sealed class Section(long offset, int count, string what, G1Affine[]? g1, G2Affine[]? g2, bool subgroup = true)
    {
        public readonly bool Subgroup = subgroup;
        public readonly long Offset = offset;
        public readonly int Count = count;
        public readonly string What = what;
        public readonly G1Affine[]? G1 = g1;
        public readonly G2Affine[]? G2 = g2;
        public int Bad = int.MaxValue;
    }

    private readonly List<Section> _sections = new();

    /// <summary>Queues <paramref name="count"/> G1 points at <paramref name="offset"/>; the array is filled by <see cref="Run"/>.</summary>
    public G1Affine[] AddG1(long offset, int count, string what)
    {
        file.CheckReadSize((long)count * LemCodec.G1Size);
        if (count < 0 || offset < 0 || (long)count * LemCodec.G1Size > file.Length - offset)
            throw new SnarkFormatException($"{what}: {count} points run past the end of the file");
        var points = new G1Affine[count];
        _sections.Add(new Section(offset, count, what, points, null));
        return points;
    }

    /// <summary>
    /// Queues <paramref name="count"/> G2 points at <paramref name="offset"/>; the array is filled by <see cref="Run"/>. With
    /// <paramref name="subgroup"/> false they are checked on the curve only (the subgroup test is ~90 G2 operations a point).
    /// </summary>
    public G2Affine[] AddG2(long offset, int count, string what, bool subgroup = true)
    {
        file.CheckReadSize((long)count * LemCodec.G2Size);
        if (count < 0 || offset < 0 || (long)count * LemCodec.G2Size > file.Length - offset)
            throw new SnarkFormatException($"{what}: {count} points run past the end of the file");
        var points = new G2Affine[count];
        _sections.Add(new Section(offset, count, what, null, points, subgroup));
        return points;
    }

    /// <summary>Decodes every queued section; throws <see cref="SnarkFormatException"/> naming the first bad point of the first bad section.</summary>
    public void Run()
    {
        var work = new List<(Section Section, int From, int To)>();
        foreach (var s in _sections)
        {
            int per = s.G2 != null && s.Subgroup ? G2ChunkPoints : G1ChunkPoints;
            for (int from = 0; from < s.Count; from += per) work.Add((s, from, Math.Min(s.Count, from + per)));
        }
        Parallelism.For(0, work.Count, i =>
        {
            var (s, from, to) = work[i];
            int bad = s.G1 != null ? DecodeG1(s, from, to) : DecodeG2(s, from, to);
            if (bad >= 0) InterlockedMin(ref s.Bad, bad);
        });
        foreach (var s in _sections)
            if (s.Bad != int.MaxValue)
                throw new SnarkFormatException(s.G1 != null
                    ? $"{s.What}: point {s.Bad} is not a valid G1 point (coordinate not below q, or off the curve)"
                    : s.Subgroup ? $"{s.What}: point {s.Bad} is not in the G2 subgroup of order r (or has a coordinate not below q)"
                    : $"{s.What}: point {s.Bad} is not a valid G2 point (coordinate not below q, or off the twist)");
    }

    private int DecodeG1(Section s, int from, int to)
    {
        var bytes = file.Span(s.Offset + (long)from * LemCodec.G1Size, (to - from) * LemCodec.G1Size);
        var points = s.G1!;
        for (int i = from; i < to; i++)
        {
            ref var p = ref points[i];
            if (!LemCodec.TryReadG1(bytes.Slice((i - from) * LemCodec.G1Size, LemCodec.G1Size), out p) || !p.IsOnCurve) return i;
        }
        return -1;
    }

    private int DecodeG2(Section s, int from, int to)
    {
        var bytes = file.Span(s.Offset + (long)from * LemCodec.G2Size, (to - from) * LemCodec.G2Size);
        var points = s.G2!;
        for (int i = from; i < to; i++)
        {
            ref var p = ref points[i];
            if (!LemCodec.TryReadG2(bytes.Slice((i - from) * LemCodec.G2Size, LemCodec.G2Size), out p)
                || !(s.Subgroup ? p.IsInSubgroup : p.IsOnCurve)) return i;
        }
        return -1;
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int seen;
        while (value < (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
