using System.Buffers.Binary;
using ZkMl.Training.Shards;

namespace ZkMl.Training.Tests.Shards;

public class ShardSecretTests
{
    private static readonly ShardContributor Shard = ShardContributor.Commit(ShardFixture.Digits(0, 3), ShardFixture.Parameters(3));

    [Fact]
    public void TheTrainerRecommitsTheSameRootFromTheExportedRowsAndSalts()
    {
        var bytes = Shard.ExportSecret();
        var back = ShardContributor.ImportSecret(bytes, ShardFixture.Parameters(3));
        Assert.Equal(Shard.Root.ToArray(), back.Root.ToArray());
        Assert.Equal(bytes, back.ExportSecret());
    }

    [Fact]
    public void MalformedOrMismatchedRowsAreTypedErrors()
    {
        var bytes = Shard.ExportSecret();
        var p = ShardFixture.Parameters(3);
        for (int n = 0; n < bytes.Length; n += 7) Assert.Throws<ShardFormatException>(() => ShardContributor.ImportSecret(bytes.AsSpan(0, n), p));
        Assert.Equal("Encoding", Assert.Throws<ShardFormatException>(() => ShardContributor.ImportSecret([.. bytes, 0], p)).Field);
        Assert.Equal("Encoding", Assert.Throws<ShardFormatException>(() => ShardContributor.ImportSecret(bytes, p, new ShardLimits { MaxSecretBytes = 64 })).Field);
        Assert.Equal("RowCount", Assert.Throws<ShardFormatException>(() => ShardContributor.ImportSecret(bytes, ShardFixture.Parameters(8))).Field);
        Assert.Equal("RowCount", Mutated(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(6), uint.MaxValue)));
        Assert.Equal("InputSize", Mutated(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(10), uint.MaxValue)));
        Assert.Equal("Features", Mutated(b => BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(14), -1)));
        int labelsAt = 14 + 3 * ShardFixture.Features * 8;
        Assert.Equal("Labels", Mutated(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(labelsAt), ShardFixture.Classes)));
        Assert.Equal("Salts", Mutated(b => b.AsSpan(labelsAt + 12, 32).Fill(0xFF)));
        Assert.Equal("Magic", Mutated(b => b[0] = 0));

        string Mutated(Action<byte[]> mutate)
        {
            var b = bytes.ToArray();
            mutate(b);
            return Assert.Throws<ShardFormatException>(() => ShardContributor.ImportSecret(b, p)).Field;
        }
    }
}
