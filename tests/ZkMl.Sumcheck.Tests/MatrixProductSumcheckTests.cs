using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class MatrixProductSumcheckTests
{
    private sealed record Instance(MatrixShape Shape, Goldilocks[] A, Goldilocks[] B, Goldilocks[] C);

    private static Instance RandomInstance(Random rng, int rows, int inner, int columns)
    {
        var a = Enumerable.Range(0, rows * inner).Select(_ => Goldilocks.Random(rng)).ToArray();
        var b = Enumerable.Range(0, inner * columns).Select(_ => Goldilocks.Random(rng)).ToArray();
        return new(new MatrixShape(rows, inner, columns), a, b, Naive.MatrixProduct(a, b, rows, inner, columns));
    }

    /// <summary>The statement's transcript: C is absorbed before the row and column points are drawn.</summary>
    private static (Transcript Transcript, GoldilocksExt2[] RowPoint, GoldilocksExt2[] ColumnPoint) Start(Instance instance)
    {
        var transcript = new Transcript("ZkMl.Sumcheck.Tests.MatMul", Naive.Digest("matmul"));
        transcript.Absorb("C", instance.C);
        var rowPoint = new GoldilocksExt2[instance.Shape.RowVariables];
        transcript.ChallengeExt("row", rowPoint);
        var columnPoint = new GoldilocksExt2[instance.Shape.ColumnVariables];
        transcript.ChallengeExt("column", columnPoint);
        return (transcript, rowPoint, columnPoint);
    }

    /// <summary>Verifier with C public: the claim is C~ at the points, and A~, B~ are checked directly.</summary>
    private static bool Accepts(Instance instance, Goldilocks[] c, SumcheckProof proof)
    {
        var (transcript, rowPoint, columnPoint) = Start(instance with { C = c });
        var shape = instance.Shape;
        var claim = MatrixProductSumcheck.EvaluateMatrix(c, shape.Rows, shape.Columns, rowPoint, columnPoint);
        if (!MatrixProductSumcheck.Verify(transcript, shape, claim, proof, out var reduction)) return false;
        var innerPoint = reduction.Point.ToArray();
        return reduction.Evaluations[0] == Naive.Evaluate(Naive.Pad(instance.A, shape.Rows, shape.Inner), [.. rowPoint, .. innerPoint])
            && reduction.Evaluations[1] == Naive.Evaluate(Naive.Pad(instance.B, shape.Inner, shape.Columns), [.. innerPoint, .. columnPoint]);
    }

    [Property(MaxTest = 40)]
    public void HonestProductsVerifyAgainstTheNaiveProductAndDirectEvaluations(int seed)
    {
        var rng = new Random(seed);
        var instance = RandomInstance(rng, rng.Next(1, 10), rng.Next(1, 10), rng.Next(1, 10));
        var (transcript, rowPoint, columnPoint) = Start(instance);
        var result = MatrixProductSumcheck.Prove(transcript, instance.Shape, instance.A, instance.B, rowPoint, columnPoint);

        var shape = instance.Shape;
        var expectedClaim = Naive.Evaluate(Naive.Pad(instance.C, shape.Rows, shape.Columns), [.. rowPoint, .. columnPoint]);
        Assert.Equal(expectedClaim, result.Claim);
        Assert.Equal(expectedClaim, MatrixProductSumcheck.EvaluateMatrix(instance.C, shape.Rows, shape.Columns, rowPoint, columnPoint));
        Assert.Equal(shape.InnerVariables, result.Proof.Variables);
        Assert.True(Accepts(instance, instance.C, result.Proof));
        Assert.True(Accepts(instance, instance.C, SumcheckProof.FromBytes(result.Proof.ToBytes())));
    }

    [Property(MaxTest = 30)]
    public void AWrongProductIsRejected(int seed)
    {
        var rng = new Random(seed);
        var instance = RandomInstance(rng, rng.Next(1, 8), rng.Next(1, 8), rng.Next(1, 8));
        var (transcript, rowPoint, columnPoint) = Start(instance);
        var result = MatrixProductSumcheck.Prove(transcript, instance.Shape, instance.A, instance.B, rowPoint, columnPoint);
        var wrongC = (Goldilocks[])instance.C.Clone();
        wrongC[rng.Next(wrongC.Length)] += Goldilocks.One;
        Assert.False(Accepts(instance, wrongC, result.Proof));

        // A prover who proves the wrong C honestly (as if it were a product) still needs A~ and B~ values that exist.
        var (t2, r2, c2) = Start(instance with { C = wrongC });
        var reused = MatrixProductSumcheck.Prove(t2, instance.Shape, instance.A, instance.B, r2, c2);
        Assert.False(Accepts(instance, wrongC, reused.Proof));
    }

    [Fact]
    public void NetworkShapedProductTakesTheParallelPathsAndVerifies()
    {
        var rng = new Random(11);
        var instance = RandomInstance(rng, 128, 784, 64);
        var (transcript, rowPoint, columnPoint) = Start(instance);
        var result = MatrixProductSumcheck.Prove(transcript, instance.Shape, instance.A, instance.B, rowPoint, columnPoint);
        var shape = instance.Shape;
        Assert.Equal(10, result.Proof.Variables);
        Assert.Equal(Multilinear.Evaluate(Naive.Pad(instance.C, 128, 64), [.. rowPoint, .. columnPoint]), result.Claim);

        var (verifierTranscript, _, _) = Start(instance);
        Assert.True(MatrixProductSumcheck.Verify(verifierTranscript, shape, result.Claim, result.Proof.ToBytes(), out var reduction));
        var innerPoint = reduction.Point.ToArray();
        Assert.Equal(Multilinear.Evaluate(Naive.Pad(instance.A, 128, 784), [.. rowPoint, .. innerPoint]), reduction.Evaluations[0]);
        Assert.Equal(Multilinear.Evaluate(Naive.Pad(instance.B, 784, 64), [.. innerPoint, .. columnPoint]), reduction.Evaluations[1]);
    }

    [Fact]
    public void PointsOfTheWrongDimensionAreRefused()
    {
        var instance = RandomInstance(new Random(1), 3, 5, 2);
        var (transcript, rowPoint, columnPoint) = Start(instance);
        Assert.Throws<ArgumentException>(() =>
            MatrixProductSumcheck.Prove(transcript, instance.Shape, instance.A, instance.B, rowPoint[1..], columnPoint));
        Assert.Throws<ArgumentException>(() =>
            MatrixProductSumcheck.Prove(transcript, instance.Shape, instance.A[1..], instance.B, rowPoint, columnPoint));
    }
}
