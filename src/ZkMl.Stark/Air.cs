using System.Numerics;
using System.Text;
using ZkMl.Field;

namespace ZkMl.Stark;

/// <summary>Where a transition constraint is enforced.</summary>
public enum ConstraintDomain
{
    /// <summary>On every pair (row i, row i+1) for i &lt; n-1: the last row has no successor.</summary>
    AllButLastRow,
    /// <summary>On every row, with row n-1's successor being row 0 (cyclic).</summary>
    AllRowsCyclic,
}

/// <summary>A transition constraint's metadata: a polynomial in the current and next rows (and periodic columns) that must vanish.</summary>
/// <param name="Name">Name used in error messages.</param>
/// <param name="Degree">Total degree of the polynomial in trace and periodic column values (declared by the AIR author; the prover checks it).</param>
/// <param name="Domain">The rows on which it must hold.</param>
public sealed record TransitionConstraint(string Name, int Degree, ConstraintDomain Domain = ConstraintDomain.AllButLastRow);

/// <summary>Trace column <paramref name="Column"/> must equal <paramref name="Value"/> at row <paramref name="Row"/>.</summary>
public sealed record BoundaryConstraint(string Name, int Column, int Row, Goldilocks Value);

/// <summary>A column known to the verifier whose values repeat with a power-of-two period dividing the trace length.</summary>
public sealed record PeriodicColumn(string Name, Goldilocks[] Values);

/// <summary>Reference to a main trace column or a periodic column.</summary>
public readonly record struct ColumnRef(bool IsPeriodic, int Index)
{
    /// <summary>Main trace column <paramref name="index"/>.</summary>
    public static ColumnRef Main(int index) => new(false, index);
    /// <summary>Periodic column <paramref name="index"/>.</summary>
    public static ColumnRef Periodic(int index) => new(true, index);
}

/// <summary>
/// One side of a LogUp lookup bus. Per row, an input contributes multiplicity/(beta - v) and a table contributes
/// -multiplicity/(beta - v), where v = bus + gamma*c0 + gamma^2*c1 + ... over <paramref name="Values"/>;
/// the bus is satisfied when all contributions over all rows sum to zero, i.e. every looked-up tuple appears in the
/// table with matching total multiplicity. For inputs the multiplicity is a selector (omitted = every row).
/// </summary>
/// <param name="Name">Name used in error messages.</param>
/// <param name="Bus">Bus identifier separating independent lookups.</param>
/// <param name="IsTable">True for the table side.</param>
/// <param name="Values">The tuple's columns.</param>
/// <param name="Multiplicity">Multiplicity column (tables) or selector (inputs); null means 1 on every row.</param>
public sealed record LookupTerm(string Name, int Bus, bool IsTable, ColumnRef[] Values, ColumnRef? Multiplicity = null);

/// <summary>
/// An algebraic intermediate representation: a trace of <see cref="TraceWidth"/> columns by <see cref="TraceLength"/> rows,
/// transition constraints over (current row, next row, periodic values), boundary constraints, LogUp lookups and public inputs.
/// An instance fixes the public inputs, so the prover and verifier build the same object.
/// </summary>
public abstract class Air
{
    /// <summary>Creates an AIR instance.</summary>
    protected Air(string identifier, int traceWidth, int traceLength, IReadOnlyList<Goldilocks> publicInputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (traceWidth < 1) throw new ArgumentOutOfRangeException(nameof(traceWidth), "At least one column is required.");
        if (traceLength < 4 || !BitOperations.IsPow2(traceLength) || traceLength > (1 << 26))
            throw new ArgumentOutOfRangeException(nameof(traceLength), $"Trace length must be a power of two in [4, 2^26], got {traceLength}.");
        Identifier = identifier;
        TraceWidth = traceWidth;
        TraceLength = traceLength;
        PublicInputs = publicInputs.ToArray();
    }

    /// <summary>Identifies the AIR (bound into the transcript, with its shape, so a proof for another AIR fails).</summary>
    public string Identifier { get; }
    /// <summary>Number of main trace columns.</summary>
    public int TraceWidth { get; }
    /// <summary>Number of rows (power of two).</summary>
    public int TraceLength { get; }
    /// <summary>Public inputs (bound into the transcript).</summary>
    public IReadOnlyList<Goldilocks> PublicInputs { get; }

    /// <summary>The transition constraints, in the order <see cref="EvaluateTransition"/> writes them.</summary>
    public abstract IReadOnlyList<TransitionConstraint> TransitionConstraints { get; }

