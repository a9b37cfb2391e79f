using System.Buffers.Binary;
using ZkMl.Circuits.Circom;
using ZkMl.Field;
using ZkMl.Tests.Shared;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Circuits.Tests;

public class CircomFormatTests : IClassFixture<CircomFixture>
{
    private readonly CircomFixture _fx;
    private readonly byte[] _r1csBytes;
    private readonly byte[] _wtnsBytes;

    public CircomFormatTests(CircomFixture fx)
    {
        _fx = fx;
        lock (fx)
        {
            var r1cs = Path.Combine(fx.Dir, "sample.r1cs");
            var wtns = Path.Combine(fx.Dir, "sample.wtns");
            if (!File.Exists(wtns))
            {
                var (r, wasm) = fx.Compile("sample", CircomFixture.SampleCircuit);
                fx.CalculateWitness(wasm, """{"pub": "5", "a": "3", "b": "-4"}""", "sample");
            }
            _r1csBytes = File.ReadAllBytes(r1cs);
            _wtnsBytes = File.ReadAllBytes(wtns);
        }
    }

    private static F V(long x) => SignedValues.FromInt64<F>(x);

    [Fact]
    public void Circom2OutputIsReadAndCircomsWitnessSatisfiesIt()
    {
        var system = CircomR1cs.Read<F>(_r1csBytes);
        var witness = CircomWitness.Read<F>(_wtnsBytes);
        Assert.Equal(2, system.PublicOutputCount);
        Assert.Equal(1, system.PublicInputCount);
        Assert.Equal(2, system.PrivateInputCount);
        Assert.Equal(3, system.ConstraintCount); // t, prod, mix (each has a product)
        Assert.Equal(system.WireCount, witness.Length);
        Assert.True(system.IsSatisfied(witness, out var failure), failure?.Description);
        // circom order: one, outputs (prod, mix), public input (pub), private inputs (a, b)
        Assert.Equal(F.One, witness[0]);
        Assert.Equal(V(3 * -4 * 5), witness[1]);
        Assert.Equal(V(3 * 3 + 4 + 7 - (3 * -4) * 3), witness[2]);
        Assert.Equal([V(5), V(3), V(-4)], witness[3..6]);
        for (int i = 1; i < witness.Length; i++)
        {
            var w = (F[])witness.Clone();
            w[i] += F.One;
            Assert.False(system.IsSatisfied(w));
        }
    }

    [Fact]
    public void WritingReproducesCircomsBytesAndReadsBack()
    {
        var system = CircomR1cs.Read<F>(_r1csBytes);
        var ms = new MemoryStream();
        CircomR1cs.Write(system, ms);
        var again = CircomR1cs.Read<F>(ms.ToArray());
        Assert.Equal(system.WireCount, again.WireCount);
        Assert.Equal(system.Constraints, again.Constraints);
        var witness = CircomWitness.Read<F>(_wtnsBytes);
        var ws = new MemoryStream();
        CircomWitness.Write<F>(witness, ws);
        Assert.Equal(_wtnsBytes, ws.ToArray());
    }

