using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>The verifier's side of <see cref="StepProver"/>: the same registrations, claims and final checks.</summary>
internal sealed class StepVerifier
{
    private readonly List<LigeroCommitment> _publics = [];
    private readonly List<int> _tables = [], _limbs = [];
    private readonly List<Goldilocks[]> _known = [];
    private readonly List<(Goldilocks[] Table, GoldilocksExt2[] Point, GoldilocksExt2 Value)> _knownClaims = [];
    private readonly List<List<(GoldilocksExt2[] Point, GoldilocksExt2 Value)>> _claims = [];
    private StackLayout? _layout;
    private LigeroCommitment? _committed;

    internal StepVerifier(ReadOnlySpan<byte> statementDigest) => Transcript = new Transcript(StepProver.Protocol, statementDigest);

    /// <summary>The step's one transcript.</summary>
    internal Transcript Transcript { get; }

    /// <summary>A public commitment; absorbed now.</summary>
    internal StepOracle AddPublic(LigeroCommitment commitment)
    {
        if (_layout is not null) throw new InvalidOperationException("Commitments are added before Commit.");
        commitment.AbsorbInto(Transcript);
        _publics.Add(commitment);
        return new StepOracle(StepOracle.Kinds.Public, _publics.Count - 1);
    }

    /// <summary>A table the verifier knows (power-of-two length; absorbed now); its claims are evaluated directly.</summary>
    internal StepOracle AddKnown(Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(table.Length);
        Transcript.Absorb("step.known", table);
        _known.Add(table);
        return new StepOracle(StepOracle.Kinds.Known, _known.Count - 1);
    }

    /// <summary>A private table of 2^<paramref name="variables"/> entries.</summary>
    internal StepOracle AddPrivate(int variables)
    {
        _tables.Add(variables);
        return new StepOracle(StepOracle.Kinds.Private, _tables.Count - 1);
    }

    /// <summary>A limb table of 2^<paramref name="variables"/> entries.</summary>
    internal StepOracle AddLimbs(int variables)
    {
        _limbs.Add(variables);
        return new StepOracle(StepOracle.Kinds.Limbs, _limbs.Count - 1);
    }

    /// <summary>Reads and absorbs the stacked commitment; false when it or a public commitment has the wrong parameters or size.</summary>
    internal bool Commit(ref ProofReader reader)
    {
        if (_layout is not null) throw new InvalidOperationException("Commit runs once.");
        var layout = new StackLayout(_tables, _limbs, RangeLimbs.LimbBits);
        var committed = LigeroCommitment.ReadFrom(ref reader);
        if (committed.Parameters != SumcheckStep.StackParameters || committed.Variables != layout.Variables) return false;
        if (_publics.Any(c => c.Parameters != SumcheckStep.Parameters)) return false;
        committed.AbsorbInto(Transcript);
        (_layout, _committed) = (layout, committed);
        for (int i = 0; i <= _publics.Count; i++) _claims.Add([]);
        return true;
    }

    /// <summary>Records the claim <paramref name="oracle"/>~(<paramref name="point"/>) = <paramref name="value"/>.</summary>
    internal void Claim(StepOracle oracle, GoldilocksExt2[] point, GoldilocksExt2 value)
    {
        var layout = _layout ?? throw new InvalidOperationException("Claims follow Commit.");
        if (oracle.Kind == StepOracle.Kinds.Known)
        {
            _knownClaims.Add((_known[oracle.Index], point, value));
            return;
        }
        if (oracle.Kind == StepOracle.Kinds.Public)
        {
            if (point.Length != _publics[oracle.Index].Variables) throw new ArgumentException("The point does not fit the commitment.", nameof(point));
            _claims[oracle.Index].Add((point, value));
        }
        else _claims[^1].Add((layout.Point(oracle.Kind == StepOracle.Kinds.Private ? layout.Table(oracle.Index) : layout.Limbs(oracle.Index), point), value));
    }

    /// <summary>Checks the shared range lookup and every claim against one opening per commitment.</summary>
    internal bool Finish(ref ProofReader reader)
    {
        var layout = _layout ?? throw new InvalidOperationException("Finish follows Commit.");
        foreach (var (table, point, value) in _knownClaims)
            if (point.Length != Multilinear.VariableCount(table.Length) || Multilinear.Evaluate(table, point) != value) return false;
        if (layout.HasLimbs)
        {
            if (!LogUpLookup.Verify(Transcript, RangeLimbs.Table, layout.Region.Variables, LookupProof.ReadFrom(ref reader), out var lookup)) return false;
            _claims[^1].Add((layout.Point(layout.Region, lookup.WitnessPoint), lookup.ColumnValues[0]));
            _claims[^1].Add((layout.Point(layout.Multiplicities, lookup.TablePoint), lookup.MultiplicityValue));
        }
        for (int c = 0; c < _claims.Count; c++)
        {
            var claims = _claims[c];
            if (claims.Count == 0) continue;
            var commitment = c < _publics.Count ? _publics[c] : _committed!;
            var (point, value) = claims[0];
            if (claims.Count > 1
                && !PointReduction.Verify(Transcript, commitment.Variables, [.. claims.Select(x => x.Point)], [.. claims.Select(x => x.Value)],
                    SumcheckProof.ReadFrom(ref reader), out point, out value))
                return false;
            if (!LigeroPcs.Verify(Transcript, commitment, [point], [value], LigeroOpening.ReadFrom(ref reader))) return false;
        }
        return true;
    }
}
