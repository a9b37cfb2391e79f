using System.Buffers.Binary;
using ZkMl.Training.Shards;

namespace ZkMl.Training.Tests.Shards;

public class ShardEncodingTests
{
    // Structure only: the decoder never checks signature or proof, so a placeholder attestation exercises it without a setup.
    private static readonly ContributorKey Key = ContributorKey.Create();

    private static ShardAttestation Sample()
    {
        var shard = ShardContributor.Commit(ShardFixture.Digits(0, 4), ShardFixture.Parameters(4));
        return shard.Sign(ShardFixture.RunId, Key, shard.Claims(), new byte[ShardAttestation.ProofBytes]);
    }

    [Fact]
    public void EncodingRoundTrips()
    {
        var a = Sample();
        var bytes = a.Encode();
        var back = ShardAttestation.Decode(bytes);
        Assert.Equal(bytes, back.Encode());
        Assert.Equal(a.Claims, back.Claims);
        Assert.Equal(a.ContributorKey, back.ContributorKey, (x, y) => x.SequenceEqual(y));
        Assert.Equal(a.SignedBytes(), back.SignedBytes());
    }

    [Fact]
    public void EveryTruncationAndTrailingBytesAreTypedErrors()
    {
        var bytes = Sample().Encode();
        for (int n = 0; n < bytes.Length; n++) Assert.Throws<ShardFormatException>(() => ShardAttestation.Decode(bytes.AsSpan(0, n)));
        Assert.Equal("Encoding", Assert.Throws<ShardFormatException>(() => ShardAttestation.Decode([.. bytes, 0])).Field);
    }

    [Fact]
    public void HostileFieldsAreRejectedBeforeAllocating()
    {
        var bytes = Sample().Encode();
        int keyAt = 4 + 2 + 32;
        int keyLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(keyAt));
        int rowsAt = keyAt + 4 + keyLength + 32;
        int classesAt = rowsAt + 8;

        Field("Magic", b => b[0] = (byte)'X');
        Field("Version", b => b[4] = 2);
        Field(nameof(ShardAttestation.ContributorKey), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(keyAt), uint.MaxValue));
        Field(nameof(ShardAttestation.ContributorKey), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(keyAt), 0));
        Field(nameof(ShardAttestation.ShardRoot), b => b.AsSpan(rowsAt - 32, 32).Fill(0xFF));
        Field(nameof(ShardClaims.RowCount), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(rowsAt), 0));
        Field(nameof(ShardClaims.RowCount), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(rowsAt), uint.MaxValue));
        Field(nameof(ShardClaims.MaxFeature), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(rowsAt + 4), 1u << 25));
        Field(nameof(ShardClaims.Histogram), b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(classesAt), ushort.MaxValue));
        Field(nameof(ShardClaims.Histogram), b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(classesAt), 0));
        Field(nameof(ShardClaims.Histogram), b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(classesAt + 2), 5));
        Assert.Equal("Encoding", Assert.Throws<ShardFormatException>(() => ShardAttestation.Decode(bytes, new ShardLimits { MaxEncodedBytes = 100 })).Field);
        Assert.Equal(nameof(ShardClaims.Histogram),
            Assert.Throws<ShardFormatException>(() => ShardAttestation.Decode(bytes, new ShardLimits { MaxClasses = 9 })).Field);

        void Field(string field, Action<byte[]> mutate)
        {
            var b = bytes.ToArray();
            mutate(b);
            Assert.Equal(field, Assert.Throws<ShardFormatException>(() => ShardAttestation.Decode(b)).Field);
        }
    }
}
