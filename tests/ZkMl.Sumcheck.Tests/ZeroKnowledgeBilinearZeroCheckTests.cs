using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

/// <summary>
/// <see cref="ZkBilinearZeroCheck"/>: C = A B written as 2^K Z + R (Z = C div 2^K, R = C mod 2^K), proven with the only
/// claim 0 and every factor masked by a scalar; the output side or the inner side padded with its selector.
/// </summary>
public class ZeroKnowledgeBilinearZeroCheckTests
{
    private const int RowVariables = 2, ColumnVariables = 1, Shift = 4;
    private static Transcript NewTranscript() => new("ZkMl.Sumcheck.Tests.ZkBilinear", Naive.Digest("bilinear"));

    private sealed record Instance(Goldilocks[] A, Goldilocks[] B, Goldilocks[] Z, Goldilocks[] R, int Inner, GoldilocksExt2[] P, GoldilocksExt2[][] Masks, GoldilocksExt2[] Libra);

    private static Instance NewInstance(int inner, Random masking, bool forged = false)
    {
        var rng = new Random(inner);
        int rows = 1 << RowVariables, columns = 1 << ColumnVariables, k = 1 << inner;
        long[] a = [.. Enumerable.Range(0, rows * k).Select(_ => (long)rng.Next(64))];
        long[] b = [.. Enumerable.Range(0, k * columns).Select(_ => (long)rng.Next(64))];
        var z = new long[rows * columns];
        var r = new long[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
            {
                long c = 0;
                for (int t = 0; t < k; t++) c += a[i * k + t] * b[t * columns + j];
                (z[i * columns + j], r[i * columns + j]) = (c >> Shift, c & ((1 << Shift) - 1));
            }
        if (forged) z[1] += 1;
        static Goldilocks[] Field(long[] v) => [.. v.Select(Goldilocks.FromInt64)];
        var p = Naive.RandomPoint(rng, RowVariables + ColumnVariables);
        var shape = ZkBilinearZeroCheck.Shape(inner, RowVariables + ColumnVariables, 2, Math.Max(inner, RowVariables + ColumnVariables) - 1);
        return new Instance(Field(a), Field(b), Field(z), Field(r), inner, p, [.. Enumerable.Range(0, 4).Select(_ => Naive.RandomPoint(masking, 1))],
            Naive.RandomPoint(masking, shape.MaskCoefficients));
    }

    private static ZkSumcheckShape ShapeOf(Instance x) => ZkBilinearZeroCheck.Shape(x.Inner, RowVariables + ColumnVariables, 2, Math.Max(x.Inner, RowVariables + ColumnVariables) - 1);
    private static readonly GoldilocksExt2[] Weights = [Goldilocks.FromUInt64(1UL << Shift), GoldilocksExt2.One];

    private static ZkSumcheckProverResult Prove(Instance x)
    {
        var factors = ZkBilinearZeroCheck.Factors(x.A, x.B, [x.Z, x.R], x.P.AsSpan(0, RowVariables), x.P.AsSpan(RowVariables), x.Masks);
        return ZkSumcheck.Prove(NewTranscript(), ShapeOf(x), x.Libra, factors, ZkBilinearZeroCheck.Terms(GoldilocksExt2.One, Weights));
    }

    private static bool Verify(Instance x, ZkSumcheckProof proof, out ZkSumcheckReduction? reduction) =>
        ZkSumcheck.Verify(NewTranscript(), ShapeOf(x), ZkBilinearZeroCheck.Terms(GoldilocksExt2.One, Weights), GoldilocksExt2.Zero, proof, out reduction)
        && ZkBilinearZeroCheck.CheckPublicFinals(reduction, x.Inner, x.P);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AProductWrittenAsAZeroCheckVerifiesAndItsFinalsAreMasked(int inner)
    {
        var x = NewInstance(inner, new Random(3));
        var result = Prove(x);
        Assert.Equal(GoldilocksExt2.Zero, result.Claim);
        Assert.True(Verify(x, result.Proof, out var reduction));
        var r = reduction!.Point.ToArray();
        int n = r.Length, output = RowVariables + ColumnVariables;
        GoldilocksExt2 z = r[n - 1] * (GoldilocksExt2.One - r[n - 1]);
        var rInner = r[(n - inner)..];
        var rOutput = r[(n - output)..];
        GoldilocksExt2 a = Naive.Evaluate(x.A, [.. x.P[..RowVariables], .. rInner]);
        GoldilocksExt2 b = Naive.Evaluate(x.B, [.. rInner, .. x.P[RowVariables..]]);
        Assert.Equal(a + z * x.Masks[0][0], reduction.Evaluations[1]);
        Assert.Equal(b + z * x.Masks[1][0], reduction.Evaluations[2]);
        Assert.Equal(Naive.Evaluate(x.Z, rOutput) + z * x.Masks[2][0], reduction.Evaluations[4]);
        Assert.Equal(Naive.Evaluate(x.R, rOutput) + z * x.Masks[3][0], reduction.Evaluations[5]);
        Assert.NotEqual(a, reduction.Evaluations[1]);
        // Other masks: every masked final and every round value changes.
        var y = Prove(x with { Masks = [.. Enumerable.Range(0, 4).Select(_ => Naive.RandomPoint(new Random(9 + _), 1))], Libra = Naive.RandomPoint(new Random(8), x.Libra.Length) });
        for (int i = 0; i < result.Proof.RoundMessages.Length; i++) Assert.NotEqual(result.Proof.RoundMessages[i], y.Proof.RoundMessages[i]);
        foreach (int j in new[] { 1, 2, 4, 5 }) Assert.NotEqual(result.Proof.FinalEvaluations[j], y.Proof.FinalEvaluations[j]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void AWrongQuotientIsRejected(int inner)
    {
        var x = NewInstance(inner, new Random(4), forged: true);
        var result = Prove(x);
        Assert.NotEqual(GoldilocksExt2.Zero, result.Claim);
        Assert.False(Verify(x, result.Proof, out _));
        // A forged public final (the selector or eq) is refused by the caller's check.
        var honest = NewInstance(inner, new Random(4));
        var proof = Prove(honest).Proof;
        var finals = proof.FinalEvaluations.ToArray();
        finals[3] += GoldilocksExt2.One;
        var moved = new ZkSumcheckProof(proof.Variables, proof.MaskSum, proof.RoundMessages, finals, proof.MaskValue);
        Assert.False(Verify(honest, moved, out _));
        Assert.Throws<ArgumentException>(() => ZkBilinearZeroCheck.Shape(inner, RowVariables + ColumnVariables, 2, 0));
    }
}
