using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The prover's side of one step proof (format "ZKST" v3): one transcript for the whole step, seeded with the
/// statement digest, absorbing every public commitment (<see cref="AddPublic"/>) and the one commitment to the stacked
/// private tables (<see cref="Commit"/>: intermediates, remainders, every block's limb table and the range table's
/// multiplicities, laid out by <see cref="StackLayout"/>) before any challenge. Blocks then run on the shared transcript
/// and state evaluation claims (<see cref="Claim"/>) instead of opening; <see cref="Finish"/> proves every limb in
/// the range table with ONE LogUp over the limb region, reduces each commitment's claims to one point
/// (<see cref="PointReduction"/>) and opens each commitment once. <see cref="StepVerifier"/> mirrors it.
/// </summary>
internal sealed class StepProver
{
    internal const string Protocol = "ZkMl.Training.Sumcheck.Step v2";
    internal const string Magic = "ZKST";
    internal const ushort FormatVersion = 3;

    private readonly List<(LigeroProverData Data, Goldilocks[] Table)> _publics = [];
    private readonly List<Goldilocks[]> _tables = [], _limbs = [];
    private int _known;
    private readonly List<List<(GoldilocksExt2[] Point, GoldilocksExt2 Value)>> _claims = [];
    private StackLayout? _layout;
    private Goldilocks[] _stack = [];
    private LigeroProverData? _committed;

    internal StepProver(ReadOnlySpan<byte> statementDigest)
    {
        Transcript = new Transcript(Protocol, statementDigest);
        Writer = new ProofWriter(Magic, FormatVersion);
    }

    /// <summary>The step's one transcript.</summary>
    internal Transcript Transcript { get; }
    /// <summary>The proof being written.</summary>
    internal ProofWriter Writer { get; }

    /// <summary>A public commitment (the chain's weights, the batch) and its table; absorbed now.</summary>
    internal StepOracle AddPublic(LigeroProverData data, Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Commitments are added before Commit.");
        if (table.Length != 1 << data.Commitment.Variables) throw new ArgumentException("The table does not match its commitment.", nameof(table));
        data.Commitment.AbsorbInto(Transcript);
        _publics.Add((data, table));
        return new StepOracle(StepOracle.Kinds.Public, _publics.Count - 1);
    }

    /// <summary>A table the verifier knows (power-of-two length; absorbed now): its claims are not opened.</summary>
    internal StepOracle AddKnown(Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(table.Length);
        Transcript.Absorb("step.known", table);
        return new StepOracle(StepOracle.Kinds.Known, _known++);
    }

    /// <summary>A private table (power-of-two length) of the stacked commitment.</summary>
    internal StepOracle AddPrivate(Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(table.Length);
        _tables.Add(table);
        return new StepOracle(StepOracle.Kinds.Private, _tables.Count - 1);
    }

