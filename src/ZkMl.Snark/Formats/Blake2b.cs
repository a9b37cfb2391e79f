using System.Buffers.Binary;
using System.Numerics;

namespace ZkMl.Snark.Formats;

/// <summary>
/// BLAKE2b-512 (RFC 7693), unkeyed: snarkjs hashes the circuit and each phase-2 contribution with it, so a ceremony
/// record we write must use the same hash. Incremental: <see cref="Update"/> any number of times, then <see cref="Digest"/>.
/// </summary>
internal sealed class Blake2b
{
    private static readonly ulong[] Iv =
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    private static readonly byte[,] Sigma =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
        { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
        { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
        { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
        { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
        { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
        { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
        { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
        { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
        { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
    };

    private readonly ulong[] _h = new ulong[8];
    private readonly byte[] _block = new byte[128];
    private int _filled;
    private ulong _counter;

    public Blake2b()
    {
        Iv.CopyTo(_h, 0);
        _h[0] ^= 0x01010000UL ^ 64; // digest length 64, no key, fanout = depth = 1
    }

    public Blake2b Clone()
    {
        var c = new Blake2b();
        _h.CopyTo(c._h, 0);
        _block.CopyTo(c._block, 0);
        c._filled = _filled;
        c._counter = _counter;
        return c;
    }

    /// <summary>Size of <see cref="ExportPartial"/>'s state: the pending block, the chained state, the counters.</summary>
    public const int PartialSize = 216;

    /// <summary>
    /// The running state in the layout snarkjs 0.7 stores as a powers-of-tau contribution's "partial hash" (the response
    /// hash before the public key, as @noble/hashes keeps it): the 128-byte block buffer (stale bytes included),
    /// h[0..8) as little-endian words, then u32 words: bytes compressed (low, high), bytes pending (low, high), zero padding.
    /// </summary>
    public byte[] ExportPartial()
    {
        var b = new byte[PartialSize];
        _block.CopyTo(b, 0);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(128 + 8 * i), _h[i]);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(192), _counter);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(200), (ulong)_filled);
        return b;
    }

    /// <summary>Resumes a state written by <see cref="ExportPartial"/> (or snarkjs); null when it is not a valid state.</summary>
    public static Blake2b? FromPartial(ReadOnlySpan<byte> partial)
    {
        if (partial.Length != PartialSize) return null;
        ulong counter = BinaryPrimitives.ReadUInt64LittleEndian(partial[192..]);
        ulong filled = BinaryPrimitives.ReadUInt64LittleEndian(partial[200..]);
        if (filled > 128 || counter % 128 != 0) return null;
        var c = new Blake2b();
        for (int i = 0; i < 8; i++) c._h[i] = BinaryPrimitives.ReadUInt64LittleEndian(partial[(128 + 8 * i)..]);
        partial[..(int)filled].CopyTo(c._block);
        c._filled = (int)filled;
        c._counter = counter;
        return c;
    }

    public void Update(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            // The last block is compressed only in Digest (with the final flag), so keep a full block pending.
            if (_filled == 128)
            {
                _counter += 128;
                Compress(_block, false);
                _filled = 0;
            }
            // Whole blocks that are not the input's last skip the pending buffer, as @noble/hashes does: the buffer's
            // stale bytes are part of the partial state snarkjs stores, so they must match for identical files.
            if (_filled == 0 && data.Length > 128)
            {
                for (; data.Length > 128; data = data[128..])
                {
                    _counter += 128;
                    Compress(data[..128], false);
                }
                continue;
            }
            int n = Math.Min(128 - _filled, data.Length);
            data[..n].CopyTo(_block.AsSpan(_filled));
            _filled += n;
            data = data[n..];
        }
    }

    public byte[] Digest()
    {
        _counter += (ulong)_filled;
        _block.AsSpan(_filled).Clear();
        Compress(_block, true);
        var result = new byte[64];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(8 * i), _h[i]);
        return result;
    }

    private void Compress(ReadOnlySpan<byte> block, bool last)
    {
        Span<ulong> m = stackalloc ulong[16];
        Span<ulong> v = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
        for (int i = 0; i < 8; i++) { v[i] = _h[i]; v[i + 8] = Iv[i]; }
        v[12] ^= _counter;
        if (last) v[14] = ~v[14];
        for (int r = 0; r < 12; r++)
        {
            int s = r % 10;
            G(v, 0, 4, 8, 12, m[Sigma[s, 0]], m[Sigma[s, 1]]);
            G(v, 1, 5, 9, 13, m[Sigma[s, 2]], m[Sigma[s, 3]]);
            G(v, 2, 6, 10, 14, m[Sigma[s, 4]], m[Sigma[s, 5]]);
            G(v, 3, 7, 11, 15, m[Sigma[s, 6]], m[Sigma[s, 7]]);
            G(v, 0, 5, 10, 15, m[Sigma[s, 8]], m[Sigma[s, 9]]);
            G(v, 1, 6, 11, 12, m[Sigma[s, 10]], m[Sigma[s, 11]]);
            G(v, 2, 7, 8, 13, m[Sigma[s, 12]], m[Sigma[s, 13]]);
            G(v, 3, 4, 9, 14, m[Sigma[s, 14]], m[Sigma[s, 15]]);
        }
        for (int i = 0; i < 8; i++) _h[i] ^= v[i] ^ v[i + 8];
    }

    private static void G(Span<ulong> v, int a, int b, int c, int d, ulong x, ulong y)
    {
        v[a] = v[a] + v[b] + x; v[d] = BitOperations.RotateRight(v[d] ^ v[a], 32);
        v[c] = v[c] + v[d]; v[b] = BitOperations.RotateRight(v[b] ^ v[c], 24);
        v[a] = v[a] + v[b] + y; v[d] = BitOperations.RotateRight(v[d] ^ v[a], 16);
        v[c] = v[c] + v[d]; v[b] = BitOperations.RotateRight(v[b] ^ v[c], 63);
    }
}
