using FsCheck.Xunit;
using ZkMl.Field;

namespace ZkMl.Sumcheck.Tests;

public class MultilinearTests
{
    [Property(MaxTest = 50)]
    public void EvaluateMatchesTheDefinition(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(0, 8);
        var table = Naive.RandomTable(rng, n);
        var point = Naive.RandomPoint(rng, n);
        var expected = Naive.Evaluate(table, point);
        Assert.Equal(expected, Multilinear.Evaluate(table, point));
        Assert.Equal(expected, Multilinear.Evaluate(table.Select(v => (GoldilocksExt2)v).ToArray(), point));
    }

    [Property(MaxTest = 30)]
    public void EvaluationAtHypercubePointsIsTheTable(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 7);
        var table = Naive.RandomTable(rng, n);
        int b = rng.Next(table.Length);
        var point = Enumerable.Range(0, n).Select(i => (GoldilocksExt2)Goldilocks.FromUInt64((ulong)Naive.Bit(b, i, n))).ToArray();
        Assert.Equal((GoldilocksExt2)table[b], Multilinear.Evaluate(table, point));
    }

    [Property(MaxTest = 30)]
    public void FixingTheFirstVariableFixesTheFirstCoordinate(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 8);
        var table = Naive.RandomTable(rng, n);
        var point = Naive.RandomPoint(rng, n);
        var folded = new GoldilocksExt2[table.Length / 2];
        Multilinear.FixFirstVariable(table, point[0], folded);
        Assert.Equal(Naive.Evaluate(table, point), Multilinear.Evaluate(folded, point[1..]));

        var inPlace = table.Select(v => (GoldilocksExt2)v).ToArray();
        int length = Multilinear.FixFirstVariableInPlace(inPlace, point[0]);
        Assert.Equal(folded, inPlace[..length]);
    }

    [Property(MaxTest = 30)]
    public void EqTableMatchesEqAndTheDefinition(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(0, 8);
        var r = Naive.RandomPoint(rng, n);
        var table = Multilinear.EqTable(r);
        for (int b = 0; b < table.Length; b++)
        {
            var cube = Enumerable.Range(0, n).Select(i => (GoldilocksExt2)Goldilocks.FromUInt64((ulong)Naive.Bit(b, i, n))).ToArray();
            Assert.Equal(Multilinear.Eq(cube, r), table[b]);
        }
        // sum_b eq(b, r) f(b) = f~(r)
        var f = Naive.RandomTable(rng, n);
        GoldilocksExt2 dot = GoldilocksExt2.Zero;
        for (int b = 0; b < f.Length; b++) dot += table[b] * f[b];
        Assert.Equal(Naive.Evaluate(f, r), dot);
    }

    [Fact]
    public void LargeTablesTakeTheParallelPathsAndAgree()
    {
        var rng = new Random(7);
        const int n = 16; // above the parallel threshold for eq tables and folds
        var r = Naive.RandomPoint(rng, n);
        var table = Multilinear.EqTable(r);
        var sequential = new GoldilocksExt2[1 << n];
        sequential[0] = GoldilocksExt2.One;
        for (int size = 1, i = 0; i < n; i++, size *= 2)
            for (int j = size - 1; j >= 0; j--)
            {
                var one = sequential[j] * r[i];
                (sequential[2 * j], sequential[2 * j + 1]) = (sequential[j] - one, one);
            }
        Assert.Equal(sequential, table);

        var f = Naive.RandomTable(rng, n);
        GoldilocksExt2 dot = GoldilocksExt2.Zero;
        for (int b = 0; b < f.Length; b++) dot += table[b] * f[b];
        Assert.Equal(dot, Multilinear.Evaluate(f, r));
        GoldilocksExt2 total = GoldilocksExt2.Zero;
        foreach (var v in table) total += v;
        Assert.Equal(GoldilocksExt2.One, total); // sum_b eq(b, r) = 1

        var folded = new GoldilocksExt2[f.Length / 2];
        Multilinear.FixFirstVariable(f, r[0], folded);
        Assert.Equal(Naive.Evaluate(f, r), Multilinear.Evaluate(folded, r[1..]));
    }

    [Fact]
    public void RejectsTablesThatAreNotPowersOfTwo()
    {
        Assert.Throws<ArgumentException>(() => Multilinear.Evaluate(new Goldilocks[3], new GoldilocksExt2[2]));
        Assert.Throws<ArgumentException>(() => Multilinear.Evaluate(new Goldilocks[4], new GoldilocksExt2[1]));
        Assert.Throws<ArgumentException>(() => Multilinear.FixFirstVariableInPlace(new GoldilocksExt2[1], GoldilocksExt2.One));
    }
}
