using ZkMl.Field;

namespace ZkMl.Stark.Tests;

/// <summary>
/// Generic benchmark-style AIR: w columns; column c evolves as x' = x^3 + x*k_c + periodic (degree 3),
/// with a periodic round constant, exercising high degree and periodic columns.
/// </summary>
internal sealed class CubicAir(int width, int n) : Air("cubic", width, n, [])
{
    public override IReadOnlyList<PeriodicColumn> PeriodicColumns { get; } =
        [new("rc", Enumerable.Range(0, 8).Select(i => Goldilocks.FromUInt64((ulong)(i * 7 + 3))).ToArray())];

    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        for (int c = 0; c < b.Current.Length; c++)
        {
            var x = b.Current[c];
            b.AssertZero("col", c, b.Next[c] - (x * x * x + x * TF.FromUInt64((ulong)c + 1) + b.Periodic[0]));
        }
    }

    public static Goldilocks[][] Trace(int width, int n)
    {
        var t = new Goldilocks[width][];
        for (int c = 0; c < width; c++)
        {
            t[c] = new Goldilocks[n];
            t[c][0] = Goldilocks.FromUInt64((ulong)c + 5);
            for (int i = 1; i < n; i++)
            {
                var x = t[c][i - 1];
                t[c][i] = x * x * x + x * Goldilocks.FromUInt64((ulong)c + 1) + Goldilocks.FromUInt64((ulong)(((i - 1) % 8) * 7 + 3));
            }
        }
        return t;
    }
}

/// <summary>
/// Range check by lookup: column 0 values must lie in [0, 256); table is a periodic column 0..255, multiplicities in column 1.
/// With <paramref name="split"/> each column is its own segment (so column 0 can be shared in a <see cref="CompositeAir"/>).
/// </summary>
internal sealed class RangeAir(int n, bool split = false) : Air("range8", 2, n, [])
{
    public override IReadOnlyList<int> MainSegmentWidths => split ? [1, 1] : [2];

    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b) { }

    public override IReadOnlyList<PeriodicColumn> PeriodicColumns { get; } =
        [new("byte table", Enumerable.Range(0, 256).Select(i => Goldilocks.FromUInt64((ulong)i)).ToArray())];

    public override IReadOnlyList<LookupTerm> Lookups { get; } =
    [
        new("value in [0,256)", 1, false, [ColumnRef.Main(0)]),
        new("byte table", 1, true, [ColumnRef.Periodic(0)], ColumnRef.Main(1)),
    ];

    public static Goldilocks[][] Trace(int n, Func<int, ulong> value)
    {
        var v = new Goldilocks[n];
        var m = new Goldilocks[n];
        var counts = new ulong[256];
        for (int i = 0; i < n; i++)
        {
            ulong x = value(i);
            v[i] = Goldilocks.FromUInt64(x);
            if (x < 256) counts[x]++;
        }
        // The table repeats every 256 rows: put each value's count on its first occurrence.
        for (int i = 0; i < 256 && i < n; i++) m[i] = Goldilocks.FromUInt64(counts[i]);
        return [v, m];
    }
}

/// <summary>Column 0 (its own segment) is even: it equals twice column 1. A periodic column offsets nothing (it shifts indices in composites).</summary>
internal sealed class EvenAir(int n) : Air("even", 2, n, [])
{
    public override IReadOnlyList<int> MainSegmentWidths => [1, 1];

    public override IReadOnlyList<PeriodicColumn> PeriodicColumns { get; } = [new("one", [Goldilocks.One, Goldilocks.One])];

    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b) =>
        b.AssertZero("even", b.Periodic[0] * (b.Current[0] - b.Current[1] - b.Current[1]), ConstraintDomain.AllRowsCyclic);

    public static Goldilocks[][] Trace(Goldilocks[] values) =>
        [values, values.Select(v => Goldilocks.FromUInt64(v.Value / 2)).ToArray()];
}
