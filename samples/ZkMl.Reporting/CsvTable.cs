using System.Globalization;
using System.Text;

namespace ZkMl.Reporting;

/// <summary>A small CSV table (RFC 4180 quoting, invariant culture), written beside each plot with its raw numbers.</summary>
public sealed class CsvTable
{
    private readonly List<string[]> _rows = [];

    /// <summary>Creates an empty table with the given column names.</summary>
    public CsvTable(params string[] header)
    {
        ArgumentNullException.ThrowIfNull(header);
        Header = header;
    }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Data rows, as text.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Appends a row; numbers are written round-trip in the invariant culture, null as an empty field.</summary>
    /// <exception cref="ArgumentException">The row has a different number of fields than the header.</exception>
    public void Add(params IFormattable?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length != Header.Count) throw new ArgumentException($"A row needs {Header.Count} fields, got {fields.Length}.", nameof(fields));
        _rows.Add([.. fields.Select(f => f switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => f.ToString(null, CultureInfo.InvariantCulture),
        })]);
    }

    /// <summary>Appends a row of text fields.</summary>
    /// <exception cref="ArgumentException">The row has a different number of fields than the header.</exception>
    public void AddText(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length != Header.Count) throw new ArgumentException($"A row needs {Header.Count} fields, got {fields.Length}.", nameof(fields));
        _rows.Add([.. fields]);
    }

    /// <summary>Writes the table to <paramref name="path"/> (UTF-8, LF line ends), creating its folder.</summary>
    public void Save(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var text = new StringBuilder();
        foreach (var row in _rows.Prepend([.. Header])) text.Append(string.Join(',', row.Select(Quote))).Append('\n');
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads a table written by <see cref="Save"/>.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or a row has the wrong number of fields.</exception>
    public static CsvTable Load(string path)
    {
        var records = Parse(File.ReadAllText(path));
        if (records.Count == 0) throw new FormatException("The CSV file is empty.");
        var table = new CsvTable([.. records[0]]);
        foreach (var record in records.Skip(1))
        {
            if (record.Count != table.Header.Count) throw new FormatException($"A row has {record.Count} fields, the header {table.Header.Count}.");
            table._rows.Add([.. record]);
        }
        return table;
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
            }
            else if (c != '\r') field.Append(c);
        }
        if (quoted) throw new FormatException("A quoted field is not closed.");
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
