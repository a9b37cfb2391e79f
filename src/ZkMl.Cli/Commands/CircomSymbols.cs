using System.Globalization;
using ZkMl.Circuits;
using ZkMl.Field;

namespace ZkMl.Cli.Commands;

/// <summary>Signal names from circom's .sym file (lines <c>label,wire,component,name</c>), and constraints written as snarkjs's <c>r1cs print</c> writes them.</summary>
internal sealed class CircomSymbols
{
    private readonly Dictionary<int, string> _names;

    private CircomSymbols(Dictionary<int, string> names) => _names = names;

    /// <summary>Reads <paramref name="symPath"/>; when it is null, reads circuit.sym beside <paramref name="r1csPath"/> if it exists, else names wires by index.</summary>
    public static CircomSymbols Load(string r1csPath, string? symPath)
    {
        var path = symPath ?? Path.ChangeExtension(r1csPath, ".sym");
        if (symPath == null && !File.Exists(path)) return new CircomSymbols([]);
        var lines = FileErrors.About(path, () => File.ReadAllLines(path));
        var names = new Dictionary<int, string> { [0] = "one" };
        foreach (var line in lines)
        {
            var parts = line.Split(',');
            // Wire -1 marks a signal the optimiser removed; several names can share one wire.
            if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var wire) || wire < 0) continue;
            names[wire] = names.TryGetValue(wire, out var existing) ? existing + "|" + parts[3] : parts[3];
        }
        return new CircomSymbols(names);
    }

    /// <summary>The constraint as <c>[ A ] * [ B ] - [ C ] = 0</c>, terms in wire order, coefficient 1 left out.</summary>
    public string Format(R1csConstraint<Bn254Fr> c) => $"[ {Format(c.A)} ] * [ {Format(c.B)} ] - [ {Format(c.C)} ] = 0";

    private string Format(LinearCombination<Bn254Fr> lc)
    {
        var s = new System.Text.StringBuilder();
        foreach (var t in lc.Terms.ToArray().OrderBy(t => t.Wire))
        {
            var name = _names.TryGetValue(t.Wire, out var n) ? (n == "one" ? "1" : n) : $"w{t.Wire}";
            var v = t.Coefficient.IsOne ? "" : t.Coefficient.ToString();
            if (s.Length > 0) s.Append(" +");
            s.Append(v).Append(name);
        }
        return s.ToString();
    }
}