    /// <summary>
    /// Writes each transition constraint's value into <paramref name="result"/>; all are zero on a valid trace.
    /// Called over the base field (trace check, prover) and over the extension field (verifier, out of domain).
    /// </summary>
    public abstract void EvaluateTransition<TF>(ReadOnlySpan<TF> current, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> result)
        where TF : struct, IField<TF>;

    /// <summary>Boundary constraints (column value at a row).</summary>
    public virtual IReadOnlyList<BoundaryConstraint> BoundaryConstraints => [];

    /// <summary>Periodic columns available to constraints and lookups.</summary>
    public virtual IReadOnlyList<PeriodicColumn> PeriodicColumns => [];

    /// <summary>LogUp lookup terms.</summary>
    public virtual IReadOnlyList<LookupTerm> Lookups => [];

    /// <summary>Checks that the AIR's declarations are consistent (column indices, periods, degrees).</summary>
    internal void ValidateShape()
    {
        foreach (var t in TransitionConstraints)
            if (t.Degree < 1 || t.Degree > 16) throw new InvalidOperationException($"Constraint '{t.Name}' declares degree {t.Degree}; supported degrees are 1..16.");
        foreach (var b in BoundaryConstraints)
            if (b.Column < 0 || b.Column >= TraceWidth || b.Row < 0 || b.Row >= TraceLength)
                throw new InvalidOperationException($"Boundary constraint '{b.Name}' refers to column {b.Column}, row {b.Row} outside the {TraceWidth}x{TraceLength} trace.");
        foreach (var p in PeriodicColumns)
            if (p.Values.Length < 1 || !BitOperations.IsPow2(p.Values.Length) || p.Values.Length > TraceLength)
                throw new InvalidOperationException($"Periodic column '{p.Name}' has period {p.Values.Length}; it must be a power of two dividing the trace length.");
        foreach (var l in Lookups)
        {
            if (l.Values.Length == 0) throw new InvalidOperationException($"Lookup '{l.Name}' has no value columns.");
            foreach (var c in l.Values.Append(l.Multiplicity ?? ColumnRef.Main(0))) CheckRef(l.Name, c);
            if (l.IsTable && l.Multiplicity is null) throw new InvalidOperationException($"Lookup table '{l.Name}' needs a multiplicity column.");
        }
    }

    private void CheckRef(string name, ColumnRef c)
    {
        int limit = c.IsPeriodic ? PeriodicColumns.Count : TraceWidth;
        if (c.Index < 0 || c.Index >= limit) throw new InvalidOperationException($"Lookup '{name}' refers to a missing {(c.IsPeriodic ? "periodic" : "trace")} column {c.Index}.");
    }

    /// <summary>A canonical encoding of everything that defines this AIR instance (identifier, shape, constraints, public inputs).</summary>
    internal byte[] EncodeDefinition()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write("ZkMl.Stark.Air/1");
        w.Write(Identifier);
        w.Write(TraceWidth);
        w.Write(TraceLength);
        w.Write(TransitionConstraints.Count);
        foreach (var t in TransitionConstraints) { w.Write(t.Name); w.Write(t.Degree); w.Write((int)t.Domain); }
        w.Write(BoundaryConstraints.Count);
        foreach (var b in BoundaryConstraints) { w.Write(b.Column); w.Write(b.Row); w.Write(b.Value.ToBigInteger().ToByteArray()); }
        w.Write(PeriodicColumns.Count);
        foreach (var p in PeriodicColumns) { w.Write(p.Values.Length); foreach (var v in p.Values) WriteField(w, v); }
        w.Write(Lookups.Count);
        foreach (var l in Lookups)
        {
            w.Write(l.Bus); w.Write(l.IsTable); w.Write(l.Values.Length);
            foreach (var c in l.Values) { w.Write(c.IsPeriodic); w.Write(c.Index); }
            w.Write(l.Multiplicity.HasValue);
            if (l.Multiplicity is { } m) { w.Write(m.IsPeriodic); w.Write(m.Index); }
        }
        w.Write(PublicInputs.Count);
        foreach (var v in PublicInputs) WriteField(w, v);
        w.Flush();
        return ms.ToArray();
    }

    private static void WriteField(BinaryWriter w, Goldilocks v)
    {
        Span<byte> b = stackalloc byte[8];
        v.WriteBytes(b);
        w.Write(b);
    }

    /// <summary>Blake3 digest of <see cref="EncodeDefinition"/>.</summary>
    internal byte[] Digest()
    {
        var d = new byte[32];
        Blake3.Hasher.Hash(EncodeDefinition(), d);
        return d;
    }
}
