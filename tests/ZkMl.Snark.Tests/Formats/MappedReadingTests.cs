using System.Buffers.Binary;
using ZkMl.Circuits;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Snark.Formats;
using ZkMl.Snark.Groth16;

namespace ZkMl.Snark.Tests.Formats;

/// <summary>
/// The memory-mapped .zkey and .wtns readers: a key with several chunks per point section reads back exactly as written,
/// and truncated files, sections running past the end and bad points deep in a section are typed errors raised before
/// any large allocation.
/// </summary>
public class MappedReadingTests : IDisposable
{
    private static readonly Lazy<(Groth16ProvingKey Key, Bn254Fr[] Witness)> Circuit = new(() =>
    {
        // A chain of 2,600 products: more than one 2,048-point G1 chunk and many G2 chunks per section.
        var b = new R1csBuilder<Bn254Fr>();
        var x = b.PrivateInput(Bn254Fr.FromUInt64(3));
        var acc = x;
        for (int i = 0; i < 2600; i++) acc = b.Mul(acc, x);
        b.PublicOutput(acc);
        var built = b.Build();
        return (Groth16Setup.Development(built.System), built.Witness);
    });

    private readonly string _dir = Directory.CreateTempSubdirectory("zkml-mapped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(byte[] bytes, string ext)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.{ext}");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private byte[] KeyBytes()
    {
        var path = Path.Combine(_dir, "key.zkey");
        Zkey.Write(Circuit.Value.Key, path);
        return File.ReadAllBytes(path);
    }

    /// <summary>Offset of the section header (type, size) of section <paramref name="type"/>.</summary>
    private static int SectionHeader(byte[] file, uint type)
    {
        int pos = 12;
        while (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos)) != type)
            pos += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(pos + 4));
        return pos;
    }

    private static T ThrowsWithin<T>(Action read, long maxBytes = 4 << 20) where T : Exception
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var e = Assert.Throws<T>(read);
        long used = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(used < maxBytes, $"rejecting the input allocated {used} bytes");
        return e;
    }

    [Fact]
    public void KeyReadBackEqualsTheKeyWritten()
    {
        var key = Circuit.Value.Key;
        var read = Zkey.ReadProvingKey(Write(KeyBytes(), "zkey"));
        Assert.Equal(key.VariableCount, read.VariableCount);
        Assert.Equal(key.DomainSize, read.DomainSize);
        Assert.Equal(key.APoints, read.APoints);
        Assert.Equal(key.B2Points, read.B2Points);
        Assert.Equal(key.HPoints, read.HPoints);
        // And it still proves: the verifier accepts a proof made with the key read back.
        var (proof, publicSignals) = new Groth16Prover().Prove(read, Circuit.Value.Witness);
        Assert.True(Groth16Verifier.Verify(key.VerifyingKey, publicSignals, proof));
    }

    [Theory]
    [InlineData(5u)]
    [InlineData(7u)]
    [InlineData(9u)]
    public void KeyCutInsideAPointSectionIsATypedErrorBeforeAllocating(uint section)
    {
        var bytes = KeyBytes();
        int header = SectionHeader(bytes, section);
        long size = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(header + 4));
        var cut = Write(bytes.AsSpan(0, header + 12 + (int)(size / 2)).ToArray(), "zkey");
        Assert.Contains("truncated", ThrowsWithin<SnarkFormatException>(() => Zkey.ReadProvingKey(cut)).Message);
    }

    [Fact]
    public void PointSectionLongerThanTheFileIsATypedErrorBeforeAllocating()
    {
        var bytes = KeyBytes();
        int header = SectionHeader(bytes, 9);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(header + 4), 1UL << 36);
        var e = ThrowsWithin<SnarkFormatException>(() => Zkey.ReadProvingKey(Write(bytes, "zkey")));
        Assert.Contains("section 9 declares", e.Message);
    }

    [Fact]
    public void BadPointDeepInASectionIsNamedByItsIndex()
    {
        var bytes = KeyBytes();
        int h = SectionHeader(bytes, 9) + 12;
        int index = Circuit.Value.Key.DomainSize - 3; // in the last chunk of H
        bytes[h + index * 64 + 5] ^= 1;
        var e = Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(Write(bytes, "zkey")));
        Assert.Contains($"H section: point {index} ", e.Message);

        var g2 = KeyBytes();
        int b2 = SectionHeader(g2, 7) + 12;
        g2[b2 + 2000 * 128 + 7] ^= 1;
        e = Assert.Throws<SnarkFormatException>(() => Zkey.ReadProvingKey(Write(g2, "zkey")));
        Assert.Contains("B2 section: point 2000 ", e.Message);
    }

    private byte[] WitnessBytes()
    {
        using var stream = new MemoryStream();
        CircomWitness.Write<Bn254Fr>(Circuit.Value.Witness, stream);
        return stream.ToArray();
    }

    [Fact]
    public void WitnessFileReadsBackAsWritten()
    {
        var path = Path.Combine(_dir, "w.wtns");
        CircomWitness.WriteFile(Circuit.Value.Witness, path);
        Assert.Equal(Circuit.Value.Witness, CircomWitness.ReadFile<Bn254Fr>(path));
    }

    [Fact]
    public void EmptyOrTruncatedWitnessFileIsATypedError()
    {
        Assert.Throws<CircomFormatException>(() => CircomWitness.ReadFile<Bn254Fr>(Write([], "wtns")));
        var bytes = WitnessBytes();
        var cut = Write(bytes.AsSpan(0, bytes.Length - 1).ToArray(), "wtns");
        Assert.Contains("truncated", ThrowsWithin<CircomFormatException>(() => CircomWitness.ReadFile<Bn254Fr>(cut)).Message);
    }

    [Fact]
    public void WitnessSectionLongerThanTheFileIsATypedErrorBeforeAllocating()
    {
        var bytes = WitnessBytes();
        int values = SectionHeader(bytes, 2);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(values + 4), 1UL << 40);
        var e = ThrowsWithin<CircomFormatException>(() => CircomWitness.ReadFile<Bn254Fr>(Write(bytes, "wtns")));
        Assert.Contains("truncated", e.Message);
        // A header claiming billions of values is refused by the limit, not by an allocation.
        var count = WitnessBytes();
        int header = SectionHeader(count, 1) + 12;
        BinaryPrimitives.WriteUInt32LittleEndian(count.AsSpan(header + 4 + 32), uint.MaxValue);
        ThrowsWithin<CircomLimitExceededException>(() => CircomWitness.ReadFile<Bn254Fr>(Write(count, "wtns")));
    }
}
