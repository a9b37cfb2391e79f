using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ZkMl.Field;

namespace ZkMl.Hashing;

internal static partial class Blake3Batch
{
    /// <summary>
    /// digests[32 j ..] = BLAKE3 of column first + j of <paramref name="rows"/> (each row's entry, 8 bytes little endian,
    /// then the column's 32-byte salt when <paramref name="salts"/> is not empty) for j &lt; count: a Ligero commitment's
    /// leaves, hashed straight from the row codewords. With AVX-512, sixteen columns at a time load each row's sixteen
    /// entries as two vectors and split them into the low and high message words, where writing the leaves out and
    /// transposing them back into lanes (<see cref="HashMany"/>) costs scalar loads and stores per word. Digests equal
    /// <see cref="HashMany"/>'s over the written leaves (the fallback for the rest).
    /// </summary>
    public static void HashColumns(Goldilocks[][] rows, ReadOnlySpan<byte> salts, int first, int count, Span<byte> digests)
    {
        int length = 8 * rows.Length + (salts.IsEmpty ? 0 : 32);
        if (first < 0 || count < 0 || digests.Length < 32L * count) throw new ArgumentException("Bad column range or digest buffer too small.");
        foreach (var row in rows)
            if (row.Length < (long)first + count) throw new ArgumentException("A row is shorter than the columns.", nameof(rows));
        if (!salts.IsEmpty && salts.Length < 32L * (first + count)) throw new ArgumentException("Too few salts for the columns.", nameof(salts));
        int done = 0;
        if (Wide && BitConverter.IsLittleEndian && rows.Length > 0 && length <= MaxChunks * ChunkLength)
        {
            Span<uint> words = stackalloc uint[16 * WideLanes];
            for (; done + WideLanes <= count; done += WideLanes)
                HashColumnsSixteen(rows, salts, first + done, length, digests.Slice(done * 32, WideLanes * 32), words);
        }
        if (done == count) return;
        // The rest (all of it without AVX-512): leaves written out in batches of about 64 KiB, row by row across the batch
        // (each row's stretch read contiguously), then hashed by HashMany.
        int batch = Math.Min(count - done, Math.Max(8, 64 * 1024 / Math.Max(1, length)));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(batch * length);
        try
        {
            for (; done < count; done += batch)
            {
                int n = Math.Min(batch, count - done), column = first + done;
                var leaves = buffer.AsSpan(0, n * length);
                for (int k = 0; k < rows.Length; k++)
                {
                    var row = rows[k].AsSpan(column, n);
                    for (int j = 0; j < n; j++) BinaryPrimitives.WriteUInt64LittleEndian(leaves.Slice(j * length + 8 * k, 8), row[j].Value);
                }
                if (!salts.IsEmpty)
                    for (int j = 0; j < n; j++) salts.Slice(32 * (column + j), 32).CopyTo(leaves.Slice(j * length + 8 * rows.Length, 32));
                HashMany(leaves, length, n, digests.Slice(done * 32, n * 32));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><see cref="HashSixteen"/> with the message words read from the rows (<see cref="ColumnWords"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    private static void HashColumnsSixteen(Goldilocks[][] rows, ReadOnlySpan<byte> salts, int first, int length, Span<byte> digests, Span<uint> words)
    {
        int chunks = (length + ChunkLength - 1) / ChunkLength;
        Span<Vector512<uint>> cvs = stackalloc Vector512<uint>[8 * chunks];
        for (int c = 0; c < chunks; c++)
        {
            var h0 = Vector512.Create(Iv[0]); var h1 = Vector512.Create(Iv[1]); var h2 = Vector512.Create(Iv[2]); var h3 = Vector512.Create(Iv[3]);
            var h4 = Vector512.Create(Iv[4]); var h5 = Vector512.Create(Iv[5]); var h6 = Vector512.Create(Iv[6]); var h7 = Vector512.Create(Iv[7]);
            int start = c * ChunkLength, blocks = (Math.Min(ChunkLength, length - start) + 63) / 64;
            for (int b = 0; b < blocks; b++)
            {
                int offset = start + 64 * b;
                int blockLength = Math.Min(64, length - offset);
                ColumnWords(rows, salts, first, offset / 4, blockLength / 4, words);
                uint flags = (b == 0 ? ChunkStart : 0) | (b == blocks - 1 ? ChunkEnd | (chunks == 1 ? Root : 0) : 0);
                CompressWide(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, words, (uint)blockLength, flags, (uint)c);
            }
            (cvs[8 * c], cvs[8 * c + 1], cvs[8 * c + 2], cvs[8 * c + 3], cvs[8 * c + 4], cvs[8 * c + 5], cvs[8 * c + 6], cvs[8 * c + 7]) = (h0, h1, h2, h3, h4, h5, h6, h7);
        }
        Merge(cvs, 0, chunks, true, words);
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (cvs[0], cvs[1], cvs[2], cvs[3], cvs[4], cvs[5], cvs[6], cvs[7]);
        ref byte output = ref MemoryMarshal.GetReference(digests);
        Span<uint> lanes = stackalloc uint[8 * WideLanes];
        r0.CopyTo(lanes); r1.CopyTo(lanes[16..]); r2.CopyTo(lanes[32..]); r3.CopyTo(lanes[48..]);
        r4.CopyTo(lanes[64..]); r5.CopyTo(lanes[80..]); r6.CopyTo(lanes[96..]); r7.CopyTo(lanes[112..]);
        for (int lane = 0; lane < WideLanes; lane++)
            for (int w = 0; w < 8; w++)
                BinaryPrimitives.WriteUInt32LittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref output, 32 * lane + 4 * w), 4), lanes[w * WideLanes + lane]);
    }

    /// <summary>
    /// words[w * 16 + lane] = leaf word firstWord + w of column first + lane, w &lt; blockWords (zero beyond): leaf word 2k
    /// and 2k + 1 are the low and high halves of rows[k][column], the words past the rows the column's salt.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ColumnWords(Goldilocks[][] rows, ReadOnlySpan<byte> salts, int first, int firstWord, int blockWords, Span<uint> words)
    {
        if (blockWords < 16) words.Clear();
        ref var destination = ref Unsafe.As<uint, Vector512<uint>>(ref MemoryMarshal.GetReference(words));
        // Lane l of the low words is 32-bit element 2l of the pair (a, b) seen as 32 elements, of the high words 2l + 1.
        var even = Vector512.Create(0u, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = even + Vector512<uint>.One;
        int rowWords = 2 * rows.Length, w = 0;
        for (; w < blockWords && firstWord + w < rowWords; w += 2)
        {
            ref ulong entry = ref Unsafe.As<Goldilocks, ulong>(ref MemoryMarshal.GetArrayDataReference(rows[(firstWord + w) >> 1]));
            var a = Vector512.LoadUnsafe(ref entry, (nuint)first).AsUInt32();
            var b = Vector512.LoadUnsafe(ref entry, (nuint)first + 8).AsUInt32();
            Unsafe.Add(ref destination, w) = Avx512F.PermuteVar16x32x2(a, even, b);
            Unsafe.Add(ref destination, w + 1) = Avx512F.PermuteVar16x32x2(a, odd, b);
        }
        for (; w < blockWords; w++)
        {
            int saltWord = firstWord + w - rowWords;
            for (int lane = 0; lane < WideLanes; lane++)
                words[w * WideLanes + lane] = BinaryPrimitives.ReadUInt32LittleEndian(salts.Slice(32 * (first + lane) + 4 * saltWord, 4));
        }
    }
}
