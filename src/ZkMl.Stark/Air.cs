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
/// <param name="Scales">Optional per-value constant factors: tuple entry j is Scales[j] * Values[j] + Offsets[j].</param>
/// <param name="Offsets">Optional per-value constant offsets.</param>
public sealed record LookupTerm(string Name, int Bus, bool IsTable, ColumnRef[] Values, ColumnRef? Multiplicity = null, long[]? Scales = null, long[]? Offsets = null)
{
    internal Goldilocks Scale(int j) => Scales is null ? Goldilocks.One : Goldilocks.FromInt64(Scales[j]);
    internal Goldilocks Offset(int j) => Offsets is null ? Goldilocks.Zero : Goldilocks.FromInt64(Offsets[j]);
}

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

    /// <summary>
    /// Widths of the main-trace segments, in column order (default: one segment). Each segment gets its own Merkle
    /// commitment, so a segment's root can be a public commitment to those columns (see <see cref="StarkProof.SegmentRoot"/>).
    /// </summary>
    public virtual IReadOnlyList<int> MainSegmentWidths => [TraceWidth];

    /// <summary>Checks that the AIR's declarations are consistent (column indices, periods, degrees).</summary>
    internal void ValidateShape()
    {
        if (MainSegmentWidths.Count < 1 || MainSegmentWidths.Count > 16 || MainSegmentWidths.Any(w => w < 1) || MainSegmentWidths.Sum() != TraceWidth)
            throw new InvalidOperationException("Main segment widths must be positive, at most 16 segments, and sum to the trace width.");
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
            if ((l.Scales is not null && l.Scales.Length != l.Values.Length) || (l.Offsets is not null && l.Offsets.Length != l.Values.Length))
                throw new InvalidOperationException($"Lookup '{l.Name}': scales/offsets must match its values.");
            if (l.IsTable && l.Multiplicity is null) throw new InvalidOperationException($"Lookup table '{l.Name}' needs a multiplicity column.");
        }
    }

    private void CheckRef(string name, ColumnRef c)
    {
        int limit = c.IsPeriodic ? PeriodicColumns.Count : TraceWidth;
        if (c.Index < 0 || c.Index >= limit) throw new InvalidOperationException($"Lookup '{name}' refers to a missing {(c.IsPeriodic ? "periodic" : "trace")} column {c.Index}.");
    }

    private byte[]? _definition, _digest;

    /// <summary>A canonical encoding of everything that defines this AIR instance (identifier, shape, constraints, public inputs); computed once (an instance is immutable).</summary>
    internal byte[] EncodeDefinition() => _definition ??= Encode();

    private byte[] Encode()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write("ZkMl.Stark.Air/1");
        w.Write(Identifier);
        w.Write(TraceWidth);
        w.Write(TraceLength);
        w.Write(MainSegmentWidths.Count);
        foreach (var sw in MainSegmentWidths) w.Write(sw);
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
            for (int j = 0; j < l.Values.Length; j++)
            {
                w.Write(l.Values[j].IsPeriodic); w.Write(l.Values[j].Index);
                WriteField(w, l.Scale(j)); WriteField(w, l.Offset(j));
            }
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
        if (_digest is null)
        {
            var d = new byte[32];
            Blake3.Hasher.Hash(EncodeDefinition(), d);
            _digest = d;
        }
        return (byte[])_digest.Clone();
    }
}