    [Fact]
    public void BuilderOutputWrittenAsR1csAndWtnsPassesSnarkjsWitnessCheck()
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(-7));
        var k = b.PublicInput(V(9));
        var bits = b.ToBits(x + b.Constant(128), 8);
        var z = b.IsZero(x - b.Constant(-7));
        b.PublicOutput(b.Mul(x, k) + z + bits[7]);
        var c = b.Build();
        var r1cs = Path.Combine(_fx.Dir, "built.r1cs");
        var wtns = Path.Combine(_fx.Dir, "built.wtns");
        CircomR1cs.WriteFile(c.System, r1cs);
        CircomWitness.WriteFile(c.Witness, wtns);
        var info = NpmPeers.RunSnarkjs(_fx.Dir, "r1cs", "info", r1cs);
        Assert.Contains($"# of Constraints: {c.System.ConstraintCount}", info);
        Assert.Contains($"# of Outputs: 1", info);
        var check = NpmPeers.RunSnarkjs(_fx.Dir, "wtns", "check", r1cs, wtns);
        Assert.Contains("WITNESS IS CORRECT", check);
        var bad = (F[])c.Witness.Clone();
        bad[1] += F.One;
        CircomWitness.WriteFile(bad, wtns);
        var badCheck = Assert.Throws<InvalidOperationException>(() => NpmPeers.RunSnarkjs(_fx.Dir, "wtns", "check", r1cs, wtns));
        Assert.DoesNotContain("WITNESS IS CORRECT", badCheck.Message);
    }

    [Fact]
    public void EveryTruncationOfTheR1csFileIsRejectedWithAFormatException()
    {
        for (int len = 0; len < _r1csBytes.Length; len++)
            Assert.Throws<CircomFormatException>(() => CircomR1cs.Read<F>(_r1csBytes.AsSpan(0, len)));
        for (int len = 0; len < _wtnsBytes.Length; len++)
            Assert.Throws<CircomFormatException>(() => CircomWitness.Read<F>(_wtnsBytes.AsSpan(0, len)));
    }

    private static void AssertRejected(byte[] bytes, string expected, bool wtns = false)
    {
        var ex = wtns
            ? Assert.Throws<CircomFormatException>(() => CircomWitness.Read<F>(bytes))
            : Assert.Throws<CircomFormatException>(() => CircomR1cs.Read<F>(bytes));
        Assert.Contains(expected, ex.Message);
    }

    /// <summary>Offset of the data of the first section of <paramref name="type"/>.</summary>
    private static int SectionData(byte[] file, uint type)
    {
        int pos = 12;
        while (true)
        {
            var t = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos));
            var size = (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(pos + 4));
            if (t == type) return pos + 12;
            pos += 12 + size;
        }
    }

    // Header section data: n8(4) prime(32) nWires(4) nPubOut(4) nPubIn(4) nPrvIn(4) nLabels(8) mConstraints(4)
    private int HeaderData => SectionData(_r1csBytes, 1);

    [Fact]
    public void CorruptR1csHeadersAreRejectedNamingTheProblem()
    {
        byte[] Mutate(Action<byte[]> f) { var b = (byte[])_r1csBytes.Clone(); f(b); return b; }
        AssertRejected(Mutate(b => b[0] = (byte)'x'), "magic");
        AssertRejected(Mutate(b => b[4] = 2), "version");
        AssertRejected(Mutate(b => b[HeaderData + 4] ^= 1), "prime");                // another prime
        AssertRejected(Mutate(b => b[HeaderData] = 8), "field");                     // n8 changes the layout
        AssertRejected(Mutate(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(HeaderData + 36), 2)), "wires"); // too few wires
        AssertRejected(Mutate(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(HeaderData + 60), 4)), "constraint"); // count vs section
        AssertRejected([.. _r1csBytes, 0], "trailing");
    }

    [Fact]
    public void CoefficientsAtOrAboveTheModulusAndWiresOutOfRangeAreRejected()
    {
        var system = CircomR1cs.Read<F>(_r1csBytes);
        // Find the first coefficient in the constraints section and overwrite it with p.
        int cs = SectionData(_r1csBytes, 2);
        var b = (byte[])_r1csBytes.Clone();
        int nA = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(cs));
        Assert.True(nA > 0);
        F.Modulus.TryWriteBytes(b.AsSpan(cs + 8, 32), out _, isUnsigned: true);
        AssertRejected(b, "canonical");
        b = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(cs + 4), (uint)system.WireCount);
        AssertRejected(b, "wire");
    }

    [Fact]
    public void CorruptWitnessFilesAreRejected()
    {
        byte[] Mutate(Action<byte[]> f) { var b = (byte[])_wtnsBytes.Clone(); f(b); return b; }
        AssertRejected(Mutate(b => b[3] = (byte)'x'), "magic", wtns: true);
        AssertRejected(Mutate(b => b[4] = 1), "version", wtns: true);
        int h = SectionData(_wtnsBytes, 1);
        AssertRejected(Mutate(b => b[h + 4] ^= 1), "prime", wtns: true);
        AssertRejected(Mutate(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(h + 36), 99)), "values section", wtns: true);
        AssertRejected(Mutate(b => F.Modulus.TryWriteBytes(b.AsSpan(SectionData(_wtnsBytes, 2), 32), out _, isUnsigned: true)), "canonical", wtns: true);
        Assert.Throws<CircomFormatException>(() => CircomWitness.Read<Goldilocks>(_wtnsBytes));
        Assert.Throws<CircomFormatException>(() => CircomR1cs.Read<Goldilocks>(_r1csBytes));
    }

    // ---- hostile sizes: each declared size is checked before allocation, with a typed exception ----

    private static long Allocated(Action a)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        a();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static TException ThrowsWithin<TException>(Action read, long maxBytes = 16 << 20) where TException : Exception
    {
        TException? caught = null;
        long used = Allocated(() => caught = Assert.Throws<TException>(read));
        Assert.True(used < maxBytes, $"rejecting the input allocated {used} bytes");
        return caught!;
    }

    [Theory]
    [InlineData(1u << 31)]
    [InlineData((1u << 28) + 1)]
    [InlineData(uint.MaxValue)]
    public void R1csClaimingHugeWireCountsHitsTheWireLimit(uint wires)
    {
        var b = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(HeaderData + 36), wires);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(HeaderData + 52), ulong.MaxValue); // labels >= wires
        var e = ThrowsWithin<CircomLimitExceededException>(() => CircomR1cs.Read<F>(b));
        Assert.Equal(nameof(DecoderLimits.MaxWires), e.LimitName);
        Assert.Equal(wires, e.Requested);
    }

    [Fact]
    public void R1csClaimingHugeConstraintCountsIsRejectedBeforeAllocating()
    {
        var b = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(HeaderData + 60), 1u << 27);
        ThrowsWithin<CircomFormatException>(() => CircomR1cs.Read<F>(b)); // fits the limit, not the section's bytes
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(HeaderData + 60), 1u << 30);
        Assert.Equal(nameof(DecoderLimits.MaxConstraints), ThrowsWithin<CircomLimitExceededException>(() => CircomR1cs.Read<F>(b)).LimitName);
        // A term count claiming gigabytes inside one constraint.
        var c = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(SectionData(c, 2)), uint.MaxValue);
        ThrowsWithin<CircomFormatException>(() => CircomR1cs.Read<F>(c));
    }

    [Fact]
    public void SectionSizesAndCountsClaimingGigabytesAreRejected()
    {
        var b = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(16), 1UL << 40); // first section's size
        ThrowsWithin<CircomFormatException>(() => CircomR1cs.Read<F>(b));
        var c = (byte[])_r1csBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(8), uint.MaxValue); // section count
        Assert.Equal(nameof(DecoderLimits.MaxSectionCount), ThrowsWithin<CircomLimitExceededException>(() => CircomR1cs.Read<F>(c)).LimitName);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(8), 1000); // within the limit, but 12 kB of headers are not there
        ThrowsWithin<CircomFormatException>(() => CircomR1cs.Read<F>(c));
    }

    [Theory]
    [InlineData(1u << 31)]
    [InlineData(1u << 27)]
    public void WtnsClaimingHugeWitnessCountsIsRejectedBeforeAllocating(uint count)
    {
        var b = (byte[])_wtnsBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(SectionData(b, 1) + 36), count);
        if (count > 1u << 28)
            Assert.Equal(nameof(DecoderLimits.MaxWires), ThrowsWithin<CircomLimitExceededException>(() => CircomWitness.Read<F>(b)).LimitName);
        else
            ThrowsWithin<CircomFormatException>(() => CircomWitness.Read<F>(b));
    }

    [Fact]
    public void StricterCallerLimitsAreHonouredForFilesAndStreams()
    {
        var tight = new DecoderLimits { MaxWires = 2 };
        Assert.Equal(nameof(DecoderLimits.MaxWires), Assert.Throws<CircomLimitExceededException>(() => CircomR1cs.Read<F>(_r1csBytes, tight)).LimitName);
        Assert.Equal(nameof(DecoderLimits.MaxWires), Assert.Throws<CircomLimitExceededException>(() => CircomWitness.Read<F>(_wtnsBytes, tight)).LimitName);
        var small = new DecoderLimits { MaxBufferBytes = 100 };
        var path = Path.Combine(_fx.Dir, $"{Guid.NewGuid():N}.r1cs");
        File.WriteAllBytes(path, _r1csBytes);
        Assert.Equal(nameof(DecoderLimits.MaxBufferBytes), Assert.Throws<CircomLimitExceededException>(() => CircomR1cs.ReadFile<F>(path, small)).LimitName);
        Assert.Throws<CircomLimitExceededException>(() => CircomR1cs.Read<F>(new MemoryStream(_r1csBytes), small));
        Assert.Equal(CircomR1cs.Read<F>(_r1csBytes).Constraints, CircomR1cs.ReadFile<F>(path).Constraints);
        // The limit exception is still a format exception, so existing handlers keep working.
        Assert.IsAssignableFrom<CircomFormatException>(new CircomLimitExceededException("x", "y", "z", 2, 1));
    }

    // ---- round trips: write then read gives the same object, read then write the same bytes ----

    private static R1cs<F> RandomSystem(int seed)
    {
        var rng = new Random(seed);
        int wires = rng.Next(1, 12);
        int pubOut = rng.Next(0, wires), pubIn = rng.Next(0, wires - pubOut), prv = rng.Next(0, wires - pubOut - pubIn);
        LinearCombination<F> Lc() => LinearCombination<F>.FromTerms(Enumerable.Range(0, rng.Next(0, 4))
            .Select(_ => new Term<F>(rng.Next(wires), F.Random(rng))));
        var constraints = Enumerable.Range(0, rng.Next(0, 8)).Select(_ => new R1csConstraint<F>(Lc(), Lc(), Lc()));
        return new R1cs<F>(wires, pubOut, pubIn, prv, constraints);
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public void R1csWriteReadRoundTripsAndRewritesTheSameBytes(int seed)
    {
        var system = RandomSystem(seed);
        var ms = new MemoryStream();
        CircomR1cs.Write(system, ms);
        var again = CircomR1cs.Read<F>(ms.ToArray());
        Assert.Equal((system.WireCount, system.PublicOutputCount, system.PublicInputCount, system.PrivateInputCount),
            (again.WireCount, again.PublicOutputCount, again.PublicInputCount, again.PrivateInputCount));
        Assert.Equal(system.Constraints, again.Constraints);
        var ms2 = new MemoryStream();
        CircomR1cs.Write(again, ms2);
        Assert.Equal(ms.ToArray(), ms2.ToArray());
    }

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public void WtnsWriteReadRoundTripsAndRewritesTheSameBytes(int seed)
    {
        var rng = new Random(seed);
        var witness = Enumerable.Range(0, rng.Next(0, 40)).Select(_ => F.Random(rng)).ToArray();
        var ms = new MemoryStream();
        CircomWitness.Write<F>(witness, ms);
        var again = CircomWitness.Read<F>(ms.ToArray());
        Assert.Equal(witness, again);
        var ms2 = new MemoryStream();
        CircomWitness.Write<F>(again, ms2);
        Assert.Equal(ms.ToArray(), ms2.ToArray());
    }
}
