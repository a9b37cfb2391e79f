using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class LigeroPcsTests
{
    private static readonly LigeroParameters Small = new(2, 12, false);
    private static readonly LigeroParameters SmallHiding = new(2, 12, true);

    private static Transcript NewTranscript(string statement = "pcs") => new("ZkMl.Sumcheck.Tests.Ligero", Naive.Digest(statement));

    /// <summary>What a commitment opens to: f~(r), plus r_0 (1 - r_0) R~(r_col) for a hiding one (R its slot-0 evaluation mask).</summary>
    private static GoldilocksExt2 Expected(LigeroProverData data, Goldilocks[] table, GoldilocksExt2[] point)
    {
        var value = Naive.Evaluate(table, point);
        var c = data.Commitment;
        if (!c.Parameters.Hiding) return value;
        return value + point[0] * (GoldilocksExt2.One - point[0]) * Naive.Evaluate(data.EvaluationMask(0), point[c.RowVariables..]);
    }

    private static (LigeroOpening Opening, GoldilocksExt2[] Values) Open(LigeroProverData data, GoldilocksExt2[][] points)
    {
        var values = new GoldilocksExt2[points.Length];
        var opening = LigeroPcs.Open(NewTranscript(), data, points, values);
        return (opening, values);
    }

    private static bool Verifies(LigeroCommitment commitment, GoldilocksExt2[][] points, GoldilocksExt2[] values, byte[] opening)
    {
        try
        {
            return LigeroPcs.Verify(NewTranscript(), commitment, points, values, opening);
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 30)]
    public void OpeningsVerifyAndGiveTheMultilinearExtension(int seed, bool hiding)
    {
        var rng = new Random(seed);
        int n = rng.Next(hiding ? 1 : 0, 9), count = hiding ? 1 : rng.Next(1, 4);
        var table = Naive.RandomTable(rng, n);
        var parameters = hiding ? SmallHiding : LigeroParameters.Default;
        var data = LigeroPcs.Commit(parameters, table, rng);
        var points = Enumerable.Range(0, count).Select(_ => Naive.RandomPoint(rng, n)).ToArray();
        var (opening, values) = Open(data, points);
        for (int p = 0; p < count; p++) Assert.Equal(Expected(data, table, points[p]), values[p]);
        Assert.True(LigeroPcs.Verify(NewTranscript(), data.Commitment, points, values, opening));
        Assert.True(Verifies(data.Commitment, points, values, opening.ToBytes()));
    }

    [Fact]
    public void ALargeCommitmentOpens()
    {
        var rng = new Random(1);
        var table = Naive.RandomTable(rng, 16);
        var data = LigeroPcs.Commit(LigeroParameters.DefaultHiding, table, rng);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 16)];
        var (opening, values) = Open(data, points);
        Assert.Equal(Expected(data, table, points[0]), values[0]);
        Assert.True(Verifies(data.Commitment, points, values, opening.ToBytes()));
    }

    [Fact]
    public void WrongValuesOtherPointsAndOtherCommitmentsAreRejected()
    {
        var rng = new Random(2);
        var table = Naive.RandomTable(rng, 6);
        var data = LigeroPcs.Commit(Small, table, rng);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 6)];
        var (opening, values) = Open(data, points);
        var bytes = opening.ToBytes();
        Assert.True(Verifies(data.Commitment, points, values, bytes));
        Assert.False(Verifies(data.Commitment, points, [values[0] + GoldilocksExt2.One], bytes));
        Assert.False(Verifies(data.Commitment, [Naive.RandomPoint(rng, 6)], values, bytes));
        var other = LigeroPcs.Commit(Small, Naive.RandomTable(rng, 6), rng);
        Assert.False(Verifies(other.Commitment, points, values, bytes));
        Assert.False(LigeroPcs.Verify(NewTranscript("another statement"), data.Commitment, points, values, opening));
    }

    /// <summary>A prover who sends the combined row of another polynomial (and the matching value) is caught by the columns.</summary>
    [Fact]
    public void AnEvaluationRowOfAnotherPolynomialIsRejected()
    {
        var rng = new Random(3);
        var table = Naive.RandomTable(rng, 8);
        var data = LigeroPcs.Commit(LigeroParameters.Default, table, rng);
        var forgedTable = (Goldilocks[])table.Clone();
        forgedTable[17] += Goldilocks.One;
        var forgedData = LigeroPcs.Commit(LigeroParameters.Default, forgedTable, rng);
        // The forger's prover data: its own rows, but the honest commitment's codewords and tree (what the root binds).
        var mixed = new LigeroProverData(data.Commitment, forgedData.Messages, data.Codewords, data.Salts, data.Tree);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 8)];
        var (opening, values) = Open(mixed, points);
        Assert.Equal(Naive.Evaluate(forgedTable, points[0]), values[0]);
        Assert.False(Verifies(data.Commitment, points, values, opening.ToBytes()));
    }

    /// <summary>
    /// The mixed-codeword forgery: a root over codewords that are half the encoding of f and half that of f'. Opened as
    /// f or as f', every query on the other half fails, so neither opening verifies: the root binds one polynomial.
    /// </summary>
    [Fact]
    public void AMixedCodewordCommitmentOpensAsNeitherPolynomial()
    {
        var rng = new Random(4);
        var f = Naive.RandomTable(rng, 8);
        var g = Naive.RandomTable(rng, 8);
        var fData = LigeroPcs.Commit(LigeroParameters.Default, f, rng);
        var gData = LigeroPcs.Commit(LigeroParameters.Default, g, rng);
        int columns = (int)fData.Commitment.ColumnCount, rows = fData.Commitment.Rows;
        var mixedCodewords = new Goldilocks[rows][];
        for (int k = 0; k < rows; k++)
            mixedCodewords[k] = [.. fData.Codewords[k].Take(columns / 2), .. gData.Codewords[k].Skip(columns / 2)];
        var tree = new Hashing.Blake3MerkleTree(columns, fData.Commitment.LeafBytes, (first, count, destination) =>
        {
            for (int j = 0; j < count; j++)
                for (int k = 0; k < rows; k++) mixedCodewords[k][first + j].WriteBytes(destination.Slice(j * 8 * rows + 8 * k, 8));
        });
        var commitment = new LigeroCommitment(LigeroParameters.Default, 8, fData.Commitment.RowVariables, tree.Root);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 8)];
        foreach (var messages in new[] { fData.Messages, gData.Messages })
        {
            var (opening, values) = Open(new LigeroProverData(commitment, messages, mixedCodewords, [], tree), points);
            Assert.False(Verifies(commitment, points, values, opening.ToBytes()));
        }
    }

    [Fact]
    public void EveryBitFlipTruncationAndExtensionIsRejected()
    {
        var rng = new Random(5);
        var table = Naive.RandomTable(rng, 3);
        var parameters = new LigeroParameters(1, 3, true);
        var data = LigeroPcs.Commit(parameters, table, rng);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 3)];
        var (opening, values) = Open(data, points);
        var bytes = opening.ToBytes();
        Assert.True(Verifies(data.Commitment, points, values, bytes));
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Verifies(data.Commitment, points, values, flipped), $"bit {bit} flipped was accepted");
        }
        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(bytes.AsSpan(0, length)));
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes([.. bytes, 0]));
    }

    [Fact]
    public void HugeCountsAreRefusedBeforeAllocating()
    {
        var writer = new ProofWriter(LigeroOpening.Magic, LigeroOpening.FormatVersion);
        writer.WriteUInt32(16);
        writer.WriteUInt32(1u << LigeroPcs.MaxCodewordLog);
        writer.WriteUInt32(1u << LigeroPcs.MaxVariables);
        writer.WriteByte(1);
        writer.WriteUInt32(LigeroParameters.MaxQueries);
        writer.WriteUInt32(LigeroParameters.MaxQueries);
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(writer.ToArray()));
    }

    [Fact]
    public void TheDefaultParametersGiveAtLeast100Bits()
    {
        Assert.InRange(LigeroParameters.Default.SoundnessBits, 100, 101);
        Assert.Equal(LigeroParameters.Default.SoundnessBits, LigeroParameters.DefaultHiding.SoundnessBits);
        // Per query log2(2 / (1 + rho)): the unique-decoding bound at proximity (1 - rho) / 2.
        Assert.Equal(Math.Log2(8.0 / 5), LigeroParameters.QueryBits(2), 12);
        Assert.Equal(Math.Log2(16.0 / 9), LigeroParameters.QueryBits(3), 12);
        Assert.Equal(128 * Math.Log2(16.0 / 9), new LigeroParameters(3, 128, false).SoundnessBits, 9);
    }

    /// <summary>
    /// A table with a zero tail committed by its nonzero prefix: only the rows the prefix reaches are committed, the
    /// openings give the multilinear extension of the whole zero-padded table, and a proof is refused against the
    /// commitment with its data rows changed (more rows, fewer rows, or the full shape).
    /// </summary>
    [Property(MaxTest = 20)]
    public void AZeroTailIsNotCommittedAndOpensAsZero(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 11);
        var table = Naive.RandomTable(rng, n);
        int used = rng.Next(1, table.Length + 1);
        Array.Clear(table, used, table.Length - used);
        var data = LigeroPcs.CommitZeroTail(LigeroParameters.Default, table.AsSpan(0, used), n);
        var c = data.Commitment;
        Assert.Equal((used + c.RowLength - 1) / c.RowLength, c.DataRows);
        Assert.Equal(LigeroParameters.Default.CodewordLength(n, used), c.ColumnCount);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, n)];
        var (opening, values) = Open(data, points);
        Assert.Equal(Naive.Evaluate(table, points[0]), values[0]);
        var bytes = opening.ToBytes();
        Assert.True(Verifies(c, points, values, bytes));
        Assert.Equal(c.DataRows, opening.Rows);

        var writer = new ProofWriter("TEST", 1);
        c.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        var back = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal(c.DataRows, back.DataRows);
        Assert.True(Verifies(back, points, values, bytes));
        foreach (int rows in new[] { c.DataRows - 1, c.DataRows + 1 }.Where(r => r >= 1 && r <= 1 << c.RowVariables))
        {
            var shape = new LigeroCommitment(c.Parameters, n, c.RowVariables, c.Root, 1, rows);
            Assert.False(Verifies(shape, points, values, bytes));
        }
        if (c.DataRows < 1 << c.RowVariables) Assert.False(Verifies(new LigeroCommitment(c.Parameters, n, c.RowVariables, c.Root), points, values, bytes));
    }

    [Fact]
    public void ZeroTailShapesAreChecked()
    {
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(LigeroParameters.Default, new Goldilocks[5], 2));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(LigeroParameters.Default, [], 2));
        Assert.Throws<ArgumentException>(() => LigeroPcs.CommitZeroTail(SmallHiding, new Goldilocks[3], 2));
        // The 0x40 flag with the full row count, or with none, does not decode.
        foreach (uint rows in new uint[] { 0, 4 })
        {
            var writer = new ProofWriter("TEST", 1);
            writer.WriteUInt32(2);
            writer.WriteUInt32(12);
            writer.WriteByte(0x40);
            writer.WriteUInt32(rows);
            writer.WriteUInt32(4);
            writer.WriteUInt32(2);
            writer.WriteBytes(new byte[32]);
            Assert.Throws<ProofFormatException>(() =>
            {
                var reader = new ProofReader(writer.ToArray(), "TEST", 1);
                LigeroCommitment.ReadFrom(ref reader);
            });
        }
    }

    [Fact]
    public void CommitmentsRoundTripAndBadShapesAreRefused()
    {
        var data = LigeroPcs.Commit(Small, Naive.RandomTable(new Random(6), 5), new Random(6));
        var writer = new ProofWriter("TEST", 1);
        data.Commitment.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        var back = LigeroCommitment.ReadFrom(ref reader);
        Assert.Equal(data.Commitment.Root.ToArray(), back.Root.ToArray());
        Assert.Equal(data.Commitment.RowVariables, back.RowVariables);
        Assert.Throws<ArgumentException>(() => LigeroPcs.Commit(Small, new Goldilocks[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LigeroPcs.Commit(new LigeroParameters(0, 10, false), new Goldilocks[4]));
        Assert.Throws<ArgumentException>(() => LigeroPcs.Open(NewTranscript(), data, [new GoldilocksExt2[4]], new GoldilocksExt2[1]));
        Assert.Throws<ArgumentException>(() => LigeroPcs.Commit(SmallHiding, new Goldilocks[1]));
        var hidden = LigeroPcs.Commit(SmallHiding, new Goldilocks[8], new Random(6));
        Assert.Throws<ArgumentException>(() => LigeroPcs.Open(NewTranscript(), hidden, [new GoldilocksExt2[3], new GoldilocksExt2[3]], new GoldilocksExt2[2]));
    }

    /// <summary>
    /// Hiding: every value the verifier sees (root, opened columns, proximity row, evaluation row, value) changes with the
    /// masking randomness, the evaluation row is never eq(r_row)^T M and the value never f~(r); and a distinguisher that
    /// tells the zero polynomial from a random one by the opened columns (it wins always without hiding) is at chance.
    /// </summary>
    [Fact]
    public void HidingMasksTheColumnsTheProximityRowAndTheRoot()
    {
        var rng = new Random(7);
        var table = Naive.RandomTable(rng, 4);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 4)];
        var a = LigeroPcs.Commit(SmallHiding, table, new Random(100));
        var b = LigeroPcs.Commit(SmallHiding, table, new Random(200));
        Assert.NotEqual(a.Commitment.Root.ToArray(), b.Commitment.Root.ToArray());
        var (openA, valueA) = Open(a, points);
        var (openB, valueB) = Open(b, points);
        Assert.NotEqual(valueA[0], valueB[0]);
        Assert.NotEqual(Naive.Evaluate(table, points[0]), valueA[0]);
        var shape = a.Commitment;
        var eqRow = Naive.EqTable(points[0][..shape.RowVariables]);
        for (int col = 0; col < shape.RowLength; col++)
        {
            GoldilocksExt2 unmasked = GoldilocksExt2.Zero;
            for (int k = 0; k < shape.DataRows; k++) unmasked += eqRow[k] * table[k * shape.RowLength + col];
            Assert.NotEqual(unmasked, openA.EvaluationRow(0)[col]);
            Assert.NotEqual(openA.EvaluationRow(0)[col], openB.EvaluationRow(0)[col]);
        }
        for (int c = 0; c < openA.MessageLength; c++) Assert.NotEqual(openA.ProximityRow[c], openB.ProximityRow[c]);
        for (int q = 0; q < Math.Min(openA.OpenedColumns, openB.OpenedColumns); q++)
            for (int k = 0; k < openA.Rows; k++) Assert.NotEqual(openA.Column(q)[k], openB.Column(q)[k]);

        Assert.Equal(1.0, ZeroGuessRate(Small, 60), 3);
        Assert.InRange(ZeroGuessRate(SmallHiding, 200), 0.35, 0.65);
    }

    /// <summary>Guesses "zero polynomial" when the first opened column is all zero; the fraction of correct guesses over trials.</summary>
    private static double ZeroGuessRate(LigeroParameters parameters, int trials)
    {
        var rng = new Random(8);
        int correct = 0;
        for (int t = 0; t < trials; t++)
        {
            bool zero = rng.Next(2) == 0;
            var table = zero ? new Goldilocks[16] : Naive.RandomTable(rng, 4);
            var data = LigeroPcs.Commit(parameters, table, rng);
            GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 4)];
            var (opening, _) = Open(data, points);
            var column = opening.Column(0)[..data.Commitment.DataRows];
            bool guess = column.ToArray().All(v => v == Goldilocks.Zero);
            if (guess == zero) correct++;
        }
        return (double)correct / trials;
    }

    [Fact]
    public void CodewordLengthIsTheCommittedColumnCount()
    {
        var rng = new Random(12);
        foreach (var parameters in new[] { LigeroParameters.Default, LigeroParameters.DefaultHiding, new LigeroParameters(3, 40, false) })
            foreach (int n in new[] { 1, 4, 9, 12 })
                Assert.Equal(LigeroPcs.Commit(parameters, Naive.RandomTable(rng, n), rng).Commitment.ColumnCount, parameters.CodewordLength(n));
        Assert.Throws<ArgumentOutOfRangeException>(() => LigeroParameters.Default.CodewordLength(-1));
    }
}
