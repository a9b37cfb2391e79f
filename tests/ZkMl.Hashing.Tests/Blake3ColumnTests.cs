using ZkMl.Field;

namespace ZkMl.Hashing.Tests;

/// <summary><see cref="Blake3Batch.HashColumns"/> equals the package's BLAKE3 of each written-out column leaf.</summary>
public class Blake3ColumnTests
{
    [Theory]
    [InlineData(1, 40, 3, false)]
    [InlineData(1, 40, 0, true)]
    [InlineData(3, 33, 5, true)]    // a partial last block holding rows and salt
    [InlineData(7, 48, 16, false)]
    [InlineData(8, 64, 0, true)]    // rows fill a block, the salt a partial one
    [InlineData(12, 37, 2, true)]   // the salt straddles two blocks
    [InlineData(128, 32, 0, false)] // exactly one chunk
    [InlineData(129, 32, 16, true)]
    [InlineData(356, 64, 16, true)] // the step's stack: three chunks, the last one partial
    [InlineData(300, 200, 5, true)] // several fallback batches of 64 KiB (without AVX-512)
    [InlineData(2044, 17, 0, true)] // 16 KiB: the longest vector message
    [InlineData(2045, 17, 0, true)] // past it: the package
    public void ColumnsMatchThePackage(int rowCount, int count, int first, bool salted)
    {
        var random = new Random(rowCount * 131 + count * 7 + first);
        int columns = first + count + 3;
        var rows = new Goldilocks[rowCount][];
        for (int k = 0; k < rowCount; k++)
        {
            rows[k] = new Goldilocks[columns];
            for (int c = 0; c < columns; c++) rows[k][c] = Goldilocks.FromUInt64((ulong)random.NextInt64() * 3);
        }
        if (rowCount > 0) rows[0][first] = Goldilocks.FromCanonical(Goldilocks.P - 1);
        var salts = new byte[salted ? 32 * columns : 0];
        random.NextBytes(salts);
        var digests = new byte[32 * count];
        Blake3Batch.HashColumns(rows, salts, first, count, digests);
        int length = 8 * rowCount + (salted ? 32 : 0);
        var leaf = new byte[length];
        var expected = new byte[32];
        for (int j = 0; j < count; j++)
        {
            for (int k = 0; k < rowCount; k++) BitConverter.TryWriteBytes(leaf.AsSpan(8 * k, 8), rows[k][first + j].Value);
            if (salted) salts.AsSpan(32 * (first + j), 32).CopyTo(leaf.AsSpan(8 * rowCount));
            Blake3.Hasher.Hash(leaf, expected);
            Assert.Equal(expected, digests.AsSpan(32 * j, 32).ToArray());
        }
    }

    [Fact]
    public void Rejects_columns_past_a_row()
    {
        var rows = new[] { new Goldilocks[16], new Goldilocks[15] };
        Assert.Throws<ArgumentException>(() => Blake3Batch.HashColumns(rows, [], 0, 16, new byte[32 * 16]));
        Assert.Throws<ArgumentException>(() => Blake3Batch.HashColumns([new Goldilocks[16]], new byte[32 * 15], 0, 16, new byte[32 * 16]));
    }
}
