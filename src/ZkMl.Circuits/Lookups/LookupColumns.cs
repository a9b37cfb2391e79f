namespace ZkMl.Circuits.Lookups;

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
