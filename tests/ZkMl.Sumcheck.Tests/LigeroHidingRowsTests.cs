using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Hiding openings send their rows at <see cref="LigeroCommitment.SentLength"/> = RL + kQ coefficients (format version
/// 2): the verifier pads and encodes, refuses rows of any other length, and refuses the old version-1 bytes.
/// </summary>
public class LigeroHidingRowsTests
{
    private static readonly LigeroParameters Parameters = new(2, 12, true, 2);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.LigeroRows", Naive.Digest("rows"));

    private static (LigeroProverData Data, GoldilocksExt2[] Point, GoldilocksExt2 Value, LigeroOpening Opening) Open(int n, int seed)
    {
        var rng = new Random(seed);
        var table = Naive.RandomTable(rng, n);
        var data = LigeroPcs.Commit(Parameters, table, rng);
        var point = Naive.RandomPoint(rng, n);
        var transcript = NewTranscript();
        data.Commitment.AbsorbInto(transcript);
        var opening = LigeroPcs.OpenHiding(transcript, data, point, 1, 0, out var value);
        return (data, point, value, opening);
    }

    private static bool Verify(LigeroCommitment commitment, GoldilocksExt2[] point, GoldilocksExt2 value, LigeroOpening opening)
    {
        var transcript = NewTranscript();
        commitment.AbsorbInto(transcript);
        return LigeroPcs.VerifyHiding(transcript, commitment, point, 1, 0, value, opening);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    public void RowsAreSentAtRowLengthPlusTheTail(int n)
    {
        var (data, point, value, opening) = Open(n, n);
        var commitment = data.Commitment;
        Assert.Equal(commitment.RowLength + Parameters.Openings * Parameters.Queries, commitment.SentLength);
        Assert.True(commitment.SentLength < commitment.MessageLength);
        Assert.Equal(commitment.SentLength, opening.MessageLength);
        Assert.True(Verify(commitment, point, value, opening));
        // The opening's value is the masked one: f'(r) = f~(r) + r_0 (1 - r_0) R~(r_col), not f~(r).
        Assert.NotEqual(Multilinear.Evaluate(Naive.RandomTable(new Random(n), n), point), value);

        // The same rows zero-padded to the old power-of-two length describe the same codewords but are refused.
        var padded = new LigeroOpening(1, commitment.MessageLength, opening.Rows, true, Pad(opening.EvaluationRow(0), commitment.MessageLength),
            Pad(opening.ProximityRow, commitment.MessageLength), Columns(opening), Salts(opening), [.. opening.MerkleProof]);
        Assert.False(Verify(commitment, point, value, padded));
        // One coefficient short, or one changed: refused.
        var shortRow = new LigeroOpening(1, commitment.SentLength - 1, opening.Rows, true, opening.EvaluationRow(0)[..^1].ToArray(), opening.ProximityRow[..^1].ToArray(),
            Columns(opening), Salts(opening), [.. opening.MerkleProof]);
        Assert.False(Verify(commitment, point, value, shortRow));
        var changed = opening.ProximityRow.ToArray();
        changed[^1] += GoldilocksExt2.One;
        Assert.False(Verify(commitment, point, value, new LigeroOpening(1, opening.MessageLength, opening.Rows, true, opening.EvaluationRow(0).ToArray(), changed,
            Columns(opening), Salts(opening), [.. opening.MerkleProof])));
    }

    [Fact]
    public void HidingOpeningsRoundTripAtVersionTwoAndVersionOneIsRefused()
    {
        var (data, point, value, opening) = Open(9, 1);
        var bytes = opening.ToBytes();
        Assert.Equal(LigeroOpening.FormatVersion, BitConverter.ToUInt16(bytes, 4));
        Assert.True(Verify(data.Commitment, point, value, LigeroOpening.FromBytes(bytes)));
        var old = (byte[])bytes.Clone();
        old[4] = 1;
        old[5] = 0;
        var e = Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(old));
        Assert.Contains("version 1", e.Message);
        for (int i = 6; i < bytes.Length; i += 53)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 4;
            try
            {
                Assert.False(Verify(data.Commitment, point, value, LigeroOpening.FromBytes(flipped)));
            }
            catch (ProofFormatException)
            {
            }
        }
        // A non-hiding opening keeps version 1, and is refused under version 2.
        var plain = LigeroPcs.Commit(new LigeroParameters(2, 12, false), Naive.RandomTable(new Random(2), 6));
        var transcript = NewTranscript();
        plain.Commitment.AbsorbInto(transcript);
        var plainBytes = LigeroPcs.Open(transcript, plain, [Naive.RandomPoint(new Random(3), 6)], new GoldilocksExt2[1]).ToBytes();
        Assert.Equal(LigeroOpening.NonHidingFormatVersion, BitConverter.ToUInt16(plainBytes, 4));
        LigeroOpening.FromBytes(plainBytes);
        plainBytes[4] = 2;
        Assert.Throws<ProofFormatException>(() => LigeroOpening.FromBytes(plainBytes));
    }

    /// <summary>The bytes a hiding opening saves: two rows of MessageLength - SentLength extension elements.</summary>
    [Fact]
    public void TheSavingIsTheRoundingOfTheRows()
    {
        var (data, _, _, opening) = Open(12, 5);
        var c = data.Commitment;
        long rows = 16L * 2 * opening.MessageLength, columns = (long)opening.OpenedColumns * (8L * opening.Rows + 32), merkle = 32L * opening.MerkleProof.Count;
        Assert.Equal(6 + 4 * 5 + 1 + rows + columns + merkle, opening.ToBytes().Length);
        Assert.Equal(c.RowLength + 24, opening.MessageLength);
    }

    /// <summary>The commitment's own query bound uses its actual rate: the parameters' without hiding, more with it.</summary>
    [Fact]
    public void TheCommitmentsSoundnessUsesItsActualRate()
    {
        var plain = new LigeroParameters(3, 128, false);
        var shape = new LigeroCommitment(plain, 21, 8, new byte[32]);
        Assert.Equal(plain.SoundnessBits, shape.SoundnessBits, 9);
        var hiding = new LigeroCommitment(new LigeroParameters(3, 128, true), 21, 8, new byte[32]);
        Assert.Equal(8192 + 128, hiding.SentLength);
        Assert.Equal(1 << 17, hiding.ColumnCount);
        Assert.InRange(hiding.SoundnessBits, 116.6, 116.8);
        Assert.InRange(hiding.Parameters.SoundnessBits, 106.2, 106.3);
    }

    private static GoldilocksExt2[] Pad(ReadOnlySpan<GoldilocksExt2> row, int length)
    {
        var padded = new GoldilocksExt2[length];
        row.CopyTo(padded);
        return padded;
    }

    private static Goldilocks[] Columns(LigeroOpening opening)
    {
        var columns = new Goldilocks[opening.OpenedColumns * opening.Rows];
        for (int q = 0; q < opening.OpenedColumns; q++) opening.Column(q).CopyTo(columns.AsSpan(q * opening.Rows));
        return columns;
    }

    private static byte[] Salts(LigeroOpening opening)
    {
        var salts = new byte[32 * opening.OpenedColumns];
        for (int q = 0; q < opening.OpenedColumns; q++) opening.Salt(q).CopyTo(salts.AsSpan(32 * q));
        return salts;
    }
}
