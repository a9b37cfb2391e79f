using ZkMl.Field;

namespace ZkMl.Stark;

/// <summary>
/// Two AIRs over the same trace length proven as one STARK, sharing their first main-trace segments. The shared segments
/// (equal widths in both) are committed once; then come the first AIR's other columns, then the second's. Every constraint,
/// periodic column, boundary and lookup of both applies (the second AIR's buses are renumbered after the first's), and one
/// Fiat-Shamir transcript over both definitions draws one set of challenges and one set of query positions, so every shared
/// column is checked by both AIRs at the same points. Public inputs: <c>publicInputs</c>, then the first's, then the second's.
/// </summary>
public sealed class CompositeAir : Air
{
    private readonly Air _first, _second;
    private readonly int _shared, _firstWidth, _secondPrivate, _firstPeriodic;
    private readonly int[] _segments;
    private readonly PeriodicColumn[] _periodic;
    private readonly LookupTerm[] _lookups;
    private readonly BoundaryConstraint[] _boundaries;

    /// <summary>
    /// Combines <paramref name="first"/> and <paramref name="second"/>, whose first <paramref name="sharedSegments"/> main
    /// segments are the same columns.
    /// </summary>
    public CompositeAir(string identifier, Air first, Air second, int sharedSegments, IReadOnlyList<Goldilocks> publicInputs)
        : base($"{identifier}[{Checked(first, second, sharedSegments).Identifier}|{second.Identifier}]",
            first.TraceWidth + second.TraceWidth - SharedWidth(first, sharedSegments), first.TraceLength,
            [.. publicInputs, .. first.PublicInputs, .. second.PublicInputs])
    {
        _first = first;
        _second = second;
        _shared = SharedWidth(first, sharedSegments);
        _firstWidth = first.TraceWidth;
        _secondPrivate = second.TraceWidth - _shared;
        _firstPeriodic = first.PeriodicColumns.Count;
        _segments = [.. first.MainSegmentWidths, .. second.MainSegmentWidths.Skip(sharedSegments)];
        _periodic = [.. first.PeriodicColumns, .. second.PeriodicColumns];
        int busOffset = first.Lookups.Count == 0 ? 0 : first.Lookups.Max(l => l.Bus) + 1;
        _lookups = [.. first.Lookups, .. second.Lookups.Select(l => l with
        {
            Bus = l.Bus + busOffset,
            Values = l.Values.Select(SecondRef).ToArray(),
            Multiplicity = l.Multiplicity is { } m ? SecondRef(m) : null,
        })];
        _boundaries = [.. first.BoundaryConstraints, .. second.BoundaryConstraints.Select(b => b with { Column = SecondColumn(b.Column) })];
    }

    private static Air Checked(Air first, Air second, int sharedSegments)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.TraceLength != second.TraceLength) throw new ArgumentException("Composite AIRs need equal trace lengths.");
        if (sharedSegments < 0 || sharedSegments >= Math.Min(first.MainSegmentWidths.Count, second.MainSegmentWidths.Count))
            throw new ArgumentOutOfRangeException(nameof(sharedSegments), "Each AIR needs a segment of its own after the shared ones.");
        for (int s = 0; s < sharedSegments; s++)
            if (first.MainSegmentWidths[s] != second.MainSegmentWidths[s]) throw new ArgumentException($"Shared segment {s} has different widths.");
        return first;
    }

    private static int SharedWidth(Air first, int sharedSegments) => first.MainSegmentWidths.Take(sharedSegments).Sum();

    /// <summary>The composite column of the second AIR's column <paramref name="column"/>.</summary>
    private int SecondColumn(int column) => column < _shared ? column : _firstWidth + column - _shared;

    private ColumnRef SecondRef(ColumnRef c) => c.IsPeriodic ? ColumnRef.Periodic(c.Index + _firstPeriodic) : ColumnRef.Main(SecondColumn(c.Index));

    /// <summary>The first AIR.</summary>
    public Air First => _first;

    /// <summary>The second AIR.</summary>
    public Air Second => _second;

    /// <inheritdoc />
    public override IReadOnlyList<int> MainSegmentWidths => _segments;

    /// <inheritdoc />
    public override IReadOnlyList<PeriodicColumn> PeriodicColumns => _periodic;

    /// <inheritdoc />
    public override IReadOnlyList<LookupTerm> Lookups => _lookups;

    /// <inheritdoc />
    public override IReadOnlyList<BoundaryConstraint> BoundaryConstraints => _boundaries;

    /// <summary>
    /// The composite trace from the two AIRs' traces. Throws <see cref="ArgumentException"/> when their shared columns differ
    /// (one committed column cannot hold two witnesses).
    /// </summary>
    public Goldilocks[][] CombineTraces(Goldilocks[][] firstTrace, Goldilocks[][] secondTrace)
    {
        ArgumentNullException.ThrowIfNull(firstTrace);
        ArgumentNullException.ThrowIfNull(secondTrace);
        if (firstTrace.Length != _first.TraceWidth || secondTrace.Length != _second.TraceWidth) throw new ArgumentException("Trace widths do not match the AIRs.");
        for (int c = 0; c < _shared; c++)
            if (!firstTrace[c].AsSpan().SequenceEqual(secondTrace[c])) throw new ArgumentException($"Shared column {c} differs between the two traces.");
        return [.. firstTrace, .. secondTrace.Skip(_shared)];
    }

    /// <inheritdoc />
    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        ReadOnlySpan<TF> cur = b.Current, next = b.Next, per = b.Periodic;
        var first = b.Component(cur[.._firstWidth], next[.._firstWidth], per[.._firstPeriodic], "A:");
        _first.EvaluateInto(ref first);
        b.Absorb(first);
        // The second AIR's row: the shared columns, then its own (after the first AIR's).
        var scratch = Scratch<TF>.Take(2 * (_shared + _secondPrivate));
        try
        {
            var secondCur = scratch.AsSpan(0, _shared + _secondPrivate);
            var secondNext = scratch.AsSpan(_shared + _secondPrivate);
            cur[.._shared].CopyTo(secondCur);
            cur.Slice(_firstWidth, _secondPrivate).CopyTo(secondCur[_shared..]);
            next[.._shared].CopyTo(secondNext);
            next.Slice(_firstWidth, _secondPrivate).CopyTo(secondNext[_shared..]);
            var second = b.Component(secondCur, secondNext, per[_firstPeriodic..], "B:");
            _second.EvaluateInto(ref second);
            b.Absorb(second);
        }
        finally { Scratch<TF>.Return(scratch); }
    }

    /// <summary>Per-thread row buffers (constraints are evaluated once per domain point; nested composites take fresh ones).</summary>
    private static class Scratch<TF>
    {
        [ThreadStatic] private static TF[]? t_free;

        public static TF[] Take(int length)
        {
            var buffer = t_free;
            t_free = null;
            return buffer is not null && buffer.Length == length ? buffer : new TF[length];
        }

        public static void Return(TF[] buffer) => t_free = buffer;
    }
}
