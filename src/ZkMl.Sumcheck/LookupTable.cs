using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// A public lookup table: 1..<see cref="MaxColumns"/> columns of one power-of-two length (at least 2, at most
/// 2^<see cref="MaxVariables"/>). A row is a tuple of base-field values; witness rows are looked up as tuples.
/// </summary>
public sealed class LookupTable
{
    /// <summary>Most columns a table may have.</summary>
    public const int MaxColumns = 4;
    /// <summary>Largest table: 2^MaxVariables rows.</summary>
    public const int MaxVariables = 24;

    private readonly Goldilocks[][] _columns;
    private readonly Lazy<Dictionary<(ulong, ulong, ulong, ulong), int>> _index;

    /// <summary>Builds a table from its columns (copied).</summary>
    /// <exception cref="ArgumentException">No column, too many, different lengths, or a length that is not a power of two in [2, 2^MaxVariables].</exception>
    public LookupTable(params ReadOnlySpan<Goldilocks[]> columns)
    {
        if (columns.Length < 1 || columns.Length > MaxColumns) throw new ArgumentException($"A table has 1..{MaxColumns} columns.", nameof(columns));
        foreach (var column in columns) ArgumentNullException.ThrowIfNull(column);
        int length = columns[0].Length;
        if (length < 2 || length > 1 << MaxVariables || !System.Numerics.BitOperations.IsPow2(length))
            throw new ArgumentException($"A table has a power-of-two length in [2, 2^{MaxVariables}], got {length}.", nameof(columns));
        foreach (var column in columns)
            if (column.Length != length) throw new ArgumentException("Columns of different lengths.", nameof(columns));
        _columns = [.. columns.ToArray().Select(c => (Goldilocks[])c.Clone())];
        _index = new(BuildIndex);
    }

    /// <summary>The table 0, 1, ..., 2^bits - 1 (one column): membership is the range check x &lt; 2^bits.</summary>
    public static LookupTable Range(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxVariables);
        var column = new Goldilocks[1 << bits];
        for (int i = 0; i < column.Length; i++) column[i] = Goldilocks.FromUInt64((ulong)i);
        return new LookupTable(column);
    }

    /// <summary>
    /// The two-column table (x, f(x)) for the integers x in [offset, offset + 2^bits), both encoded as field
    /// elements (negative values as p - |v|). Membership of (x, y) proves x in the range and y = f(x).
    /// </summary>
    public static LookupTable FromFunction(int bits, long offset, Func<long, long> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxVariables);
        var x = new Goldilocks[1 << bits];
        var y = new Goldilocks[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            long value = offset + i;
            x[i] = Goldilocks.FromInt64(value);
            y[i] = Goldilocks.FromInt64(function(value));
        }
        return new LookupTable(x, y);
    }

    /// <summary>Number of columns.</summary>
    public int Columns => _columns.Length;

    /// <summary>Number of rows (a power of two).</summary>
    public int Length => _columns[0].Length;

    /// <summary>log2 of <see cref="Length"/>.</summary>
    public int Variables => System.Numerics.BitOperations.Log2((uint)Length);

    /// <summary>Column <paramref name="index"/>.</summary>
    public ReadOnlySpan<Goldilocks> Column(int index) => _columns[index];

    /// <summary>The index of the first row equal to (<paramref name="row"/>), or -1.</summary>
    public int IndexOf(ReadOnlySpan<Goldilocks> row)
    {
        if (row.Length != Columns) throw new ArgumentException($"A row has {Columns} values.", nameof(row));
        return _index.Value.TryGetValue(Key(row), out int index) ? index : -1;
    }

    private Dictionary<(ulong, ulong, ulong, ulong), int> BuildIndex()
    {
        var index = new Dictionary<(ulong, ulong, ulong, ulong), int>(Length);
        Span<Goldilocks> row = stackalloc Goldilocks[Columns];
        for (int i = 0; i < Length; i++)
        {
            for (int j = 0; j < Columns; j++) row[j] = _columns[j][i];
            index.TryAdd(Key(row), i);
        }
        return index;
    }

    private static (ulong, ulong, ulong, ulong) Key(ReadOnlySpan<Goldilocks> row) => (
        row[0].Value, row.Length > 1 ? row[1].Value : 0, row.Length > 2 ? row[2].Value : 0, row.Length > 3 ? row[3].Value : 0);
}
