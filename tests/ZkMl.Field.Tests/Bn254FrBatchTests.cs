using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ZkMl.Field.Tests;

/// <summary>The span product equals the scalar product element by element, in place and out of place, tails included.</summary>
[Properties(Arbitrary = [typeof(FieldArbitraries)])]
public sealed class Bn254FrBatchTests
{
    private static Bn254Fr[] Elements(Operand[] operands) => [.. operands.Select(o => Bn254Fr.FromBigInteger(o.Resolve(Bn254Fr.Modulus)))];

    [Property(MaxTest = 200)]
    public void MatchesScalarProducts(Operand[] left, Operand[] right)
    {
        int n = Math.Min(left.Length, right.Length);
        var a = Elements(left[..n]);
        var b = Elements(right[..n]);
        var expected = a.Zip(b, (x, y) => x * y).ToArray();
        var product = new Bn254Fr[n];
        Bn254FrBatch.Multiply(a, b, product);
        Assert.Equal(expected, product);
        var inA = (Bn254Fr[])a.Clone();
        Bn254FrBatch.Multiply(inA, b, inA);
        Assert.Equal(expected, inA);
        var inB = (Bn254Fr[])b.Clone();
        Bn254FrBatch.Multiply(a, inB, inB);
        Assert.Equal(expected, inB);
    }

    [Fact]
    public void RejectsBadShapes()
    {
        var four = new Bn254Fr[4];
        var eight = new Bn254Fr[8];
        Assert.Throws<ArgumentException>(() => Bn254FrBatch.Multiply(four, eight, four));
        Assert.Throws<ArgumentException>(() => Bn254FrBatch.Multiply(eight.AsSpan(0, 4), four, eight.AsSpan(2, 4)));
    }
}
