using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Where each private table of a step lives in the one stacked table the step commits: tables (powers of two) sorted by
/// size, largest first, at offsets aligned to their sizes, so table j (2^n_j entries at offset o_j) is the stacked
/// multilinear with its first N - n_j variables fixed to the bits of o_j / 2^n_j: a claim t_j~(q) = v is the claim
/// stacked~(bits(o_j), q) = v. The limb tables sit together in one aligned region (the shared range lookup's witness
/// column, its unused tail zero), next to the multiplicities of the range table. Prover and verifier build the same
/// layout from the tables' sizes in registration order.
/// </summary>
internal sealed class StackLayout
{
    private readonly (int Offset, int Variables)[] _tables, _limbs;

    internal StackLayout(IReadOnlyList<int> tableVariables, IReadOnlyList<int> limbVariables, int multiplicityVariables)
    {
        var limbOffsets = Place(limbVariables, out int regionVariables, out _);
        var all = new List<int>(tableVariables);
        if (limbVariables.Count > 0) all.AddRange([regionVariables, multiplicityVariables]);
        var offsets = Place(all, out int variables, out long used);
        if (variables > LigeroPcs.MaxVariables) throw new ArgumentException($"A step's private tables exceed 2^{LigeroPcs.MaxVariables} entries.");
        Variables = variables;
        Used = used;
        _tables = [.. offsets.Take(tableVariables.Count)];
        if (limbVariables.Count > 0)
        {
            Region = offsets[tableVariables.Count];
            Multiplicities = offsets[tableVariables.Count + 1];
            _limbs = [.. limbOffsets.Select(l => (Region.Offset + l.Offset, l.Variables))];
        }
        else _limbs = [];
    }

    /// <summary>Variables of the stacked table.</summary>
    internal int Variables { get; }
    /// <summary>Entries before the stacked table's zero tail (what its commitment covers).</summary>
    internal long Used { get; }
    /// <summary>The limb region: the shared lookup's witness column.</summary>
    internal (int Offset, int Variables) Region { get; }
    /// <summary>The range table's multiplicities.</summary>
    internal (int Offset, int Variables) Multiplicities { get; }
    /// <summary>Private table i.</summary>
    internal (int Offset, int Variables) Table(int i) => _tables[i];
    /// <summary>Limb table j (inside the region).</summary>
    internal (int Offset, int Variables) Limbs(int j) => _limbs[j];
    /// <summary>Whether any limb table was registered (then the step runs the shared lookup).</summary>
    internal bool HasLimbs => _limbs.Length > 0;

    /// <summary>Aligned offsets of tables of 2^v_i entries, largest first (ties in order), and the variables of the whole.</summary>
    private static (int Offset, int Variables)[] Place(IReadOnlyList<int> variables, out int total, out long used) =>
        Place(variables, "A step's private tables exceed", out total, out used);

    /// <summary>
    /// Aligned offsets of tables of 2^v_i entries, largest first (ties in order), and the variables of the whole (also the
    /// layout of a weight state's parts, <see cref="WeightStateLayout"/>); <paramref name="tooLarge"/> starts the message
    /// when the whole passes 2^<see cref="LigeroPcs.MaxVariables"/> entries.
    /// </summary>
    internal static (int Offset, int Variables)[] Place(IReadOnlyList<int> variables, string tooLarge, out int total, out long used)
    {
        var result = new (int Offset, int Variables)[variables.Count];
        long next = 0;
        foreach (int i in Enumerable.Range(0, variables.Count).OrderByDescending(i => variables[i]).ThenBy(i => i))
        {
            if (variables[i] < 0 || variables[i] > LigeroPcs.MaxVariables) throw new ArgumentOutOfRangeException(nameof(variables));
            result[i] = ((int)next, variables[i]);
            next += 1L << variables[i];
            if (next > 1L << LigeroPcs.MaxVariables) throw new ArgumentException($"{tooLarge} 2^{LigeroPcs.MaxVariables} entries.");
        }
        total = Common.BitMath.CeilingLog2((int)next);
        used = next;
        return result;
    }
}
