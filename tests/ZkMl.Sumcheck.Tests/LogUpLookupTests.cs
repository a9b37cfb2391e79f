using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class LogUpLookupTests
{
    private const string Protocol = "ZkMl.Sumcheck.Tests.LogUp";

    /// <summary>The transcript after the "commitments": here the witness and multiplicities are absorbed in full.</summary>
    private static Transcript Committed(Goldilocks[] multiplicities, Goldilocks[][] witness)
    {
        var transcript = new Transcript(Protocol, Naive.Digest("lookup"));
        foreach (var column in witness) transcript.Absorb("witness", column);
        transcript.Absorb("multiplicities", multiplicities);
        return transcript;
    }

    /// <summary>The verifier's full decision: the lookup verifies and its claims match the witness and multiplicities.</summary>
    private static bool Accepts(LookupTable table, Goldilocks[][] witness, Goldilocks[] multiplicities, LookupProof proof)
    {
        int n = System.Numerics.BitOperations.Log2((uint)witness[0].Length);
        if (!LogUpLookup.Verify(Committed(multiplicities, witness), table, n, proof, out var reduction)) return false;
        var point = reduction.WitnessPoint.ToArray();
        for (int j = 0; j < witness.Length; j++)
            if (reduction.ColumnValues[j] != Naive.Evaluate(witness[j], point)) return false;
        return reduction.MultiplicityValue == Naive.Evaluate(multiplicities, reduction.TablePoint.ToArray());
    }

    private static bool AcceptsBytes(LookupTable table, Goldilocks[][] witness, Goldilocks[] multiplicities, byte[] bytes)
    {
        try
        {
            return Accepts(table, witness, multiplicities, LookupProof.FromBytes(bytes));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    private static Goldilocks[] RangeWitness(Random rng, int variables, int bits) =>
        Enumerable.Range(0, 1 << variables).Select(_ => Goldilocks.FromUInt64((ulong)rng.Next(1 << bits))).ToArray();

    private static LookupTable Relu(int bits) => LookupTable.FromFunction(bits, -(1L << (bits - 1)), x => Math.Max(x, 0));

    private static Goldilocks[][] ReluWitness(Random rng, int variables, int bits)
    {
        var x = new Goldilocks[1 << variables];
        var y = new Goldilocks[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            long v = rng.Next(1 << bits) - (1L << (bits - 1));
            (x[i], y[i]) = (Goldilocks.FromInt64(v), Goldilocks.FromInt64(Math.Max(v, 0)));
        }
        return [x, y];
    }

    [Property(MaxTest = 25)]
    public void RangeChecksOfInRangeValuesVerify(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(1, 7), n = rng.Next(1, 7);
        var table = LookupTable.Range(bits);
        Goldilocks[][] witness = [RangeWitness(rng, n, bits)];
        var m = LogUpLookup.Multiplicities(table, witness);
        Assert.Equal((ulong)(1 << n), m.Aggregate(0UL, (s, v) => s + v.Value));
        var result = LogUpLookup.Prove(Committed(m, witness), table, m, witness);
        Assert.True(Accepts(table, witness, m, result.Proof));
        Assert.True(AcceptsBytes(table, witness, m, result.Proof.ToBytes()));
        Assert.Equal(result.Reduction.ColumnValues.ToArray(), result.Proof.ColumnValues.ToArray());
    }

    [Property(MaxTest = 20)]
    public void TwoColumnFunctionLookupsVerify(int seed)
    {
        var rng = new Random(seed);
        int bits = rng.Next(2, 7), n = rng.Next(1, 7);
        var table = Relu(bits);
        var witness = ReluWitness(rng, n, bits);
        var m = LogUpLookup.Multiplicities(table, witness);
        var result = LogUpLookup.Prove(Committed(m, witness), table, m, witness);
        Assert.True(Accepts(table, witness, m, result.Proof));
    }

    /// <summary>2^16 rows: the GKR's top layers take the parallel path.</summary>
    [Fact]
    public void LargeLookupVerifies()
    {
        var rng = new Random(7);
        var table = LookupTable.Range(12);
        Goldilocks[][] witness = [RangeWitness(rng, 16, 12)];
        var m = LogUpLookup.Multiplicities(table, witness);
        var result = LogUpLookup.Prove(Committed(m, witness), table, m, witness);
        Assert.True(LogUpLookup.Verify(Committed(m, witness), table, 16, result.Proof, out var reduction));
        Assert.Equal(Multilinear.Evaluate(witness[0], reduction.WitnessPoint), reduction.ColumnValues[0]);
        Assert.Equal(Multilinear.Evaluate(m, reduction.TablePoint), reduction.MultiplicityValue);
    }

    [Fact]
    public void MultiplicitiesRefuseRowsOutsideTheTable()
    {
        var table = LookupTable.Range(4);
        Goldilocks[] witness = [Goldilocks.FromUInt64(3), Goldilocks.FromUInt64(16)];
        Assert.Throws<ArgumentException>(() => LogUpLookup.Multiplicities(table, witness));
    }

    /// <summary>One value just outside the range (or -1 = p - 1), with every choice of multiplicities a cheater might try.</summary>
    [Theory]
    [InlineData(16UL)]
    [InlineData(17UL)]
    [InlineData(Goldilocks.P - 1)]
    public void AValueOutsideTheRangeIsRejected(ulong outside)
    {
        var rng = new Random((int)(outside % 1000));
        var table = LookupTable.Range(4);
        var honest = RangeWitness(rng, 4, 4);
        var cheat = (Goldilocks[])honest.Clone();
        cheat[5] = Goldilocks.FromUInt64(outside);
        var asIfHonest = LogUpLookup.Multiplicities(table, honest);
        // The multiplicities of the honest witness, and those with the cheated row's count moved to each table row.
        var candidates = new List<Goldilocks[]> { asIfHonest };
        for (int row = 0; row < table.Length; row++)
        {
            var m = (Goldilocks[])asIfHonest.Clone();
            int original = (int)honest[5].Value;
            m[original] -= Goldilocks.One;
            m[row] += Goldilocks.One;
            candidates.Add(m);
        }
        foreach (var m in candidates)
        {
            var result = LogUpLookup.Prove(Committed(m, [cheat]), table, m, cheat);
            Assert.False(Accepts(table, [cheat], m, result.Proof));
        }
    }

    [Fact]
    public void AWrongFunctionValueIsRejected()
    {
        var rng = new Random(11);
        var table = Relu(5);
        var witness = ReluWitness(rng, 5, 5);
        var m = LogUpLookup.Multiplicities(table, witness);
        witness[1][3] += Goldilocks.One; // y != relu(x) for one row
        var result = LogUpLookup.Prove(Committed(m, witness), table, m, witness);
        Assert.False(Accepts(table, witness, m, result.Proof));
    }

    [Fact]
    public void ClaimsOnAnotherWitnessOrOtherMultiplicitiesAreRejected()
    {
        var rng = new Random(12);
        var table = LookupTable.Range(5);
        Goldilocks[][] witness = [RangeWitness(rng, 5, 5)];
        var m = LogUpLookup.Multiplicities(table, witness);
        var result = LogUpLookup.Prove(Committed(m, witness), table, m, witness);
        Assert.True(Accepts(table, witness, m, result.Proof));
        Goldilocks[][] other = [RangeWitness(rng, 5, 5)];
        Assert.False(Accepts(table, other, LogUpLookup.Multiplicities(table, other), result.Proof));
        var shifted = (Goldilocks[])m.Clone();
        shifted[0] += Goldilocks.One;
        shifted[1] -= Goldilocks.One;
        Assert.False(Accepts(table, witness, shifted, result.Proof));
        Assert.False(LogUpLookup.Verify(Committed(m, witness), LookupTable.Range(6), 5, result.Proof, out _));
        Assert.False(LogUpLookup.Verify(Committed(m, witness), table, 4, result.Proof, out _));
    }

    [Fact]
    public void EveryBitFlipTruncationAndExtensionIsRejected()
    {
        var rng = new Random(13);
        var table = Relu(2);
        var witness = ReluWitness(rng, 2, 2);
        var m = LogUpLookup.Multiplicities(table, witness);
        var bytes = LogUpLookup.Prove(Committed(m, witness), table, m, witness).Proof.ToBytes();
        Assert.True(AcceptsBytes(table, witness, m, bytes));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(AcceptsBytes(table, witness, m, flipped), $"bit {bit} flipped was accepted");
        }
        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<ProofFormatException>(() => LookupProof.FromBytes(bytes.AsSpan(0, length)));
        Assert.Throws<ProofFormatException>(() => LookupProof.FromBytes([.. bytes, 0]));
    }

    [Fact]
    public void BadTablesAndWitnessesAreRefusedUpFront()
    {
        Assert.Throws<ArgumentException>(() => new LookupTable(new Goldilocks[3]));
        Assert.Throws<ArgumentException>(() => new LookupTable(new Goldilocks[1]));
        Assert.Throws<ArgumentException>(() => new LookupTable(new Goldilocks[4], new Goldilocks[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LookupTable.Range(LookupTable.MaxVariables + 1));
        var table = LookupTable.Range(3);
        Assert.Throws<ArgumentException>(() => LogUpLookup.Multiplicities(table, new Goldilocks[3]));
        Assert.Throws<ArgumentException>(() => LogUpLookup.Multiplicities(table, new Goldilocks[2], new Goldilocks[2]));
    }
}