    /// <summary>A limb table of the stacked commitment: every entry is proven in the range table by <see cref="Finish"/>.</summary>
    internal StepOracle AddLimbs(Goldilocks[] limbs)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(limbs.Length);
        _limbs.Add(limbs);
        return new StepOracle(StepOracle.Kinds.Limbs, _limbs.Count - 1);
    }

    /// <summary>Stacks and commits the private tables (with the limbs' multiplicities) and absorbs the commitment.</summary>
    internal void Commit()
    {
        if (_layout is not null) throw new InvalidOperationException("Commit runs once.");
        var layout = new StackLayout([.. _tables.Select(t => Multilinear.VariableCount(t.Length))],
            [.. _limbs.Select(t => Multilinear.VariableCount(t.Length))], RangeLimbs.LimbBits);
        using (SumcheckTelemetry.Telemetry.Phase("stack"))
        {
            _stack = new Goldilocks[1 << layout.Variables];
            for (int i = 0; i < _tables.Count; i++) _tables[i].CopyTo(_stack, layout.Table(i).Offset);
            for (int j = 0; j < _limbs.Count; j++) _limbs[j].CopyTo(_stack, layout.Limbs(j).Offset);
            if (layout.HasLimbs)
            {
                // Limbs outside the table (a cheating prover's, in tests) are left uncounted: the lookup then fails.
                var counts = new ulong[1 << RangeLimbs.LimbBits];
                foreach (var limb in _stack.AsSpan(layout.Region.Offset, 1 << layout.Region.Variables))
                    if (limb.Value < (ulong)counts.Length) counts[limb.Value]++;
                for (int i = 0; i < counts.Length; i++) _stack[layout.Multiplicities.Offset + i] = Goldilocks.FromUInt64(counts[i]);
            }
        }
        _committed = LigeroPcs.CommitZeroTail(SumcheckStep.StackParameters, _stack.AsSpan(0, (int)Math.Max(layout.Used, 1)), layout.Variables);
        _committed.Commitment.WriteTo(Writer);
        _committed.Commitment.AbsorbInto(Transcript);
        _layout = layout;
        for (int i = 0; i <= _publics.Count; i++) _claims.Add([]);
    }

    /// <summary>States <paramref name="oracle"/>~(<paramref name="point"/>) = <paramref name="value"/>, checked by <see cref="Finish"/>.</summary>
    internal void Claim(StepOracle oracle, GoldilocksExt2[] point, GoldilocksExt2 value)
    {
        var layout = _layout ?? throw new InvalidOperationException("Claims follow Commit.");
        if (oracle.Kind == StepOracle.Kinds.Known) return;
        if (oracle.Kind == StepOracle.Kinds.Public)
        {
            if (point.Length != _publics[oracle.Index].Data.Commitment.Variables) throw new ArgumentException("The point does not fit the commitment.", nameof(point));
            _claims[oracle.Index].Add((point, value));
        }
        else _claims[^1].Add((layout.Point(oracle.Kind == StepOracle.Kinds.Private ? layout.Table(oracle.Index) : layout.Limbs(oracle.Index), point), value));
    }

    /// <summary>The shared range lookup, one point reduction and one opening per commitment; returns the proof.</summary>
    internal byte[] Finish()
    {
        var layout = _layout ?? throw new InvalidOperationException("Finish follows Commit.");
        if (layout.HasLimbs)
        {
            var region = _stack.AsSpan(layout.Region.Offset, 1 << layout.Region.Variables).ToArray();
            var multiplicities = _stack.AsSpan(layout.Multiplicities.Offset, 1 << layout.Multiplicities.Variables);
            var lookup = LogUpLookup.Prove(Transcript, RangeLimbs.Table, multiplicities, region);
            lookup.Proof.WriteTo(Writer);
            _claims[^1].Add((layout.Point(layout.Region, lookup.Reduction.WitnessPoint), lookup.Reduction.ColumnValues[0]));
            _claims[^1].Add((layout.Point(layout.Multiplicities, lookup.Reduction.TablePoint), lookup.Reduction.MultiplicityValue));
        }
        for (int c = 0; c < _claims.Count; c++)
        {
            var claims = _claims[c];
            if (claims.Count == 0) continue;
            var (data, table) = c < _publics.Count ? _publics[c] : (_committed!, _stack);
            var point = claims[0].Point;
            if (claims.Count > 1)
            {
                SumcheckProverResult reduced;
                using (SumcheckTelemetry.Telemetry.Phase("reduce"))
                    reduced = PointReduction.Prove(Transcript, table, [.. claims.Select(x => x.Point)], [.. claims.Select(x => x.Value)]);
                reduced.Proof.WriteTo(Writer);
                point = reduced.Reduction.Point.ToArray();
            }
            LigeroPcs.Open(Transcript, data, [point], new GoldilocksExt2[1]).WriteTo(Writer);
        }
        return Writer.ToArray();
    }
}
