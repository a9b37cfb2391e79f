using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Where every parameter table of one weight state lives in the state's ONE chain commitment ("ZKSP" v5): each layer's
/// padded W_l, then each bias layer's padded b_l (<see cref="StepTables.BiasLayersOf"/> order), placed as
/// <see cref="StackLayout"/> places the stack's tables: largest first (ties in order) at offsets aligned to their sizes,
/// so part j (2^n_j entries at offset o_j) is the state's multilinear with its first N - n_j variables fixed to the bits
/// of o_j / 2^n_j, and a claim W_l~(q) = v is the claim state~(bits(o_l), q) = v. Only the first <see cref="Used"/>
/// entries are committed (the zero tail is public). A function of the network shape alone: the two steps that open one
/// state (its producer in slot 1, its consumer in slot 0) derive the same layout.
/// </summary>
internal sealed class WeightStateLayout
{
    private readonly (int Offset, int Variables)[] _parts;

    private WeightStateLayout((int Offset, int Variables)[] parts, int variables, long used, int layers) =>
        (_parts, Variables, Used, Layers) = (parts, variables, used, layers);

    /// <summary>Variables of the state's table.</summary>
    internal int Variables { get; }
    /// <summary>Entries before the zero tail (what the commitment covers).</summary>
    internal long Used { get; }
    /// <summary>Layers of the network (the first parts are their weights).</summary>
    internal int Layers { get; }
    /// <summary>Parts: every layer's weights, then every bias layer's biases.</summary>
    internal int Count => _parts.Length;
    /// <summary>Part i (<see cref="Weight"/>, <see cref="Bias"/>).</summary>
    internal (int Offset, int Variables) Part(int i) => _parts[i];
    /// <summary>Layer l's weights.</summary>
    internal (int Offset, int Variables) Weight(int l) => _parts[l];
    /// <summary>Bias layer k's biases.</summary>
    internal (int Offset, int Variables) Bias(int k) => _parts[Layers + k];

    /// <summary>The layout of a network's weight state.</summary>
    internal static WeightStateLayout For(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var shapes = StepTables.ShapesFor(config);
        int layers = config.Network.Layers.Count;
        int[] variables = [.. Enumerable.Range(0, layers).Select(l => SumcheckStep.WeightVariables(shapes, l)),
            .. StepTables.BiasLayersOf(config).Select(l => SumcheckStep.BiasVariables(shapes, l))];
        var parts = StackLayout.Place(variables, "A weight state exceeds", out int total, out long used);
        // At least one variable: a hiding commitment needs one.
        return new WeightStateLayout(parts, Math.Max(1, total), used, layers);
    }

    /// <summary>The state's table up to its zero tail (<see cref="Used"/> entries) from its parts' tables (in part order).</summary>
    internal Goldilocks[] Table(IReadOnlyList<Goldilocks[]> parts)
    {
        if (parts.Count != _parts.Length) throw new ArgumentException($"A weight state has {_parts.Length} parts.", nameof(parts));
        var table = new Goldilocks[Used];
        for (int i = 0; i < parts.Count; i++)
        {
            if (parts[i].Length != 1 << _parts[i].Variables) throw new ArgumentException($"Part {i} has 2^{_parts[i].Variables} entries.", nameof(parts));
            parts[i].CopyTo(table, _parts[i].Offset);
        }
        return table;
    }
}
