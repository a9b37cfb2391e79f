namespace ZkMl.Circuits.Lookups;

/// <summary>
/// A fixed lookup table: rows of <see cref="Width"/> integer columns. The lookup-friendly form of a non-linear
/// check, for proof systems with a lookup argument (the STARK backend): instead of decomposing a value into bits,
/// the prover shows that a tuple of trace values is one of the table's rows. Field-agnostic (plain integers;
/// negative values embed as p - |x| in whatever field the backend uses).
/// </summary>
public sealed class LookupTable
{
    private readonly long[] _cells;
    private readonly HashSet<RowKey> _index;

    /// <summary>Creates a table from row-major cells.</summary>
    /// <param name="name">Name used in messages.</param>
    /// <param name="columnNames">One name per column.</param>
    /// <param name="cells">RowCount * Width values, row-major.</param>
    public LookupTable(string name, IReadOnlyList<string> columnNames, long[] cells)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(cells);
        if (columnNames.Count == 0) throw new ArgumentException("a table needs at least one column", nameof(columnNames));
        if (cells.Length % columnNames.Count != 0) throw new ArgumentException("cells must be a whole number of rows", nameof(cells));
        Name = name;
        ColumnNames = columnNames.ToArray();
        _cells = cells;
        _index = new HashSet<RowKey>(Enumerable.Range(0, RowCount).Select(r => new RowKey(_cells.AsMemory(r * Width, Width))));
    }

    /// <summary>Name used in messages.</summary>
    public string Name { get; }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of columns.</summary>
    public int Width => ColumnNames.Count;

    /// <summary>Number of rows.</summary>
    public int RowCount => _cells.Length / Width;

    /// <summary>Row <paramref name="index"/>.</summary>
    public ReadOnlySpan<long> Row(int index) => _cells.AsSpan(index * Width, Width);

    /// <summary>Column <paramref name="column"/> of every row (the form a trace commits to).</summary>
    public long[] Column(int column)
    {
        var c = new long[RowCount];
        for (int r = 0; r < c.Length; r++) c[r] = _cells[r * Width + column];
        return c;
    }

    /// <summary>True when <paramref name="tuple"/> is a row of the table.</summary>
    public bool Contains(ReadOnlySpan<long> tuple) => tuple.Length == Width && _index.Contains(new RowKey(tuple.ToArray()));

    private readonly struct RowKey(ReadOnlyMemory<long> values) : IEquatable<RowKey>
    {
        private readonly ReadOnlyMemory<long> _values = values;
        public bool Equals(RowKey other) => _values.Span.SequenceEqual(other._values.Span);
        public override bool Equals(object? obj) => obj is RowKey k && Equals(k);
        public override int GetHashCode()
        {
            var h = new HashCode();
            foreach (var v in _values.Span) h.Add(v);
            return h.ToHashCode();
        }
    }
}
