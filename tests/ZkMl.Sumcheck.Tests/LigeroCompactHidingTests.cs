using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// Opt-in compact hiding codewords (<see cref="LigeroParameters.Compact"/>): RL 2^R symbols instead of 2^R times RL + kQ
/// rounded up; openings verify, the commitment's own bound counts the higher actual rate, the flag is bound by the bytes.
/// </summary>
public class LigeroCompactHidingTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.Compact", Naive.Digest("compact"));

    [Fact]
    public void CompactCodewordsHalveTheLengthAndOpen()
    {
        var rng = new Random(41);
        var table = Naive.RandomTable(rng, 14);
        var plain = new LigeroParameters(2, 12, true);
        var compact = plain with { Compact = true };
        var data = LigeroPcs.Commit(compact, table, 1, rng);
        var c = data.Commitment;
        var reference = new LigeroCommitment(plain, 14, c.RowVariables, new byte[32]);
        Assert.Equal((long)c.RowLength << 2, c.ColumnCount);
        Assert.Equal(reference.ColumnCount / 2, c.ColumnCount);
        Assert.Equal(plain.Queries * -Math.Log2((1 + (double)(c.RowLength + 12) / c.ColumnCount) / 2), c.SoundnessBits, 9);
        Assert.True(c.SoundnessBits < compact.SoundnessBits);

        var point = Naive.RandomPoint(rng, 14);
        var transcript = NewTranscript();
        c.AbsorbInto(transcript);
        var opening = LigeroPcs.OpenHiding(transcript, data, point, 0, 3, out var value);

        var writer = new ProofWriter("TEST", 1);
        c.WriteTo(writer);
        var reader = new ProofReader(writer.ToArray(), "TEST", 1);
        var read = LigeroCommitment.ReadFrom(ref reader);
        Assert.True(read.Parameters.Compact);
        Assert.Equal(c.ColumnCount, read.ColumnCount);

        bool Verify(LigeroCommitment commitment, GoldilocksExt2 v)
        {
            var t = NewTranscript();
            commitment.AbsorbInto(t);
            return LigeroPcs.VerifyHiding(t, commitment, point, 0, 3, v, LigeroOpening.FromBytes(opening.ToBytes()));
        }
        Assert.True(Verify(read, value));
        Assert.False(Verify(read, value + GoldilocksExt2.One));
        // The same root taken as a non-compact commitment: another codeword length, refused.
        Assert.False(Verify(new LigeroCommitment(plain, 14, c.RowVariables, c.Root), value));
    }

    [Fact]
    public void CompactNeedsHidingAndAShortTail()
    {
        Assert.Throws<ArgumentException>(() => new LigeroParameters(2, 12, false, 1, true).Validate());
        // A 2^3 table: RL <= 4, so kQ = 12 does not fit RL (2^2 - 1).
        Assert.Throws<ArgumentException>(() => LigeroPcs.Commit(new LigeroParameters(2, 12, true, 1, true), Naive.RandomTable(new Random(1), 3), 1));
    }

    [Fact]
    public void TheReductionOpensCompactCommitments()
    {
        var rng = new Random(42);
        var compact = new LigeroParameters(2, 12, true, 1, true);
        Goldilocks[][] tables = [Naive.RandomTable(rng, 12), Naive.RandomTable(rng, 9)];
        var data = tables.Select(t => LigeroPcs.Commit(compact, t, 1, rng)).ToArray();
        var shape = ZkLinearReduction.Shape([12, 9], 11);
        var masks = ZkSumcheckMaskSet.Commit(new LigeroParameters(2, 12, true), [shape], rng);
        ZkLinearClaim[] claims =
        [
            new(ZkLinearTerm.Eq(0, GoldilocksExt2.One, Naive.RandomPoint(rng, 12))),
            new(ZkLinearTerm.Eq(256, GoldilocksExt2.One, Naive.RandomPoint(rng, 8), table: 1), ZkLinearTerm.Dense(64, Naive.RandomPoint(rng, 4))),
        ];
        var values = claims.Select(c => c.Apply(tables)).ToArray();
        var transcript = NewTranscript();
        masks.Commitment.AbsorbInto(transcript);
        foreach (var d in data) d.Commitment.AbsorbInto(transcript);
        var bytes = ZkLinearReduction.Prove(transcript, data, [0, 0], [0, 0], masks, 0, claims, values, out _).ToBytes();
        bool Verify(GoldilocksExt2[] v)
        {
            var t = NewTranscript();
            masks.Commitment.AbsorbInto(t);
            foreach (var d in data) d.Commitment.AbsorbInto(t);
            return ZkLinearReduction.Verify(t, [.. data.Select(d => d.Commitment)], [0, 0], [0, 0], shape, claims, v, ZkLinearReductionProof.FromBytes(bytes), out _);
        }
        Assert.True(Verify(values));
        var forged = (GoldilocksExt2[])values.Clone();
        forged[1] += GoldilocksExt2.One;
        Assert.False(Verify(forged));
    }
}
