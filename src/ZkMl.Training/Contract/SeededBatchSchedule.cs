using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ZkMl.Training.Contract;

/// <summary>
/// <see cref="BatchScheduleRule.FeistelEpochs"/>: the rows of step t follow from a 32-byte schedule seed, never from the
/// worker. With E = rows / batch steps per epoch (an incomplete last batch is dropped), step t is in epoch e = t / E at
/// index i = t mod E and uses rows P_e(i*batch + j), j &lt; batch, where P_e is a keyed permutation of [0, rows):
/// a <see cref="Rounds"/>-round balanced Feistel network over w bits (w = the smallest even number &gt;= 2 with
/// 2^w &gt;= rows), applied repeatedly until the result is below rows (cycle walking). Round r maps (L, R) to
/// (R, L xor F_r(R)) with x = L * 2^(w/2) + R and F_r(R) = the first 4 bytes (u32 LE) of
/// SHA-256("ZkMl.BatchSchedule.v1" || seed || u32 LE e || u8 r || u32 LE R), masked to w/2 bits.
/// No row repeats within an epoch, and any step's rows cost O(batch) hashes (expected at most 4 walks per row).
/// </summary>
public static class SeededBatchSchedule
{
    /// <summary>Feistel rounds.</summary>
    public const int Rounds = 6;

    /// <summary>The domain tag of the round function.</summary>
    public static ReadOnlySpan<byte> Tag => "ZkMl.BatchSchedule.v1"u8;

    /// <summary>Steps per epoch: rows / batch, rounded down.</summary>
    public static int StepsPerEpoch(int rowCount, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowCount, batchSize);
        return rowCount / batchSize;
    }

    /// <summary>The row indices of step <paramref name="step"/>.</summary>
    public static int[] Rows(ReadOnlySpan<byte> seed, int rowCount, int batchSize, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        int perEpoch = StepsPerEpoch(rowCount, batchSize);
        var prp = new Prp(seed, rowCount, step / perEpoch);
        var rows = new int[batchSize];
        long start = (long)(step % perEpoch) * batchSize;
        for (int j = 0; j < batchSize; j++) rows[j] = prp.Apply((int)(start + j));
        return rows;
    }

    /// <summary>P_epoch(position): the keyed permutation of [0, <paramref name="rowCount"/>).</summary>
    public static int Permute(ReadOnlySpan<byte> seed, int rowCount, int epoch, int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, rowCount);
        return new Prp(seed, rowCount, epoch).Apply(position);
    }

    private readonly ref struct Prp
    {
        private readonly byte[] _input; // tag || seed || epoch || round || value
        private readonly int _rows, _half;
        private readonly uint _mask;

        internal Prp(ReadOnlySpan<byte> seed, int rows, int epoch)
        {
            if (seed.Length != 32) throw new ArgumentException("A schedule seed is 32 bytes.", nameof(seed));
            _rows = rows;
            int width = 2;
            while ((1L << width) < rows) width += 2;
            _half = width / 2;
            _mask = (1u << _half) - 1;
            _input = new byte[Tag.Length + 32 + 4 + 1 + 4];
            Tag.CopyTo(_input);
            seed.CopyTo(_input.AsSpan(Tag.Length));
            BinaryPrimitives.WriteUInt32LittleEndian(_input.AsSpan(Tag.Length + 32), (uint)epoch);
        }

        internal int Apply(int position)
        {
            uint x = (uint)position;
            do x = Feistel(x); while (x >= (uint)_rows);
            return (int)x;
        }

        private uint Feistel(uint x)
        {
            uint left = x >> _half, right = x & _mask;
            Span<byte> hash = stackalloc byte[32];
            for (int r = 0; r < Rounds; r++)
            {
                _input[^5] = (byte)r;
                BinaryPrimitives.WriteUInt32LittleEndian(_input.AsSpan(_input.Length - 4), right);
                SHA256.HashData(_input, hash);
                (left, right) = (right, left ^ (BinaryPrimitives.ReadUInt32LittleEndian(hash) & _mask));
            }
            return (left << _half) | right;
        }
    }
}
