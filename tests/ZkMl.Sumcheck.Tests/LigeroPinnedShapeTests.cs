using Xunit.Abstractions;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// The verifier pins every commitment's shape: the row split is a function of (parameters, variables, committed entries,
/// evaluation slots) (<see cref="LigeroPcs.RowVariables"/>), every commitment <see cref="LigeroPcs"/> makes has it, every
/// verification refuses another with <see cref="LigeroShapeException"/>, and <see cref="LigeroCommitment.ReadPinned"/>
/// refuses any other parameters, row split, data rows or slots. <see cref="LigeroCommitment.SoundnessBits"/> is the
/// README's per-commitment bound at the actual rate.
/// </summary>
public class LigeroPinnedShapeTests(ITestOutputHelper output)
{
    private static readonly LigeroParameters Hiding = new(3, 20, true);

    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.Pinned", Naive.Digest("pinned"));

    [Fact]
    public void EveryCommitmentTheSchemeMakesIsCanonicalAndReadsBackPinned()
    {
        var rng = new Random(3);
        var table = Naive.RandomTable(rng, 12);
        var made = new (LigeroProverData Data, long Entries, int Slots)[]
        {
            (LigeroPcs.Commit(Hiding, table, 1, rng), 0, 1),
            (LigeroPcs.Commit(Hiding with { Openings = 2 }, table, 2, rng), 0, 2),
            (LigeroPcs.CommitSeeded(Hiding with { Openings = 2 }, table, 2, new byte[32]), 0, 2),
            (LigeroPcs.CommitZeroTail(Hiding, table[..3000], 12, 1, rng), 3000, 1),
            (LigeroPcs.Commit(Hiding with { Compact = true }, table, 1, rng), 0, 1),
            (LigeroPcs.Commit(LigeroParameters.Default, table), 0, 0),
            (LigeroPcs.CommitZeroTail(LigeroParameters.Default, table[..1000], 12), 1000, 0),
        };
        foreach (var (data, entries, slots) in made)
        {
            var c = data.Commitment;
            Assert.True(c.IsCanonical);
            var writer = new ProofWriter("TEST", 1);
            c.WriteTo(writer);
            var reader = new ProofReader(writer.ToArray(), "TEST", 1);
            var read = LigeroCommitment.ReadPinned(ref reader, c.Parameters, 12, entries, slots);
            Assert.Equal((c.RowVariables, c.DataRows), (read.RowVariables, read.DataRows));
        }
    }

    /// <summary>For every zero-tailed table size, the split chosen for E entries is canonical for its DataRows x RowLength (the property IsCanonical relies on).</summary>
    [Fact]
    public void TheZeroTailSplitIsAFixedPointForEverySize()
    {
        foreach (var p in new[] { Hiding, Hiding with { Openings = 2 }, new LigeroParameters(4, 116, true, 2), new LigeroParameters(3, 112, true), LigeroParameters.Default })
            for (int n = 1; n <= 22; n += 3)
                for (long entries = 1; entries <= 1L << n; entries = entries * 3 / 2 + 1)
                {
                    var shape = LigeroCommitment.Canonical(p, n, entries, p.Hiding ? p.Openings : 0);
                    Assert.True(shape.IsCanonical, $"{p} n {n} entries {entries}");
                }
    }

    [Fact]
    public void AnotherRowSplitOfTheSameTableIsRefusedWithATypedException()
    {
        var rng = new Random(5);
        var table = Naive.RandomTable(rng, 10);
        var point = Naive.RandomPoint(rng, 10);
        int canonical = LigeroPcs.RowVariables(Hiding, 10, 0, 1);
        foreach (int ra in new[] { canonical - 1, canonical + 1 }.Where(ra => ra >= 1 && ra <= 10))
        {
            // An honest opening of an honest commitment, only with the prover's own split: refused by its shape.
            var data = LigeroPcs.Commit(Hiding, table, ra, 1, rng);
            Assert.False(data.Commitment.IsCanonical);
            var t = NewTranscript();
            data.Commitment.AbsorbInto(t);
            var opening = LigeroPcs.OpenHiding(t, data, point, 0, 0, out var value);
            var v = NewTranscript();
            data.Commitment.AbsorbInto(v);
            Assert.Throws<LigeroShapeException>(() => LigeroPcs.VerifyHiding(v, data.Commitment, point, 0, 0, value, opening));
            Assert.Throws<LigeroShapeException>(() => LigeroPcs.VerifyHiding(NewTranscript(), data.Commitment, [point], [0], [0], 0, [value], opening));
        }
        var plain = LigeroPcs.Commit(LigeroParameters.Default, table, LigeroPcs.RowVariables(LigeroParameters.Default, 10) + 1, 1, null);
        var values = new GoldilocksExt2[1];
        var pt = NewTranscript();
        plain.Commitment.AbsorbInto(pt);
        var plainOpening = LigeroPcs.Open(pt, plain, [point], values);
        Assert.Throws<LigeroShapeException>(() => LigeroPcs.Verify(NewTranscript(), plain.Commitment, [point], values, plainOpening));
    }

