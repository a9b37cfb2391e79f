using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZkMl.Hashing;

/// <summary>
/// Plain BLAKE3 (32-byte output) of many equal-length messages at once, eight messages per 256-bit vector lane set.
/// The Blake3 package hashes one message per call, so a Merkle tree's millions of one- or two-block messages pay its
/// per-call cost and use one lane of its SIMD code; here each 32-bit state word of eight independent compressions
/// shares a vector; a message of several chunks (up to 16 KiB: a Ligero column of many rows) hashes its chunks in
/// sequence in its lane and merges their chaining values by the chunk tree's parents. Digests are identical to
/// <c>Blake3.Hasher.Hash</c> (tests compare them); messages longer than 16 chunks (16 KiB), lengths that are not a
/// multiple of 4 and the last count % 8 messages go through the package.
/// </summary>
internal static partial class Blake3Batch
{
    private const int Lanes = 8;
    private const int ChunkLength = 1024;
    private const uint ChunkStart = 1, ChunkEnd = 2, Parent = 4, Root = 8;
    /// <summary>Longest message the vector paths take (chunks of one message hashed in sequence within its lane).</summary>
    private const int MaxChunks = 16;

    private static readonly uint[] Iv =
        [0x6A09E667u, 0xBB67AE85u, 0x3C6EF372u, 0xA54FF53Au, 0x510E527Fu, 0x9B05688Cu, 0x1F83D9ABu, 0x5BE0CD19u];

    /// <summary>True when the vector path runs on this machine.</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    private const int WideLanes = 16;

