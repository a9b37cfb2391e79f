using ZkMl.Tests.Shared;
using ZkMl.Field;
using F = ZkMl.Field.Bn254Fr;

namespace ZkMl.Circuits.Tests;

public class R1csBuilderTests
{
    internal static F V(long x) => SignedValues.FromInt64<F>(x);

    /// <summary>Every wire except 0 and <paramref name="free"/> matters: bumping it alone breaks some constraint.</summary>
    internal static void AssertEveryWireIsBound(BuiltCircuit<F> c, params int[] free)
    {
        foreach (var i in CircuitWires.Unbound(c))
            Assert.True(free.Contains(i), $"changing wire {i} alone still satisfies the system");
    }

    [Fact]
    public void MulAddAndPublicOutputBuildASatisfiedSystemInCircomWireOrder()
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(3));
        var y = b.PrivateInput(V(-5));
        var k = b.PublicInput(V(7));
        var xy = b.Mul(x, y);                    // 1 constraint
        var sum = xy + x * V(2) + k + b.Constant(1); // free
        var outW = b.PublicOutput(b.Mul(sum, sum)); // 2 constraints
        Assert.Equal(3, b.ConstraintCount);
        var c = b.Build();
        Assert.Equal(1, c.System.PublicOutputCount);
        Assert.Equal(1, c.System.PublicInputCount);
        Assert.Equal(2, c.System.PrivateInputCount);
        Assert.Equal(1, c.WireOf(outW));
        Assert.Equal(2, c.WireOf(k));
        Assert.Equal(3, c.WireOf(x));
        Assert.Equal(4, c.WireOf(y));
        // (3 * -5 + 6 + 7 + 1)^2 = 1
        Assert.Equal(V(1), c.Witness[1]);
        Assert.Equal([V(1), V(7)], c.PublicValues);
        AssertEveryWireIsBound(c);
    }

    [Fact]
    public void MultiplyingByAConstantCostsNothing()
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(4));
        var y = b.Mul(x, b.Constant(-3)) + b.Mul(b.Constant(2), x);
        Assert.Equal(0, b.ConstraintCount);
        Assert.Equal(V(-4), b.Value(y));
    }

    [Fact]
    public void IsSatisfiedNamesTheFirstFailingConstraintWithItsValues()
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(3));
        var y = b.Mul(x, x);
        b.Mul(y, x);
        var c = b.Build();
        var w = (F[])c.Witness.Clone();
        w[c.WireOf(y)] = V(10);
        Assert.False(c.System.IsSatisfied(w, out var failure));
        Assert.Equal(0, failure!.ConstraintIndex);
        Assert.Equal(V(3), failure.A);
        Assert.Equal(V(10), failure.C);
        Assert.Contains("constraint 0", failure.Description);
        var ex = Assert.Throws<UnsatisfiedConstraintException>(() => c.System.EnsureSatisfied(w));
        Assert.Equal(0, ex.ConstraintIndex);
        Assert.Throws<CircuitWitnessException>(() => c.System.EnsureSatisfied(w.AsSpan(1)));
        w = (F[])c.Witness.Clone();
        w[0] = V(2);
        Assert.False(c.System.IsSatisfied(w, out failure));
        Assert.Equal(-1, failure!.ConstraintIndex);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(0, 8)]
    [InlineData(255, 8)]
    [InlineData(1234567, 21)]
    public void ToBitsDecomposesValuesAtTheEdgesOfTheWidth(long value, int bits)
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(value));
        var bs = b.ToBits(x, bits);
        Assert.Equal(bits + 1, b.ConstraintCount);
        for (int i = 0; i < bits; i++) Assert.Equal(V((value >> i) & 1), b.Value(bs[i]));
        AssertEveryWireIsBound(b.Build());
    }

    [Theory]
    [InlineData(256, 8)]
    [InlineData(-1, 8)]
    [InlineData(2, 1)]
    public void ToBitsRejectsOutOfRangeValues(long value, int bits)
    {
        var strict = new R1csBuilder<F>();
        Assert.Throws<CircuitWitnessException>(() => strict.ToBits(strict.PrivateInput(V(value)), bits));
        var lenient = new R1csBuilder<F>(strict: false);
        lenient.ToBits(lenient.PrivateInput(V(value)), bits);
        Assert.NotNull(lenient.FirstFailure);
        Assert.False(lenient.Build().System.IsSatisfied(lenient.Build().Witness));
    }

    [Fact]
    public void NoBitAssignmentSatisfiesARangeCheckOfAnOutOfRangeValue()
    {
        // Exhaustive over the bit wires: the constraints themselves (not the builder) reject 8 in 3 bits.
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(5));
        var bits = b.ToBits(x, 3);
        var c = b.Build();
        var w = (F[])c.Witness.Clone();
        w[c.WireOf(x)] = V(8);
        for (int mask = 0; mask < 8; mask++)
        {
            for (int i = 0; i < 3; i++) w[c.WireOf(bits[i])] = V((mask >> i) & 1);
            Assert.False(c.System.IsSatisfied(w));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-1)]
    public void IsZeroIsOneExactlyForZero(long value)
    {
        var b = new R1csBuilder<F>();
        var x = b.PrivateInput(V(value));
        var z = b.IsZero(x);
        Assert.Equal(2, b.ConstraintCount);
        Assert.Equal(value == 0 ? F.One : F.Zero, b.Value(z));
        var c = b.Build();
        Assert.True(c.System.IsSatisfied(c.Witness));
        // The claimed result cannot be flipped, whatever the inverse hint is.
        var w = (F[])c.Witness.Clone();
        w[c.WireOf(z)] = F.One - w[c.WireOf(z)];
        var rng = new Random(1);
        var invWire = c.WireOf(z) - 1;
        for (int t = 0; t < 20; t++)
        {
            w[invWire] = t == 0 ? F.Zero : F.Random(rng);
            Assert.False(c.System.IsSatisfied(w));
        }
        if (value != 0) w[invWire] = F.Inverse(V(value)); // the only inverse that could help
        Assert.False(c.System.IsSatisfied(w));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SelectPicksByCondition(long cond)
    {
        var b = new R1csBuilder<F>();
        var s = b.PrivateInput(V(cond));
        b.AssertBoolean(s);
        var t = b.PrivateInput(V(11));
        var f = b.PrivateInput(V(-4));
        var r = b.PublicOutput(b.Select(s, t, f));
        Assert.Equal(cond == 1 ? V(11) : V(-4), b.Value(r));
        var c = b.Build();
        AssertEveryWireIsBound(c, c.WireOf(cond == 1 ? f : t)); // the input not selected is free
    }

    [Fact]
    public void AssertBooleanAndAssertEqualRejectBadValues()
    {
        var b = new R1csBuilder<F>();
        Assert.Throws<UnsatisfiedConstraintException>(() => b.AssertBoolean(b.PrivateInput(V(2))));
        var b2 = new R1csBuilder<F>();
        Assert.Throws<UnsatisfiedConstraintException>(() => b2.AssertEqual(b2.PrivateInput(V(2)), b2.Constant(3)));
        var b3 = new R1csBuilder<F>(strict: false);
        b3.AssertEqual(b3.Constant(2), b3.Constant(3));
        Assert.NotNull(b3.FirstFailure);
        var c = b3.Build();
        Assert.False(c.System.IsSatisfied(c.Witness));
    }

    [Fact]
    public void LinearCombinationArithmeticMergesAndCancelsTerms()
    {
        var x = LinearCombination<F>.FromWire(3, V(2));
        var y = LinearCombination<F>.FromWire(1, V(5)) + LinearCombination<F>.Constant(V(4));
        var s = x + y - x;
        Assert.Equal(y, s);
        Assert.Equal(2, s.Count);
        Assert.True((x - x).IsConstant);
        Assert.Equal(0, (x - x).Count);
        var sum = LinearCombination<F>.Sum([x, y, x, -y]);
        Assert.Equal(x * V(2), sum);
        var witness = new[] { F.One, V(10), V(0), V(100) };
        Assert.Equal(V(254), (x + y).Evaluate(witness));
    }
}
