using ZkMl.Field;

namespace ZkMl.Stark.Tests;

public class CompositeAirTests
{
    private static readonly StarkParameters Fast = StarkParameters.InsecureTestOnly;
    private const int N = 256;

    private static Goldilocks[] Values(Func<int, ulong> value) => Enumerable.Range(0, N).Select(i => Goldilocks.FromUInt64(value(i))).ToArray();

    /// <summary>Even values (first AIR) in [0, 256) (second AIR, a lookup), sharing the value column.</summary>
    private static (CompositeAir Air, Goldilocks[][] Trace) EvenBytes(Func<int, ulong> value)
    {
        var air = new CompositeAir("even bytes", new EvenAir(N), new RangeAir(N, split: true), 1, [Goldilocks.FromUInt64(42)]);
        var v = Values(value);
        return (air, air.CombineTraces(EvenAir.Trace(v), RangeAir.Trace(N, i => v[i].Value)));
    }

    [Fact]
    public void SharedColumnsAreCommittedOnceAndCheckedByBothAirs()
    {
        var (air, trace) = EvenBytes(i => (ulong)(2 * i % 256));
        Assert.Equal(3, air.TraceWidth);
        Assert.Equal([1, 1, 1], air.MainSegmentWidths);
        Assert.Equal("A:even", air.TransitionConstraints[0].Name);
        Assert.Equal(ColumnRef.Main(2), air.Lookups[1].Multiplicity);
        Assert.Equal(ColumnRef.Periodic(1), air.Lookups[1].Values[0]);
        Assert.Equal(42UL, air.PublicInputs[0].Value);
        var proof = StarkProver.Prove(air, trace, Fast);
        Assert.Equal(3, proof.SegmentCount);
        Assert.True(StarkVerifier.Verify(air, proof.ToBytes(), Fast, out var why), why);
        // Other public inputs are another statement.
        var other = new CompositeAir("even bytes", new EvenAir(N), new RangeAir(N, split: true), 1, [Goldilocks.FromUInt64(43)]);
        Assert.False(StarkVerifier.Verify(other, proof.ToBytes(), Fast));

        // Each AIR's violation is caught, whichever AIR holds it.
        Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, EvenBytes(i => (ulong)(2 * i % 256 + (i == 5 ? 1 : 0))).Trace, Fast));
        Assert.Throws<AirConstraintViolationException>(() => StarkProver.Prove(air, EvenBytes(i => (ulong)(2 * i % 256 + (i == 5 ? 300 : 0))).Trace, Fast));
    }

    [Fact]
    public void TwoWitnessesForTheSharedColumnAreRejected()
    {
        // The first AIR is satisfied by values a, the second by values b; the shared column can hold only one of them.
        var a = Values(i => (ulong)(2 * i % 256 + 256)); // even, not bytes
        var b = Values(i => (ulong)(2 * i % 256 + 1));   // bytes, not even
        var air = new CompositeAir("even bytes", new EvenAir(N), new RangeAir(N, split: true), 1, []);
        var first = EvenAir.Trace(a);
        var second = RangeAir.Trace(N, i => b[i].Value);
        Assert.Throws<ArgumentException>(() => air.CombineTraces(first, second));
        foreach (var shared in new[] { a, b })
        {
            Goldilocks[][] mixed = [shared, first[1], second[1]];
            var forged = StarkProver.Prove(air, mixed, Fast, null, checkTrace: false);
            Assert.False(StarkVerifier.Verify(air, forged.ToBytes(), Fast));
        }
    }

    [Fact]
    public void ShapesThatCannotShareAreRefused()
    {
        Assert.ThrowsAny<ArgumentException>(() => new CompositeAir("x", new EvenAir(N), new RangeAir(2 * N, split: true), 1, []));
        Assert.ThrowsAny<ArgumentException>(() => new CompositeAir("x", new EvenAir(N), new RangeAir(N, split: true), 2, []));
        Assert.ThrowsAny<ArgumentException>(() => new CompositeAir("x", new EvenAir(N), new CubicAir(2, N), 1, []));
    }
}
