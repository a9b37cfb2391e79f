using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Field;

// The bit-reversal permutation of Ntt<T>: a simple swap loop for small inputs, cache-friendly tiles for large ones.
public sealed partial class Ntt<T>
{
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
