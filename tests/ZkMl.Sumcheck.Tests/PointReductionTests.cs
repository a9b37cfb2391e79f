using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>Several evaluation claims of one multilinear reduced to one (checked against brute-force evaluation); wrong claims are rejected.</summary>
public class PointReductionTests
{
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.PointReduction", Naive.Digest("reduction"));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(8, 2)]
    public void HonestClaimsReduceToTheTrueValueAtOnePoint(int variables, int count)
    {
        var rng = new Random(variables * 10 + count);
        var f = Naive.RandomTable(rng, variables);
        GoldilocksExt2[][] points = [.. Enumerable.Range(0, count).Select(_ => Naive.RandomPoint(rng, variables))];
        GoldilocksExt2[] values = [.. points.Select(p => Naive.Evaluate(f, p))];
        var result = PointReduction.Prove(NewTranscript(), f, points, values);
        Assert.True(PointReduction.Verify(NewTranscript(), variables, points, values, result.Proof, out var point, out var value));
        Assert.Equal(Naive.Evaluate(f, point), value);
        Assert.Equal(result.Reduction.Point.ToArray(), point);
    }

    [Fact]
    public void AWrongClaimOrAForgedFinalValueIsRejected()
    {
        var rng = new Random(3);
        var f = Naive.RandomTable(rng, 6);
        GoldilocksExt2[][] points = [Naive.RandomPoint(rng, 6), Naive.RandomPoint(rng, 6)];
        GoldilocksExt2[] values = [.. points.Select(p => Naive.Evaluate(f, p))];
        var honest = PointReduction.Prove(NewTranscript(), f, points, values);
        var wrong = (GoldilocksExt2[])values.Clone();
        wrong[1] += GoldilocksExt2.One;
        Assert.False(PointReduction.Verify(NewTranscript(), 6, points, wrong, honest.Proof, out _, out _));
        // A prover that runs the sumcheck on the wrong claim ends at an f~(r*) that is not f's.
        var forged = PointReduction.Prove(NewTranscript(), f, points, wrong);
        Assert.False(PointReduction.Verify(NewTranscript(), 6, points, wrong, forged.Proof, out _, out _));
        Assert.Throws<ArgumentException>(() => PointReduction.Prove(NewTranscript(), f, [], []));
        Assert.Throws<ArgumentException>(() => PointReduction.Prove(NewTranscript(), f, points, values[..1]));
    }

    [Fact]
    public void PointsWithBooleanLeadingCoordinatesReduceLikeAnyOther()
    {
        // Claims on sub-tables of a stacked table: the prover's weights touch only each point's sub-cube.
        var rng = new Random(9);
        var f = Naive.RandomTable(rng, 7);
        var (zero, one) = (GoldilocksExt2.Zero, GoldilocksExt2.One);
        GoldilocksExt2[][] points =
        [
            [one, zero, .. Naive.RandomPoint(rng, 5)], [zero, .. Naive.RandomPoint(rng, 6)], [one, one, one, one, one, one, one],
            [zero, one, zero, .. Naive.RandomPoint(rng, 4)], Naive.RandomPoint(rng, 7),
        ];
        GoldilocksExt2[] values = [.. points.Select(p => Naive.Evaluate(f, p))];
        var result = PointReduction.Prove(NewTranscript(), f, points, values);
        Assert.True(PointReduction.Verify(NewTranscript(), 7, points, values, result.Proof, out var point, out var value));
        Assert.Equal(Naive.Evaluate(f, point), value);
        var moved = (GoldilocksExt2[])values.Clone();
        (moved[0], moved[3]) = (moved[3], moved[0]);
        Assert.False(PointReduction.Verify(NewTranscript(), 7, points, moved, result.Proof, out _, out _));
    }
}