    /// <summary>Sixteen messages per step on AVX-512 (the eight-lane path takes the rest).</summary>
    private static bool Wide => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>
    /// digests[32 i .. 32 i + 32) = BLAKE3(messages[length i .. length (i + 1))) for i &lt; count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    public static void HashMany(ReadOnlySpan<byte> messages, int length, int count, Span<byte> digests)
    {
        if (length < 0 || count < 0 || messages.Length < (long)length * count || digests.Length < 32L * count)
            throw new ArgumentException("Message or digest buffer too small.");
        int done = 0;
        if (Wide && length > 0 && length <= MaxChunks * ChunkLength && length % 4 == 0)
        {
            Span<uint> words = stackalloc uint[16 * WideLanes];
            for (; done + WideLanes <= count; done += WideLanes)
                HashSixteen(messages.Slice(done * length, WideLanes * length), length, digests.Slice(done * 32, WideLanes * 32), words);
        }
        if (IsAccelerated && length > 0 && length <= MaxChunks * ChunkLength && length % 4 == 0)
        {
            Span<uint> words = stackalloc uint[16 * Lanes];
            for (; done + Lanes <= count; done += Lanes)
                HashEight(messages.Slice(done * length, Lanes * length), length, digests.Slice(done * 32, Lanes * 32), words);
        }
        for (int i = done; i < count; i++) Blake3.Hasher.Hash(messages.Slice(i * length, length), digests.Slice(i * 32, 32));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    private static void HashEight(ReadOnlySpan<byte> messages, int length, Span<byte> digests, Span<uint> words)
    {
        int chunks = (length + ChunkLength - 1) / ChunkLength;
        // Each chunk's chaining value (8 vectors), merged into the root by the parents of BLAKE3's chunk tree.
        Span<Vector256<uint>> cvs = stackalloc Vector256<uint>[8 * chunks];
        ref byte source = ref MemoryMarshal.GetReference(messages);
        for (int c = 0; c < chunks; c++)
        {
            var h0 = Vector256.Create(Iv[0]); var h1 = Vector256.Create(Iv[1]); var h2 = Vector256.Create(Iv[2]); var h3 = Vector256.Create(Iv[3]);
            var h4 = Vector256.Create(Iv[4]); var h5 = Vector256.Create(Iv[5]); var h6 = Vector256.Create(Iv[6]); var h7 = Vector256.Create(Iv[7]);
            int start = c * ChunkLength, blocks = (Math.Min(ChunkLength, length - start) + 63) / 64;
            for (int b = 0; b < blocks; b++)
            {
                int offset = start + 64 * b;
                int blockLength = Math.Min(64, length - offset);
                int blockWords = blockLength / 4;
                Transpose(ref source, length, offset, blockWords, Lanes, words);
                uint flags = (b == 0 ? ChunkStart : 0) | (b == blocks - 1 ? ChunkEnd | (chunks == 1 ? Root : 0) : 0);
                Compress(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, words, (uint)blockLength, flags, (uint)c);
            }
            (cvs[8 * c], cvs[8 * c + 1], cvs[8 * c + 2], cvs[8 * c + 3], cvs[8 * c + 4], cvs[8 * c + 5], cvs[8 * c + 6], cvs[8 * c + 7]) = (h0, h1, h2, h3, h4, h5, h6, h7);
        }
        Merge(cvs, 0, chunks, true, words);
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (cvs[0], cvs[1], cvs[2], cvs[3], cvs[4], cvs[5], cvs[6], cvs[7]);
        // Digest of lane l: little-endian words h0[l]..h7[l].
        ref byte output = ref MemoryMarshal.GetReference(digests);
        Span<uint> lanes = stackalloc uint[8 * Lanes];
        r0.CopyTo(lanes); r1.CopyTo(lanes[8..]); r2.CopyTo(lanes[16..]); r3.CopyTo(lanes[24..]);
        r4.CopyTo(lanes[32..]); r5.CopyTo(lanes[40..]); r6.CopyTo(lanes[48..]); r7.CopyTo(lanes[56..]);
        for (int lane = 0; lane < Lanes; lane++)
            for (int w = 0; w < 8; w++)
                BinaryPrimitives.WriteUInt32LittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref output, 32 * lane + 4 * w), 4), lanes[w * Lanes + lane]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    private static void Compress(ref Vector256<uint> h0, ref Vector256<uint> h1, ref Vector256<uint> h2, ref Vector256<uint> h3,
        ref Vector256<uint> h4, ref Vector256<uint> h5, ref Vector256<uint> h6, ref Vector256<uint> h7,
        ReadOnlySpan<uint> words, uint blockLength, uint flags, uint counter)
    {
        ref var w = ref Unsafe.As<uint, Vector256<uint>>(ref MemoryMarshal.GetReference(words[..(16 * Lanes)]));
        var m0 = w; var m1 = Unsafe.Add(ref w, 1); var m2 = Unsafe.Add(ref w, 2); var m3 = Unsafe.Add(ref w, 3);
        var m4 = Unsafe.Add(ref w, 4); var m5 = Unsafe.Add(ref w, 5); var m6 = Unsafe.Add(ref w, 6); var m7 = Unsafe.Add(ref w, 7);
        var m8 = Unsafe.Add(ref w, 8); var m9 = Unsafe.Add(ref w, 9); var m10 = Unsafe.Add(ref w, 10); var m11 = Unsafe.Add(ref w, 11);
        var m12 = Unsafe.Add(ref w, 12); var m13 = Unsafe.Add(ref w, 13); var m14 = Unsafe.Add(ref w, 14); var m15 = Unsafe.Add(ref w, 15);
        Vector256<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
        Vector256<uint> v8 = Vector256.Create(0x6A09E667u), v9 = Vector256.Create(0xBB67AE85u), v10 = Vector256.Create(0x3C6EF372u), v11 = Vector256.Create(0xA54FF53Au);
        Vector256<uint> v12 = Vector256.Create(counter), v13 = Vector256<uint>.Zero; // the chunk counter (< 2^32: at most MaxChunks chunks)
        Vector256<uint> v14 = Vector256.Create(blockLength), v15 = Vector256.Create(flags);
        for (int r = 0; r < 7; r++)
        {
            G(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G(ref v3, ref v4, ref v9, ref v14, m14, m15);
            // The BLAKE3 message permutation [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8].
            (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) =
                (m2, m6, m3, m10, m7, m0, m4, m13, m1, m11, m12, m5, m9, m14, m15, m8);
        }
        h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
        h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector256<uint> a, ref Vector256<uint> b, ref Vector256<uint> c, ref Vector256<uint> d, Vector256<uint> x, Vector256<uint> y)
    {
        a = a + b + x;
        d = Rotr16(d ^ a);
        c += d;
        b = Rotr12(b ^ c);
        a = a + b + y;
        d = Rotr8(d ^ a);
        c += d;
        b = Rotr7(b ^ c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr16(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 16) : Vector256.ShiftRightLogical(x, 16) | Vector256.ShiftLeft(x, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr12(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 12) : Vector256.ShiftRightLogical(x, 12) | Vector256.ShiftLeft(x, 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr8(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 8) : Vector256.ShiftRightLogical(x, 8) | Vector256.ShiftLeft(x, 24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotr7(Vector256<uint> x) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, 7) : Vector256.ShiftRightLogical(x, 7) | Vector256.ShiftLeft(x, 25);

    /// <summary>words[w * lanes + lane] = word w of one block of message `lane` (zero past the message end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref byte source, int length, int offset, int blockWords, int lanes, Span<uint> words)
    {
        words.Clear();
        for (int lane = 0; lane < lanes; lane++)
        {
            ref byte message = ref Unsafe.Add(ref source, lane * length + offset);
            for (int w = 0; w < blockWords; w++)
                words[w * lanes + lane] = BinaryPrimitives.ReadUInt32LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref message, 4 * w), 4));
        }
    }

    // HashSixteen repeats HashEight for Vector512: one width-generic version would cost the kernel its register allocation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    private static void HashSixteen(ReadOnlySpan<byte> messages, int length, Span<byte> digests, Span<uint> words)
    {
        int chunks = (length + ChunkLength - 1) / ChunkLength;
        // Each chunk's chaining value (8 vectors), merged into the root by the parents of BLAKE3's chunk tree.
        Span<Vector512<uint>> cvs = stackalloc Vector512<uint>[8 * chunks];
        ref byte source = ref MemoryMarshal.GetReference(messages);
        for (int c = 0; c < chunks; c++)
        {
            var h0 = Vector512.Create(Iv[0]); var h1 = Vector512.Create(Iv[1]); var h2 = Vector512.Create(Iv[2]); var h3 = Vector512.Create(Iv[3]);
            var h4 = Vector512.Create(Iv[4]); var h5 = Vector512.Create(Iv[5]); var h6 = Vector512.Create(Iv[6]); var h7 = Vector512.Create(Iv[7]);
            int start = c * ChunkLength, blocks = (Math.Min(ChunkLength, length - start) + 63) / 64;
            for (int b = 0; b < blocks; b++)
            {
                int offset = start + 64 * b;
                int blockLength = Math.Min(64, length - offset);
                int blockWords = blockLength / 4;
                Transpose(ref source, length, offset, blockWords, WideLanes, words);
                uint flags = (b == 0 ? ChunkStart : 0) | (b == blocks - 1 ? ChunkEnd | (chunks == 1 ? Root : 0) : 0);
                CompressWide(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, words, (uint)blockLength, flags, (uint)c);
            }
            (cvs[8 * c], cvs[8 * c + 1], cvs[8 * c + 2], cvs[8 * c + 3], cvs[8 * c + 4], cvs[8 * c + 5], cvs[8 * c + 6], cvs[8 * c + 7]) = (h0, h1, h2, h3, h4, h5, h6, h7);
        }
        Merge(cvs, 0, chunks, true, words);
        // Digest of lane l: little-endian words h0[l]..h7[l].
        var (r0, r1, r2, r3, r4, r5, r6, r7) = (cvs[0], cvs[1], cvs[2], cvs[3], cvs[4], cvs[5], cvs[6], cvs[7]);
        ref byte output = ref MemoryMarshal.GetReference(digests);
        Span<uint> lanes = stackalloc uint[8 * WideLanes];
        r0.CopyTo(lanes); r1.CopyTo(lanes[16..]); r2.CopyTo(lanes[32..]); r3.CopyTo(lanes[48..]);
        r4.CopyTo(lanes[64..]); r5.CopyTo(lanes[80..]); r6.CopyTo(lanes[96..]); r7.CopyTo(lanes[112..]);
        for (int lane = 0; lane < WideLanes; lane++)
            for (int w = 0; w < 8; w++)
                BinaryPrimitives.WriteUInt32LittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref output, 32 * lane + 4 * w), 4), lanes[w * WideLanes + lane]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot SIMD kernel: skip tier-0
    private static void CompressWide(ref Vector512<uint> h0, ref Vector512<uint> h1, ref Vector512<uint> h2, ref Vector512<uint> h3,
        ref Vector512<uint> h4, ref Vector512<uint> h5, ref Vector512<uint> h6, ref Vector512<uint> h7,
        ReadOnlySpan<uint> words, uint blockLength, uint flags, uint counter)
    {
        ref var w = ref Unsafe.As<uint, Vector512<uint>>(ref MemoryMarshal.GetReference(words[..(16 * WideLanes)]));
        var m0 = w; var m1 = Unsafe.Add(ref w, 1); var m2 = Unsafe.Add(ref w, 2); var m3 = Unsafe.Add(ref w, 3);
        var m4 = Unsafe.Add(ref w, 4); var m5 = Unsafe.Add(ref w, 5); var m6 = Unsafe.Add(ref w, 6); var m7 = Unsafe.Add(ref w, 7);
        var m8 = Unsafe.Add(ref w, 8); var m9 = Unsafe.Add(ref w, 9); var m10 = Unsafe.Add(ref w, 10); var m11 = Unsafe.Add(ref w, 11);
        var m12 = Unsafe.Add(ref w, 12); var m13 = Unsafe.Add(ref w, 13); var m14 = Unsafe.Add(ref w, 14); var m15 = Unsafe.Add(ref w, 15);
        Vector512<uint> v0 = h0, v1 = h1, v2 = h2, v3 = h3, v4 = h4, v5 = h5, v6 = h6, v7 = h7;
        Vector512<uint> v8 = Vector512.Create(0x6A09E667u), v9 = Vector512.Create(0xBB67AE85u), v10 = Vector512.Create(0x3C6EF372u), v11 = Vector512.Create(0xA54FF53Au);
        Vector512<uint> v12 = Vector512.Create(counter), v13 = Vector512<uint>.Zero;
        Vector512<uint> v14 = Vector512.Create(blockLength), v15 = Vector512.Create(flags);
        for (int r = 0; r < 7; r++)
        {
            G(ref v0, ref v4, ref v8, ref v12, m0, m1);
            G(ref v1, ref v5, ref v9, ref v13, m2, m3);
            G(ref v2, ref v6, ref v10, ref v14, m4, m5);
            G(ref v3, ref v7, ref v11, ref v15, m6, m7);
            G(ref v0, ref v5, ref v10, ref v15, m8, m9);
            G(ref v1, ref v6, ref v11, ref v12, m10, m11);
            G(ref v2, ref v7, ref v8, ref v13, m12, m13);
            G(ref v3, ref v4, ref v9, ref v14, m14, m15);
            (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15) =
                (m2, m6, m3, m10, m7, m0, m4, m13, m1, m11, m12, m5, m9, m14, m15, m8);
        }
        h0 = v0 ^ v8; h1 = v1 ^ v9; h2 = v2 ^ v10; h3 = v3 ^ v11;
        h4 = v4 ^ v12; h5 = v5 ^ v13; h6 = v6 ^ v14; h7 = v7 ^ v15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(ref Vector512<uint> a, ref Vector512<uint> b, ref Vector512<uint> c, ref Vector512<uint> d, Vector512<uint> x, Vector512<uint> y)
    {
        a = a + b + x;
        d = Avx512F.RotateRight(d ^ a, 16);
        c += d;
        b = Avx512F.RotateRight(b ^ c, 12);
        a = a + b + y;
        d = Avx512F.RotateRight(d ^ a, 8);
        c += d;
        b = Avx512F.RotateRight(b ^ c, 7);
    }

    /// <summary>
    /// The chaining value of chunks [first, first + count) into cvs[8 first ..]: BLAKE3's tree, whose left subtree holds
    /// the largest power of two of chunks that leaves the right one non-empty; parents hash left || right under the IV.
    /// </summary>
    private static void Merge(Span<Vector256<uint>> cvs, int first, int count, bool root, Span<uint> words)
    {
        if (count == 1) return;
        int left = 1 << BitOperations.Log2((uint)count - 1);
        Merge(cvs, first, left, false, words);
        Merge(cvs, first + left, count - left, false, words);
        var block = MemoryMarshal.Cast<uint, Vector256<uint>>(words[..(16 * Lanes)]);
        cvs.Slice(8 * first, 8).CopyTo(block);
        cvs.Slice(8 * (first + left), 8).CopyTo(block[8..]);
        var h0 = Vector256.Create(Iv[0]); var h1 = Vector256.Create(Iv[1]); var h2 = Vector256.Create(Iv[2]); var h3 = Vector256.Create(Iv[3]);
        var h4 = Vector256.Create(Iv[4]); var h5 = Vector256.Create(Iv[5]); var h6 = Vector256.Create(Iv[6]); var h7 = Vector256.Create(Iv[7]);
        Compress(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, words, 64, Parent | (root ? Root : 0), 0);
        (cvs[8 * first], cvs[8 * first + 1], cvs[8 * first + 2], cvs[8 * first + 3], cvs[8 * first + 4], cvs[8 * first + 5], cvs[8 * first + 6], cvs[8 * first + 7]) =
            (h0, h1, h2, h3, h4, h5, h6, h7);
    }

    /// <summary>As the eight-lane <see cref="Merge(Span{Vector256{uint}}, int, int, bool, Span{uint})"/> for sixteen lanes.</summary>
    private static void Merge(Span<Vector512<uint>> cvs, int first, int count, bool root, Span<uint> words)
    {
        if (count == 1) return;
        int left = 1 << BitOperations.Log2((uint)count - 1);
        Merge(cvs, first, left, false, words);
        Merge(cvs, first + left, count - left, false, words);
        var block = MemoryMarshal.Cast<uint, Vector512<uint>>(words[..(16 * WideLanes)]);
        cvs.Slice(8 * first, 8).CopyTo(block);
        cvs.Slice(8 * (first + left), 8).CopyTo(block[8..]);
        var h0 = Vector512.Create(Iv[0]); var h1 = Vector512.Create(Iv[1]); var h2 = Vector512.Create(Iv[2]); var h3 = Vector512.Create(Iv[3]);
        var h4 = Vector512.Create(Iv[4]); var h5 = Vector512.Create(Iv[5]); var h6 = Vector512.Create(Iv[6]); var h7 = Vector512.Create(Iv[7]);
        CompressWide(ref h0, ref h1, ref h2, ref h3, ref h4, ref h5, ref h6, ref h7, words, 64, Parent | (root ? Root : 0), 0);
        (cvs[8 * first], cvs[8 * first + 1], cvs[8 * first + 2], cvs[8 * first + 3], cvs[8 * first + 4], cvs[8 * first + 5], cvs[8 * first + 6], cvs[8 * first + 7]) =
            (h0, h1, h2, h3, h4, h5, h6, h7);
    }
}
