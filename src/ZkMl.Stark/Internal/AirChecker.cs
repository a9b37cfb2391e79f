using ZkMl.Field;

namespace ZkMl.Stark.Internal;

/// <summary>Checks a trace against an AIR row by row, naming the first violated constraint.</summary>
internal static class AirChecker
{
    public static void Check(Air air, Goldilocks[][] trace)
    {
        CheckShape(air, trace);
        int n = air.TraceLength, w = air.TraceWidth;
        var constraints = air.TransitionConstraints;
        var periodic = air.PeriodicColumns;
        var cur = new Goldilocks[w];
        var next = new Goldilocks[w];
        var per = new Goldilocks[periodic.Count];
        var res = new Goldilocks[constraints.Count];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < w; c++) { cur[c] = trace[c][i]; next[c] = trace[c][(i + 1) % n]; }
            for (int p = 0; p < per.Length; p++) per[p] = periodic[p].Values[i % periodic[p].Values.Length];
            Array.Clear(res);
            air.EvaluateTransition<Goldilocks>(cur, next, per, res);
            for (int k = 0; k < res.Length; k++)
            {
                if (res[k].IsZero) continue;
                if (i == n - 1 && constraints[k].Domain == ConstraintDomain.AllButLastRow) continue;
                throw new AirConstraintViolationException(constraints[k].Name, i,
                    $"AIR '{air.Identifier}': transition constraint '{constraints[k].Name}' (#{k}) fails at row {i} (value {res[k]}).");
            }
        }
        foreach (var b in air.BoundaryConstraints)
            if (trace[b.Column][b.Row] != b.Value)
                throw new AirConstraintViolationException(b.Name, b.Row,
                    $"AIR '{air.Identifier}': boundary constraint '{b.Name}' fails at row {b.Row}: column {b.Column} is {trace[b.Column][b.Row]}, expected {b.Value}.");
        CheckLookups(air, trace);
    }

    public static void CheckShape(Air air, Goldilocks[][] trace)
    {
        if (trace.Length != air.TraceWidth) throw new ArgumentException($"Trace has {trace.Length} columns; AIR '{air.Identifier}' expects {air.TraceWidth}.");
        for (int c = 0; c < trace.Length; c++)
            if (trace[c] is null || trace[c].Length != air.TraceLength)
                throw new ArgumentException($"Trace column {c} has {trace[c]?.Length ?? 0} rows; AIR '{air.Identifier}' expects {air.TraceLength}.");
    }

    private sealed class TupleComparer : IEqualityComparer<ulong[]>
    {
        public bool Equals(ulong[]? a, ulong[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(ulong[] a)
        {
            var h = new HashCode();
            foreach (var v in a) h.Add(v);
            return h.ToHashCode();
        }
    }

    private static void CheckLookups(Air air, Goldilocks[][] trace)
    {
        int n = air.TraceLength;
        foreach (var bus in air.Lookups.GroupBy(l => l.Bus))
        {
            var balance = new Dictionary<ulong[], (Goldilocks Sum, string Term, int Row)>(new TupleComparer());
            var tableKeys = new HashSet<ulong[]>(new TupleComparer());
            foreach (var term in bus)
            {
                for (int i = 0; i < n; i++)
                {
                    var m = term.Multiplicity is { } mc ? air.ColumnValue(trace, mc, i) : Goldilocks.One;
                    if (m.IsZero) continue;
                    var key = new ulong[term.Values.Length];
                    for (int v = 0; v < key.Length; v++) key[v] = (term.Scale(v) * air.ColumnValue(trace, term.Values[v], i) + term.Offset(v)).Value;
                    if (term.IsTable) tableKeys.Add(key);
                    balance.TryGetValue(key, out var entry);
                    var sum = term.IsTable ? entry.Sum - m : entry.Sum + m;
                    string? name = entry.Term;
                    int row = entry.Row;
                    if (string.IsNullOrEmpty(name) && !term.IsTable) { name = term.Name; row = i; }
                    balance[key] = (sum, name ?? "", row);
                }
            }
            foreach (var (key, entry) in balance)
            {
                if (entry.Sum.IsZero) continue;
                string tuple = "(" + string.Join(", ", key) + ")";
                if (!tableKeys.Contains(key))
                    throw new AirConstraintViolationException(entry.Term, entry.Row,
                        $"AIR '{air.Identifier}': lookup '{entry.Term}' on bus {bus.Key} at row {entry.Row}: value {tuple} is not in the table.");
                throw new AirConstraintViolationException($"bus {bus.Key}", entry.Row,
                    $"AIR '{air.Identifier}': lookup bus {bus.Key}: multiplicity of {tuple} in the table does not match the number of lookups.");
            }
        }
    }
}
