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

/// <summary>Looked-up columns: tuples of trace values that must each appear in <see cref="Table"/>.</summary>
public sealed class LookupColumns
{
    private readonly List<long[]> _tuples = [];
    private readonly List<string> _labels = [];

    /// <summary>Creates an empty set of lookups into <paramref name="table"/>.</summary>
    public LookupColumns(LookupTable table) => Table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>The table looked into.</summary>
    public LookupTable Table { get; }

    /// <summary>Number of looked-up tuples.</summary>
    public int Count => _tuples.Count;

    /// <summary>Tuple <paramref name="index"/>.</summary>
    public ReadOnlySpan<long> Tuple(int index) => _tuples[index];

    /// <summary>Column <paramref name="column"/> of every looked-up tuple (a trace column of the backend).</summary>
    public long[] Column(int column) => _tuples.Select(t => t[column]).ToArray();

    /// <summary>Adds a looked-up tuple, with a label for messages.</summary>
    public void Add(ReadOnlySpan<long> tuple, string label)
    {
        if (tuple.Length != Table.Width) throw new ArgumentException($"table {Table.Name} has {Table.Width} columns, tuple has {tuple.Length}");
        _tuples.Add(tuple.ToArray());
        _labels.Add(label);
    }

    /// <summary>Multiplicity of each table row among the looked-up tuples (what a logUp-style argument commits to).</summary>
    public long[] Multiplicities()
    {
        var rowOf = new Dictionary<string, int>();
        for (int r = 0; r < Table.RowCount; r++) rowOf[string.Join(',', Table.Row(r).ToArray())] = r;
        var m = new long[Table.RowCount];
        foreach (var t in _tuples)
            if (rowOf.TryGetValue(string.Join(',', t), out var r)) m[r]++;
        return m;
    }

    /// <summary>The first looked-up tuple missing from the table (its label and values), or null when all are present.</summary>
    public string? FindMissing()
    {
        for (int i = 0; i < _tuples.Count; i++)
            if (!Table.Contains(_tuples[i]))
                return $"lookup {i} ({_labels[i]}): ({string.Join(", ", _tuples[i])}) is not a row of table {Table.Name}";
        return null;
    }
}
