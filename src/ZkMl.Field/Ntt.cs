using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZkMl.Field;

/// <summary>
/// CPU radix-2 number-theoretic transform over any two-adic prime field, in place over <see cref="Span{T}"/>.
/// Twiddle factors are precomputed once per field in a single table that grows to the largest size requested
/// (thread-safe); transforms of 2^14 elements or more run in parallel over chunks.
/// </summary>
/// <remarks>
/// The natural-order methods implement <see cref="INtt{T}"/>. The bit-reversed variants skip the permutation pass:
/// <see cref="ForwardToBitReversed"/> followed by <see cref="InverseFromBitReversed"/> is the identity, which is all
/// polynomial multiplication needs. Evaluations are over RootOfUnity(log2 n): element i of the output is p(omega^i).
/// </remarks>
/// <typeparam name="T">The field.</typeparam>
public sealed class Ntt<T> : INtt<T> where T : struct, ITwoAdicField<T>
{
    /// <summary>The shared instance (the class holds no per-instance state).</summary>
    public static Ntt<T> Instance { get; } = new();

    /// <summary>Transforms of at least this many elements are split across threads.</summary>
    public const int ParallelThreshold = 1 << 14;

    /// <summary>Sub-transforms of 2^LocalLog elements run all their stages while the block is in cache.</summary>
    private const int LocalLog = 12;

    /// <summary>Bit-reversal works on 2^TileLog x 2^TileLog tiles so both sides of each swap stay in cache.</summary>
    private const int TileLog = 4;

    private static readonly object s_growLock = new();

    /// <summary>twiddles[m + j] = RootOfUnity(log2(2m))^j for m a power of two and 0 &lt;= j &lt; m; index 0 is unused.</summary>
    private static T[] s_twiddles = new T[1];

    private delegate void SpanBody(Span<T> values, int index);

    /// <inheritdoc/>
    public void Forward(Span<T> values) => Forward(values, allowParallel: true);

    /// <inheritdoc/>
    public void Inverse(Span<T> values) => Inverse(values, allowParallel: true);

    /// <inheritdoc/>
    public void CosetForward(Span<T> values, T shift) => CosetForward(values, shift, allowParallel: true);

    /// <inheritdoc/>
    public void CosetInverse(Span<T> values, T shift) => CosetInverse(values, shift, allowParallel: true);

    /// <summary>Coefficients (natural order) to evaluations over &lt;omega&gt; in bit-reversed order, in place.</summary>
    public void ForwardToBitReversed(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        Dif(values, log, UseParallel(values.Length, true));
    }

