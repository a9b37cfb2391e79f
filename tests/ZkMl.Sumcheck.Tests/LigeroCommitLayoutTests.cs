using System.Buffers.Binary;
using System.Security.Cryptography;
using ZkMl.Field;
using ZkMl.Hashing;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The commitment's bytes do not depend on how the prover lays out its codewords or writes its leaves (issue #16): each
/// case's root, prover data and opening match the straightforward construction (each row's message coset-extended on
/// its own, leaves written entry by entry) and a digest recorded before the leaf writer changed (commit 9059796).
/// </summary>
public class LigeroCommitLayoutTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "plain-9", "36A683944BF8E1406FDBFBBE39F4DF3BF4F51B19803C5B3790670F662FBA5861" },
        { "plain-tail-12", "C6F4F3C53E0DF98169817DB1DCD3DC587F54AD5CB98A015CEAF1794D28D226ED" },
        { "hiding-12", "26B1D64236D0FCF61D92FD8F9B76C8387DAC1CCB043EE83CB118E26EB116C790" },
        { "hiding-tail-13", "A38A2FC226CDA040121A53E41521CC1234E0618B3A5628303EDA3C0960E95F5E" },
        { "seeded-12", "3178225D028B39BF09CE6A7F9AC84D2D36DB9C593B94332C69FA053D362E3CA3" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CommitMatchesTheEntryByEntryConstruction(string name, string golden)
    {
        var (data, table, variables) = Make(name);
        var c = data.Commitment;
        int columns = checked((int)c.ColumnCount);
        Assert.Equal(c.Rows, data.Messages.Length);
        for (int k = 0; k < c.Rows; k++)
        {
            if (k < c.DataRows)
            {
                int from = k * c.RowLength, count = Math.Max(0, Math.Min(c.RowLength, table.Length - from));
                Assert.Equal(table.AsSpan(from, count).ToArray(), data.Messages[k][..count]);
            }
            var expected = new Goldilocks[columns];
            Ntt<Goldilocks>.Instance.CosetExtend(data.Messages[k], expected, Goldilocks.One);
            Assert.Equal(expected, data.Codewords[k]);
        }
        int leafBytes = c.LeafBytes;
        var reference = new Blake3MerkleTree(columns, leafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
            {
                var leaf = destination.Slice(j * leafBytes, leafBytes);
                for (int k = 0; k < c.Rows; k++) BinaryPrimitives.WriteUInt64LittleEndian(leaf.Slice(8 * k, 8), data.Codewords[k][first + j].Value);
                if (data.Salts.Length > 0) data.Salts.AsSpan(32 * (first + j), 32).CopyTo(leaf[(8 * c.Rows)..]);
            }
        });
        Assert.Equal(reference.Root, c.Root);
        string digest = Digest(data, variables, name);
        Assert.True(golden == digest, $"{name}: {digest}");
    }

    /// <summary>A commitment's rows extend on one thread each: the same values as the parallel extension (above its threshold).</summary>
    [Theory]
    [InlineData(4096, 1 << 16)]
    [InlineData(5000, 1 << 16)]
    [InlineData(1 << 15, 1 << 15)]
    public void SequentialExtensionEqualsParallel(int coefficients, int length)
    {
        var rng = new Random(coefficients);
        var message = new Goldilocks[coefficients];
        for (int i = 0; i < message.Length; i++) message[i] = Goldilocks.FromUInt64((ulong)rng.NextInt64());
        var parallel = new Goldilocks[length];
        var sequential = new Goldilocks[length];
        var shift = Goldilocks.FromUInt64(7);
        Ntt<Goldilocks>.Instance.CosetExtend(message, parallel, shift);
        Ntt<Goldilocks>.Instance.CosetExtend(message, sequential, shift, allowParallel: false);
        Assert.Equal(parallel, sequential);
    }

    private static (LigeroProverData Data, Goldilocks[] Table, int Variables) Make(string name)
    {
        var rng = new Random(name.Length * 31 + name[0]);
        return name switch
        {
            "plain-9" => Plain(rng),
            "plain-tail-12" => TailPlain(rng),
            "hiding-12" => Full(rng, Naive.RandomTable(rng, 12)),
            "hiding-tail-13" => TailHiding(rng),
            _ => Seeded(rng),
        };
    }

    private static (LigeroProverData, Goldilocks[], int) Plain(Random rng)
    {
        var table = Naive.RandomTable(rng, 9);
        return (LigeroPcs.Commit(new LigeroParameters(2, 40, false), table), table, 9);
    }

    private static (LigeroProverData, Goldilocks[], int) TailPlain(Random rng)
    {
        var table = Naive.RandomTable(rng, 12)[..3000];
        return (LigeroPcs.CommitZeroTail(new LigeroParameters(3, 60, false), table, 12), table, 12);
    }

    private static (LigeroProverData, Goldilocks[], int) Full(Random rng, Goldilocks[] table) =>
        (LigeroPcs.Commit(new LigeroParameters(3, 112, true), table, 1, new Random(rng.Next())), table, 12);

    private static (LigeroProverData, Goldilocks[], int) TailHiding(Random rng)
    {
        var table = Naive.RandomTable(rng, 13)[..5000];
        return (LigeroPcs.CommitZeroTail(new LigeroParameters(3, 112, true), table, 13, 1, new Random(rng.Next())), table, 13);
    }

    private static (LigeroProverData, Goldilocks[], int) Seeded(Random rng)
    {
        var table = Naive.RandomTable(rng, 12);
        var seed = new byte[32];
        rng.NextBytes(seed);
        return (LigeroPcs.CommitSeeded(new LigeroParameters(4, 116, true, 2), table, 2, seed), table, 12);
    }

    /// <summary>SHA-256 of the commitment, one opening at a fixed point, its value and the next challenge.</summary>
    private static string Digest(LigeroProverData data, int variables, string name)
    {
        var rng = new Random(name.Length);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, variables)];
        var values = new GoldilocksExt2[1];
        var transcript = new Transcript("layout", Naive.Digest(name));
        data.Commitment.AbsorbInto(transcript);
        var opening = LigeroPcs.Open(transcript, data, points, values);
        var writer = new ProofWriter("LAYO", 1);
        data.Commitment.WriteTo(writer);
        writer.Write(values);
        writer.WriteBytes(opening.ToBytes());
        writer.Write(transcript.ChallengeExt("after"));
        return Convert.ToHexString(SHA256.HashData(writer.ToArray()));
    }
}
