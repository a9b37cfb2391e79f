namespace ZkMl.Hashing.Tests;

public class Blake3Tests
{
    private static byte[] Reference(ReadOnlySpan<byte> message)
    {
        var d = new byte[32];
        Blake3.Hasher.Hash(message, d);
        return d;
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(4, 8)]
    [InlineData(16, 9)]
    [InlineData(48, 16)]
    [InlineData(60, 8)]
    [InlineData(64, 19)]
    [InlineData(68, 8)]
    [InlineData(80, 17)]
    [InlineData(128, 24)]
    [InlineData(13, 9)]     // not a multiple of 4: package path
    [InlineData(1020, 8)]
    [InlineData(1024, 9)]
    [InlineData(1032, 8)]   // more than one chunk: chunk counters and one parent
    [InlineData(1028, 16)]
    [InlineData(2048, 17)]  // two whole chunks
    [InlineData(2080, 16)]  // a Ligero column of 256 rows and its salt: three chunks, two parent levels
    [InlineData(3072, 8)]
    [InlineData(4100, 24)]  // five chunks: the left subtree holds four
    [InlineData(7172, 9)]
    [InlineData(16384, 16)] // the longest vector message
    [InlineData(16388, 8)]  // past it: package path
    public void BatchMatchesThePackage(int length, int count)
    {
        var messages = new byte[length * count];
        new Random(length * 31 + count).NextBytes(messages);
        var digests = new byte[32 * count];
        Blake3Batch.HashMany(messages, length, count, digests);
        for (int i = 0; i < count; i++)
            Assert.Equal(Reference(messages.AsSpan(i * length, length)), digests.AsSpan(32 * i, 32).ToArray());
    }

    [Theory]
    [InlineData(8, "2351207d04fc16ade43ccab08600939c7c1fa70a5c0aaca76063d04c3228eaeb")]
    [InlineData(64, "4eed7141ea4a5cd4b788606bd23f46e212af9cacebacdc7d1f4c6dc7f2511b98")]
    [InlineData(1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7")]
    public void BatchMatchesPublishedVectors(int length, string expected)
    {
        // Official BLAKE3 test_vectors.json: the input is the byte sequence i % 251.
        var input = Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray();
        // 25 copies: a 16-lane step (AVX-512), an 8-lane step and one message through the package.
        var messages = Enumerable.Repeat(input, 25).SelectMany(m => m).ToArray();
        var digests = new byte[32 * 25];
        Blake3Batch.HashMany(messages, length, 25, digests);
        for (int i = 0; i < 25; i++) Assert.Equal(expected, Convert.ToHexStringLower(digests.AsSpan(32 * i, 32)));
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(8, 64)]
    [InlineData(4096, 64)]
    [InlineData(8192, 24)]
    [InlineData(4096, 13)]
    [InlineData(4096, 1100)]
    public void MerkleRootMatchesNaiveTree(int leaves, int leafBytes)
    {
        var data = new byte[leaves * leafBytes];
        new Random(leaves + leafBytes).NextBytes(data);
        var tree = new Blake3MerkleTree(leaves, leafBytes, (first, count, dst) => data.AsSpan(first * leafBytes, count * leafBytes).CopyTo(dst));
        var level = Enumerable.Range(0, leaves).Select(i => Reference(data.AsSpan(i * leafBytes, leafBytes))).ToArray();
        while (level.Length > 1)
            level = Enumerable.Range(0, level.Length / 2).Select(i => Reference([.. level[2 * i], .. level[2 * i + 1]])).ToArray();
        Assert.Equal(level[0], tree.Root);
    }
}