    [Fact]
    public void ReadPinnedRefusesAnyOtherShape()
    {
        var expected = LigeroCommitment.Canonical(Hiding, 14, 5000, 1);
        byte[] Bytes(LigeroCommitment c)
        {
            var w = new ProofWriter("TEST", 1);
            c.WriteTo(w);
            return w.ToArray();
        }
        LigeroCommitment Read(byte[] bytes)
        {
            var r = new ProofReader(bytes, "TEST", 1);
            return LigeroCommitment.ReadPinned(ref r, Hiding, 14, 5000, 1);
        }
        Assert.Equal(expected.RowVariables, Read(Bytes(expected)).RowVariables);
        var others = new[]
        {
            LigeroCommitment.Canonical(Hiding with { RateLog = 4 }, 14, 5000, 1),
            LigeroCommitment.Canonical(Hiding with { Queries = 19 }, 14, 5000, 1),
            LigeroCommitment.Canonical(Hiding with { Compact = true }, 14, 5000, 1),
            LigeroCommitment.Canonical(Hiding, 14, 5000, 2),
            LigeroCommitment.Canonical(Hiding, 14, 0, 1),
            LigeroCommitment.Canonical(Hiding, 14, 9000, 1),
            LigeroCommitment.Canonical(Hiding, 13, 5000, 1),
            new LigeroCommitment(Hiding, 14, expected.RowVariables + 1, new byte[32]),
        };
        foreach (var other in others) Assert.Throws<LigeroShapeException>(() => Read(Bytes(other)));
        // Another split with the expected data rows' encoding: the split field alone changed.
        var bytes = Bytes(expected);
        int at = bytes.Length - 32 - 4;
        BitConverter.GetBytes((uint)expected.RowVariables - 1).CopyTo(bytes, at);
        Assert.ThrowsAny<ProofFormatException>(() => Read(bytes));
    }

    /// <summary>
    /// SoundnessBits = Q log2(2 / (1 + s / L)) with s = RL + kQ and L the codeword: recomputed by hand for the step's three
    /// parameter sets at their shapes, above the nominal rate's bound without compact codewords and below it with them.
    /// </summary>
    [Fact]
    public void SoundnessBitsIsTheBoundAtTheActualRate()
    {
        foreach (var (p, n, entries, slots) in new[] { (new LigeroParameters(3, 112, true), 21, 1_440_768L, 1), (new LigeroParameters(4, 116, true, 2), 17, 0L, 2),
            (new LigeroParameters(4, 116, true, 2), 11, 0L, 2), (new LigeroParameters(3, 112, true, 1, true), 21, 1_440_768L, 1) })
        {
            var c = LigeroCommitment.Canonical(p, n, entries, slots);
            double s = c.RowLength + p.Openings * p.Queries, l = c.ColumnCount;
            double bits = p.Queries * Math.Log2(2 / (1 + s / l));
            Assert.Equal(bits, c.SoundnessBits, 9);
            if (p.Compact) Assert.True(c.SoundnessBits < p.SoundnessBits);
            else Assert.True(c.SoundnessBits >= p.SoundnessBits);
            output.WriteLine($"{p.RateLog}/{p.Queries}/k{p.Openings}{(p.Compact ? " compact" : "")} 2^{n} ({(entries == 0 ? 1L << n : entries)} entries): {c.DataRows} x {c.RowLength}, s = {s}, L = {l}: {c.SoundnessBits:F2} bits (nominal {p.SoundnessBits:F2})");
        }
    }
}
