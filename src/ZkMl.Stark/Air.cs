using System.Numerics;
using System.Text;
using ZkMl.Field;
using ZkMl.Stark.Internal;

namespace ZkMl.Stark;

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

    /// <summary>
    /// Declares every transition constraint through <paramref name="builder"/>, once, with its name and its value
    /// (<see cref="ConstraintBuilder{TF}.AssertZero(string, TF, ConstraintDomain, int)"/>), in a fixed order.
    /// Called over a symbolic degree type (which derives <see cref="TransitionConstraints"/>), the base field (trace check,
    /// prover) and the extension field (verifier, out of domain).
    /// </summary>
    protected abstract void Evaluate<TF>(ref ConstraintBuilder<TF> builder) where TF : struct, IField<TF>;

    /// <summary>Runs <see cref="Evaluate{TF}"/> on a builder (lets <see cref="CompositeAir"/> evaluate its components).</summary>
    internal void EvaluateInto<TF>(ref ConstraintBuilder<TF> builder) where TF : struct, IField<TF> => Evaluate(ref builder);

    private TransitionConstraint[]? _constraints;

    /// <summary>The transition constraints (names, degrees, domains), in the order <see cref="Evaluate{TF}"/> declares them.</summary>
    public IReadOnlyList<TransitionConstraint> TransitionConstraints => _constraints ??= DeclareConstraints();

    private TransitionConstraint[] DeclareConstraints()
    {
        var current = new SymbolicDegree[TraceWidth];
        var periodic = new SymbolicDegree[PeriodicColumns.Count];
        Array.Fill(current, SymbolicDegree.Variable);
        Array.Fill(periodic, SymbolicDegree.Variable);
        var declared = new List<TransitionConstraint>();
        var builder = new ConstraintBuilder<SymbolicDegree>(current, current, periodic, [], declared);
        Evaluate(ref builder);
        return declared.ToArray();
    }

    /// <summary>Writes each transition constraint's value into <paramref name="result"/>; all are zero on a valid trace.</summary>
    public void EvaluateTransition<TF>(ReadOnlySpan<TF> current, ReadOnlySpan<TF> next, ReadOnlySpan<TF> periodic, Span<TF> result)
        where TF : struct, IField<TF>
    {
        var builder = new ConstraintBuilder<TF>(current, next, periodic, result, null);
        Evaluate(ref builder);
    }

    /// <summary>The value of main or periodic column <paramref name="column"/> at <paramref name="row"/> of <paramref name="trace"/>.</summary>
    public Goldilocks ColumnValue(Goldilocks[][] trace, ColumnRef column, int row) =>
        column.IsPeriodic ? PeriodicColumns[column.Index].Values[row % PeriodicColumns[column.Index].Values.Length] : trace[column.Index][row];

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