    /// <summary>Evaluations over &lt;omega&gt; in bit-reversed order back to coefficients in natural order, in place.</summary>
    public void InverseFromBitReversed(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.One, parallel);
    }

    /// <summary>Coefficients (natural order) to evaluations over shift * &lt;omega&gt; in bit-reversed order, in place.</summary>
    public void CosetForwardToBitReversed(Span<T> values, T shift)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        ScaleByPowers(values, T.One, shift, parallel);
        Dif(values, log, parallel);
    }

    /// <summary>Evaluations over shift * &lt;omega&gt; in bit-reversed order back to coefficients in natural order, in place.</summary>
    public void CosetInverseFromBitReversed(Span<T> values, T shift)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, true);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.Inverse(shift), parallel);
    }

    /// <summary>Forward transform of many columns (each a power-of-two length), parallel across columns.</summary>
    public void ForwardColumns(IReadOnlyList<T[]> columns) => ForEachColumn(columns, (column, parallel) => Forward(column, parallel));

    /// <summary>Inverse transform of many columns, parallel across columns.</summary>
    public void InverseColumns(IReadOnlyList<T[]> columns) => ForEachColumn(columns, (column, parallel) => Inverse(column, parallel));

    /// <summary>Coset forward transform of many columns over the same coset, parallel across columns.</summary>
    public void CosetForwardColumns(IReadOnlyList<T[]> columns, T shift) =>
        ForEachColumn(columns, (column, parallel) => CosetForward(column, shift, parallel));

    /// <summary>Coset inverse transform of many columns over the same coset, parallel across columns.</summary>
    public void CosetInverseColumns(IReadOnlyList<T[]> columns, T shift) =>
        ForEachColumn(columns, (column, parallel) => CosetInverse(column, shift, parallel));

    /// <summary>Permutes <paramref name="values"/> (power-of-two length) so element i moves to the bit-reversal of i.</summary>
    public static void BitReversePermute(Span<T> values)
    {
        int log = CheckedLog2(values.Length);
        BitReverse(values, log, UseParallel(values.Length, true));
    }

    private void Forward(Span<T> values, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
    }

    // The inverse DFT is the forward DFT read at negated indices, divided by n: no separate inverse twiddle table.
    private void Inverse(Span<T> values, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.One, parallel);
    }

    private void CosetForward(Span<T> values, T shift, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        ScaleByPowers(values, T.One, shift, parallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
    }

    private void CosetInverse(Span<T> values, T shift, bool allowParallel)
    {
        int log = CheckedLog2(values.Length);
        bool parallel = UseParallel(values.Length, allowParallel);
        BitReverse(values, log, parallel);
        Dit(values, log, parallel);
        values[1..].Reverse();
        ScaleByPowers(values, InverseOfLength(values.Length), T.Inverse(shift), parallel);
    }

    private static void ForEachColumn(IReadOnlyList<T[]> columns, Action<T[], bool> transform)
    {
        ArgumentNullException.ThrowIfNull(columns);
        for (int c = 0; c < columns.Count; c++)
        {
            if (columns[c] is null) throw new ArgumentException($"column {c} is null", nameof(columns));
            CheckedLog2(columns[c].Length, $"column {c}");
        }
        if (columns.Count >= Environment.ProcessorCount && Environment.ProcessorCount > 1)
            Parallel.For(0, columns.Count, c => transform(columns[c], false));
        else
            for (int c = 0; c < columns.Count; c++) transform(columns[c], true);
    }

    private static bool UseParallel(int length, bool allowParallel) =>
        allowParallel && length >= ParallelThreshold && Environment.ProcessorCount > 1;

    private static int CheckedLog2(int length, string what = "length")
    {
        if (length <= 0 || (length & (length - 1)) != 0)
            throw new ArgumentException($"NTT {what} must be a power of two, got {length}");
        int log = System.Numerics.BitOperations.Log2((uint)length);
        if (log > T.TwoAdicity)
            throw new ArgumentException($"NTT {what} 2^{log} exceeds the two-adicity 2^{T.TwoAdicity} of {typeof(T).Name}");
        return log;
    }

    private static T InverseOfLength(int length) => T.Inverse(T.FromUInt64((ulong)length));

    private static int ChunkCount(int work, int minimumPerChunk)
    {
        int chunks = Environment.ProcessorCount * 4;
        return Math.Max(1, Math.Min(chunks, work / minimumPerChunk));
    }

    private static unsafe void ForEachParallel(Span<T> values, int count, SpanBody body)
    {
        // Pin the span so worker threads can rebuild it from an address (a Span cannot be captured by a lambda).
        fixed (byte* pointer = &Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)))
        {
            nint address = (nint)pointer;
            int length = values.Length;
            Parallel.For(0, count, i => body(new Span<T>((void*)address, length), i));
        }
    }

    /// <summary>values[i] *= start * ratio^i.</summary>
    private static void ScaleByPowers(Span<T> values, T start, T ratio, bool parallel)
    {
        if (start.IsOne && ratio.IsOne) return;
        int n = values.Length;
        if (!parallel)
        {
            ScaleRange(values, start, ratio);
            return;
        }
        int chunks = ChunkCount(n, 4096);
        int chunkSize = (n + chunks - 1) / chunks;
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize;
            int to = Math.Min(n, from + chunkSize);
            if (from < to) ScaleRange(all[from..to], T.Mul(start, FieldMath.Pow(ratio, (ulong)from)), ratio);
        });
    }

    private static void ScaleRange(Span<T> values, T factor, T ratio)
    {
        ref T a = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < values.Length; i++)
        {
            ref T slot = ref Unsafe.Add(ref a, i);
            slot = T.Mul(slot, factor);
            factor = T.Mul(factor, ratio);
        }
    }

    // ---- twiddles ----

    private static T[] Twiddles(int log)
    {
        T[] table = Volatile.Read(ref s_twiddles);
        if (table.Length >= (1 << log)) return table;
        lock (s_growLock)
        {
            table = s_twiddles;
            if (table.Length >= (1 << log)) return table;
            int newLength = 1 << log;
            var grown = new T[newLength];
            table.AsSpan().CopyTo(grown);
            for (int m = 1; m < newLength; m <<= 1)
            {
                if (2 * m <= table.Length) continue; // level already present
                FillTwiddleLevel(grown, m);
            }
            Volatile.Write(ref s_twiddles, grown);
            return grown;
        }
    }

    private static void FillTwiddleLevel(T[] table, int m)
    {
        T root = T.RootOfUnity(System.Numerics.BitOperations.Log2((uint)m) + 1);
        int chunks = m >= ParallelThreshold && Environment.ProcessorCount > 1 ? ChunkCount(m, 4096) : 1;
        int chunkSize = (m + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int from = c * chunkSize;
            int to = Math.Min(m, from + chunkSize);
            T power = FieldMath.Pow(root, (ulong)from);
            for (int j = from; j < to; j++)
            {
                table[m + j] = power;
                power = T.Mul(power, root);
            }
        });
    }

    // ---- butterflies ----

    /// <summary>Decimation in time: bit-reversed input to natural-order DFT output.</summary>
    private static void Dit(Span<T> values, int log, bool parallel)
    {
        if (log == 0) return;
        T[] twiddles = Twiddles(log);
        int localLog = Math.Min(log, LocalLog);
        int block = 1 << localLog;
        int blocks = values.Length >> localLog;
        if (parallel && blocks > 1)
            ForEachParallel(values, blocks, (all, b) => DitLocal(all.Slice(b * block, block), localLog, twiddles));
        else
            for (int b = 0; b < blocks; b++) DitLocal(values.Slice(b * block, block), localLog, twiddles);
        for (int stage = localLog; stage < log; stage++) RunStage(values, stage, twiddles, parallel, dit: true);
    }

    /// <summary>Decimation in frequency: natural-order input to bit-reversed DFT output.</summary>
    private static void Dif(Span<T> values, int log, bool parallel)
    {
        if (log == 0) return;
        T[] twiddles = Twiddles(log);
        int localLog = Math.Min(log, LocalLog);
        for (int stage = log - 1; stage >= localLog; stage--) RunStage(values, stage, twiddles, parallel, dit: false);
        int block = 1 << localLog;
        int blocks = values.Length >> localLog;
        if (parallel && blocks > 1)
            ForEachParallel(values, blocks, (all, b) => DifLocal(all.Slice(b * block, block), localLog, twiddles));
        else
            for (int b = 0; b < blocks; b++) DifLocal(values.Slice(b * block, block), localLog, twiddles);
    }

    private static void DitLocal(Span<T> block, int log, T[] twiddles)
    {
        for (int stage = 0; stage < log; stage++) StageRange(block, stage, twiddles, 0, block.Length >> 1, dit: true);
    }

    private static void DifLocal(Span<T> block, int log, T[] twiddles)
    {
        for (int stage = log - 1; stage >= 0; stage--) StageRange(block, stage, twiddles, 0, block.Length >> 1, dit: false);
    }

    private static void RunStage(Span<T> values, int stage, T[] twiddles, bool parallel, bool dit)
    {
        int butterflies = values.Length >> 1;
        if (!parallel)
        {
            StageRange(values, stage, twiddles, 0, butterflies, dit);
            return;
        }
        int chunks = ChunkCount(butterflies, 2048);
        int chunkSize = (butterflies + chunks - 1) / chunks;
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize;
            int to = Math.Min(butterflies, from + chunkSize);
            if (from < to) StageRange(all, stage, twiddles, from, to, dit);
        });
    }

    /// <summary>Butterflies t in [from, to) of one stage with half-width m = 2^stage: pairs (i, i + m), i = (t / m) * 2m + t % m.</summary>
    private static void StageRange(Span<T> values, int stage, T[] twiddles, int from, int to, bool dit)
    {
        int m = 1 << stage;
        ref T a = ref MemoryMarshal.GetReference(values);
        ref T w = ref MemoryMarshal.GetArrayDataReference(twiddles);
        int t = from;
        while (t < to)
        {
            int j = t & (m - 1);
            int jEnd = Math.Min(m, j + (to - t));
            ref T low = ref Unsafe.Add(ref a, ((t >> stage) << (stage + 1)));
            ref T high = ref Unsafe.Add(ref low, m);
            if (dit)
            {
                for (int k = j; k < jEnd; k++)
                {
                    ref T x = ref Unsafe.Add(ref low, k);
                    ref T y = ref Unsafe.Add(ref high, k);
                    T v = T.Mul(y, Unsafe.Add(ref w, m + k));
                    T u = x;
                    x = T.Add(u, v);
                    y = T.Sub(u, v);
                }
            }
            else
            {
                for (int k = j; k < jEnd; k++)
                {
                    ref T x = ref Unsafe.Add(ref low, k);
                    ref T y = ref Unsafe.Add(ref high, k);
                    T u = x;
                    T v = y;
                    x = T.Add(u, v);
                    y = T.Mul(T.Sub(u, v), Unsafe.Add(ref w, m + k));
                }
            }
            t += jEnd - j;
        }
    }

    // ---- bit reversal ----

    private static void BitReverse(Span<T> values, int log, bool parallel)
    {
        if (log < 2 * TileLog + 2)
        {
            BitReverseSimple(values, log);
            return;
        }
        int midBits = log - 2 * TileLog;
        int midCount = 1 << midBits;
        if (!parallel)
        {
            BitReverseTiles(values, log, 0, midCount);
            return;
        }
        int chunks = ChunkCount(midCount, 16);
        int chunkSize = (midCount + chunks - 1) / chunks;
        ForEachParallel(values, chunks, (all, c) =>
        {
            int from = c * chunkSize;
            int to = Math.Min(midCount, from + chunkSize);
            if (from < to) BitReverseTiles(all, log, from, to);
        });
    }

    private static void BitReverseSimple(Span<T> values, int log)
    {
        if (log == 0) return;
        ref T a = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < values.Length; i++)
        {
            int r = (int)(Reverse32((uint)i) >> (32 - log));
            if (i < r) (Unsafe.Add(ref a, i), Unsafe.Add(ref a, r)) = (Unsafe.Add(ref a, r), Unsafe.Add(ref a, i));
        }
    }

    /// <summary>
    /// Index i = hi | mid | lo (TileLog, log - 2 TileLog, TileLog bits) maps to rev(lo) | rev(mid) | rev(hi): the tile of
    /// one mid value is exchanged, transposed, with the tile of rev(mid). Each mid pair is handled once, by its smaller member.
    /// </summary>
    private static void BitReverseTiles(Span<T> values, int log, int midFrom, int midTo)
    {
        const int tile = 1 << TileLog;
        int midBits = log - 2 * TileLog;
        int hiShift = log - TileLog;
        ref T a = ref MemoryMarshal.GetReference(values);
        for (int mid = midFrom; mid < midTo; mid++)
        {
            int reversedMid = (int)(Reverse32((uint)mid) >> (32 - midBits));
            if (reversedMid < mid) continue;
            int iMid = mid << TileLog;
            int jMid = reversedMid << TileLog;
            for (int hi = 0; hi < tile; hi++)
            {
                int reversedHi = (int)(Reverse32((uint)hi) >> (32 - TileLog));
                for (int lo = 0; lo < tile; lo++)
                {
                    int i = (hi << hiShift) | iMid | lo;
                    int j = ((int)(Reverse32((uint)lo) >> (32 - TileLog)) << hiShift) | jMid | reversedHi;
                    if (mid != reversedMid || i < j)
                        (Unsafe.Add(ref a, i), Unsafe.Add(ref a, j)) = (Unsafe.Add(ref a, j), Unsafe.Add(ref a, i));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Reverse32(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        return BinaryPrimitives.ReverseEndianness(v);
    }
}
