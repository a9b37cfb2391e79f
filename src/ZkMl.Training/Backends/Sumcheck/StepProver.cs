using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The prover's side of one zero-knowledge step proof (format "ZKST" v7): one transcript for the whole step, seeded with
/// the statement digest, absorbing the two weight states' hiding chain commitments (<see cref="AddState"/>), the hiding
/// commitment to the stacked private tables (laid out by <see cref="StackLayout"/> with the blocks' mask region,
/// <see cref="Commit"/>) and the joint reduction's Libra mask set before any challenge. Each block then runs as a masked
/// zero-check (<see cref="Prove(ZeroCheck)"/>) whose finals become linear claims; <see cref="Finish"/> proves the
/// membership sponge, every limb in the range table and X+ in the input range (two stored-mask GKR lookups), and reduces
/// every claim on every commitment to one opening each by ONE joint zero-knowledge linear reduction. <see cref="StepVerifier"/> mirrors it.
/// </summary>
internal sealed class StepProver
{
    /// <summary>The step proof's magic.</summary>
    internal const string Magic = "ZKST";
    /// <summary>The zero-knowledge step's transcript protocol ("ZKST" v6: v5 with the input range in a lookup of its own, one chain commitment per weight state and a proof of work before every opening's queries; kept by v7, whose stack parameters the verifier pins and the commitment's header carries into the transcript).</summary>
    internal const string ZeroKnowledgeProtocol = "ZkMl.Training.Sumcheck.Step v6";
    /// <summary>
    /// The zero-knowledge step's format: "ZKST" v6 and v7, the batch and its membership sponge in the stack, X+'s range in the
    /// input lookup (its own LogUp and GKR after the shared one, not two limb tables in the shared lookup), every
    /// commitment at the pinned per-commitment parameters of <see cref="SumcheckStep"/>, every layer's weights and biases
    /// parts of ONE chain commitment per weight state (<see cref="AddState"/>, <see cref="WeightStateLayout"/>), each
    /// opening with its grinding nonce (<see cref="SumcheckStep.Grinding"/>). v7: the stack coded compact at 105 queries
    /// (<see cref="SumcheckStep.ZeroKnowledgeStackParameters"/>); v6, v5, v4 and the non-zero-knowledge v3 refused.
    /// </summary>
    internal const ushort ZeroKnowledgeVersion = 7;

    private readonly List<(LigeroProverData Data, Goldilocks[] Table)> _publics = [];
    // The tables public oracles name: part Index of public commitment Commitment, at an aligned offset (a weight state's
    // W_l and b_l, AddState).
    private readonly List<(int Commitment, long Offset, Goldilocks[] Table)> _parts = [];
    private readonly List<Goldilocks[]> _tables = [], _limbs = [];
    private readonly List<int> _variables = [];
    private int _known;
    private StackLayout? _layout;
    private Goldilocks[] _stack = [];
    private LigeroProverData? _committed;
    private readonly List<int> _slots = [];
    private readonly List<Goldilocks[]> _knownTables = [];
    private IReadOnlyList<ZeroCheck> _blocks = [];
    private StepMasks? _masks;
    private ZkSumcheckMaskSet? _reductionMasks;
    private int _block;
    private readonly List<ZkLinearClaim> _zkClaims = [];
    private readonly List<GoldilocksExt2> _zkValues = [];
    private SpongeMembership? _membership;
    private IReadOnlyList<Goldilocks[]> _digests = [];
    private PoseidonSpongeLayout? _sponge;
    private Func<Transcript, PoseidonSpongeLayout, Goldilocks[], IReadOnlyList<Goldilocks[]>, PoseidonSpongeProverResult>? _spongeProve;
    private Action<Goldilocks[]>? _forgeStack;

    internal StepProver(ReadOnlySpan<byte> statementDigest)
    {
        Transcript = new Transcript(ZeroKnowledgeProtocol, statementDigest);
        Writer = new ProofWriter(Magic, ZeroKnowledgeVersion);
    }

    /// <summary>The step's one transcript.</summary>
    internal Transcript Transcript { get; }

    /// <summary>Tests: the zero-knowledge claims and their values (complete after Finish), and the committed tables (the stack, then the public ones).</summary>
    internal (IReadOnlyList<ZkLinearClaim> Claims, IReadOnlyList<GoldilocksExt2> Values, Goldilocks[][] Tables) ZeroKnowledgeClaims =>
        (_zkClaims, _zkValues, [_stack, .. _publics.Select(p => p.Table)]);
    /// <summary>The proof being written.</summary>
    internal ProofWriter Writer { get; }

    /// <summary>
    /// A zero-knowledge step's weight state: ONE public commitment whose table holds <paramref name="parts"/> (every
    /// layer's weights, then every bias layer's biases) at <paramref name="layout"/>'s aligned offsets, opened at
    /// <paramref name="slot"/>; absorbed now. Returns one oracle per part: a claim on part j is a claim on the commitment
    /// at bits(offset_j) followed by the part's point.
    /// </summary>
    internal StepOracle[] AddState(LigeroProverData data, WeightStateLayout layout, IReadOnlyList<Goldilocks[]> parts, int slot)
    {
        if (data.Commitment.Variables != layout.Variables) throw new ArgumentException("The commitment does not fit the weight state's layout.", nameof(data));
        var table = new Goldilocks[1L << layout.Variables];
        layout.Table(parts).CopyTo(table, 0);
        int c = AddCommitment(data, table, slot);
        var oracles = new StepOracle[parts.Count];
        for (int j = 0; j < parts.Count; j++)
        {
            _parts.Add((c, layout.Part(j).Offset, parts[j]));
            oracles[j] = new StepOracle(StepOracle.Kinds.Public, _parts.Count - 1);
        }
        return oracles;
    }

    private int AddCommitment(LigeroProverData data, Goldilocks[] table, int slot)
    {
        if (_layout is not null) throw new InvalidOperationException("Commitments are added before Commit.");
        if (!data.Commitment.Parameters.Hiding || slot < 0 || slot >= data.Commitment.EvaluationMasks)
            throw new ArgumentException("A zero-knowledge step opens hiding commitments at one of their slots.", nameof(data));
        _slots.Add(slot);
        data.Commitment.AbsorbInto(Transcript);
        _publics.Add((data, table));
        return _publics.Count - 1;
    }

    /// <summary>A table the verifier knows (power-of-two length; absorbed now): its claims are not opened.</summary>
    internal StepOracle AddKnown(Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(table.Length);
        Transcript.Absorb("step.known", table);
        _knownTables.Add(table);
        return new StepOracle(StepOracle.Kinds.Known, _known++);
    }

    /// <summary>A private table (power-of-two length) of the stacked commitment.</summary>
    internal StepOracle AddPrivate(Goldilocks[] table)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        _variables.Add(Multilinear.VariableCount(table.Length));
        _tables.Add(table);
        return new StepOracle(StepOracle.Kinds.Private, _tables.Count - 1);
    }

    /// <summary>A private table of 2^<paramref name="variables"/> entries the prover writes in place once stacked (the membership sponge's trace).</summary>
    internal StepOracle AddReserved(int variables)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        ArgumentOutOfRangeException.ThrowIfNegative(variables);
        _variables.Add(variables);
        _tables.Add([]);
        return new StepOracle(StepOracle.Kinds.Private, _tables.Count - 1);
    }

    /// <summary>
    /// The zero-knowledge step's batch membership: the rows in <paramref name="membership"/>'s tables hash to
    /// <paramref name="digests"/> (the data set's leaves at the scheduled positions). Set before Commit, which writes the
    /// sponge's trace; Finish proves it. Tests: <paramref name="spongeProve"/> replaces the sponge's prover (a prover that
    /// proves a false trace anyway), <paramref name="forgeStack"/> alters the stack after the trace is written.
    /// </summary>
    internal void SetMembership(SpongeMembership membership, IReadOnlyList<Goldilocks[]> digests,
        Func<Transcript, PoseidonSpongeLayout, Goldilocks[], IReadOnlyList<Goldilocks[]>, PoseidonSpongeProverResult>? spongeProve = null,
        Action<Goldilocks[]>? forgeStack = null)
    {
        if (_layout is not null) throw new InvalidOperationException("Membership is set before the step commits.");
        (_membership, _digests, _spongeProve, _forgeStack) = (membership, digests, spongeProve, forgeStack);
    }

    /// <summary>A limb table of the stacked commitment: every entry is proven in the range table by <see cref="Finish"/>.</summary>
    internal StepOracle AddLimbs(Goldilocks[] limbs)
    {
        if (_layout is not null) throw new InvalidOperationException("Tables are added before Commit.");
        Multilinear.VariableCount(limbs.Length);
        _limbs.Add(limbs);
        return new StepOracle(StepOracle.Kinds.Limbs, _limbs.Count - 1);
    }

    /// <summary>
    /// The zero-knowledge commit: lays out the mask region for <paramref name="blocks"/> (run next, in order, by
    /// <see cref="Prove(ZeroCheck)"/>) and the lookup, fills it with fresh uniform values, stacks and commits every private
    /// table hiding, and commits the joint reduction's Libra mask; absorbs both.
    /// </summary>
    internal void Commit(IReadOnlyList<ZeroCheck> blocks)
    {
        if (_layout is not null) throw new InvalidOperationException("Commit runs once.");
        var tableVariables = _variables.ToList();
        var limbVariables = _limbs.Select(t => Multilinear.VariableCount(t.Length)).ToArray();
        var unmasked = new StackLayout(tableVariables, limbVariables, RangeLimbs.LimbBits);
        var masks = new StepMasks(blocks, _limbs.Count > 0 ? ZeroKnowledgeStep.LookupVariables(unmasked) : 0, _membership?.LibraEntries ?? 0,
            _membership?.InputLookupVariables(unmasked) ?? 0);
        var layout = new StackLayout([.. tableVariables, masks.Variables], limbVariables, RangeLimbs.LimbBits);
        masks.Offset = layout.Table(tableVariables.Count).Offset;
        using (SumcheckTelemetry.Telemetry.Phase("stack"))
        {
            var stack = _stack = GC.AllocateUninitializedArray<Goldilocks>(1 << layout.Variables);
            // Every entry is written once: the tables and limbs at their offsets, the mask region, zeros elsewhere.
            var written = new List<(long Offset, Goldilocks[] Table)>();
            for (int i = 0; i < _tables.Count; i++) written.Add((layout.Table(i).Offset, _tables[i]));
            for (int j = 0; j < _limbs.Count; j++) written.Add((layout.Limbs(j).Offset, _limbs[j]));
            var gaps = Gaps(written.Select(w => (w.Offset, (long)w.Table.Length)).Append((masks.Offset, 1L << masks.Variables)), stack.Length);
            Parallel.Invoke(
                () => Parallel.For(0, written.Count, i => written[i].Table.CopyTo(stack, written[i].Offset)),
                () => Parallel.ForEach(gaps, g => stack.AsSpan((int)g.Offset, (int)g.Length).Clear()),
                () => ZeroKnowledgeStep.FillUniform(stack.AsSpan((int)masks.Offset, 1 << masks.Variables)));
            if (layout.HasLimbs) CountMultiplicities(layout);
        }
        if (_membership is { } membership)
        {
            _sponge = membership.Layout(layout, masks);
            Goldilocks[][] hashed;
            using (SumcheckTelemetry.Telemetry.Phase("sponge trace"))
                hashed = PoseidonSpongeZeroCheck.FillTrace(_sponge, _stack);
            _forgeStack?.Invoke(_stack);
            if (_spongeProve is null && !hashed.Zip(_digests).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)))
                throw new ArgumentException("The batch rows and salts do not hash to the membership digests.");
        }
        // Only the rows the tables reach are committed: the zero tail is public by the layout, so it hides nothing.
        _committed = LigeroPcs.CommitZeroTail(SumcheckStep.ZeroKnowledgeStackParameters, _stack.AsSpan(0, (int)Math.Max(layout.Used, 1)), layout.Variables, 1);
        _committed.Commitment.WriteTo(Writer);
        _committed.Commitment.AbsorbInto(Transcript);
        _reductionMasks = ZkSumcheckMaskSet.Commit(SumcheckStep.ReductionMaskParameters,
            [ZeroKnowledgeStep.ReductionShape(layout.Variables, _publics.Select(p => p.Data.Commitment.Variables))]);
        _reductionMasks.Commitment.WriteTo(Writer);
        _reductionMasks.Commitment.AbsorbInto(Transcript);
        (_layout, _masks, _blocks) = (layout, masks, blocks);
    }

    /// <summary>The stretches of [0, <paramref name="length"/>) outside every (offset, length) region (regions do not overlap).</summary>
    private static List<(long Offset, long Length)> Gaps(IEnumerable<(long Offset, long Length)> regions, long length)
    {
        var gaps = new List<(long Offset, long Length)>();
        long at = 0;
        foreach (var (offset, size) in regions.OrderBy(r => r.Offset))
        {
            if (offset > at) gaps.Add((at, offset - at));
            at = Math.Max(at, offset + size);
        }
        if (at < length) gaps.Add((at, length - at));
        return gaps;
    }

    private void CountMultiplicities(StackLayout layout)
    {
        // Limbs outside the table (a cheating prover's, in tests) are left uncounted: the lookup then fails.
        // Each chunk counts into its own histogram; the sums are the same whatever the split.
        int tableSize = 1 << RangeLimbs.LimbBits, regionSize = 1 << layout.Region.Variables, offset = layout.Region.Offset;
        int chunks = Math.Max(1, Math.Min(Environment.ProcessorCount, regionSize >> 16));
        var partial = new uint[chunks][];
        var stack = _stack;
        Parallel.For(0, chunks, c =>
        {
            var counts = partial[c] = new uint[tableSize];
            int from = (int)((long)regionSize * c / chunks), to = (int)((long)regionSize * (c + 1) / chunks);
            foreach (var limb in stack.AsSpan(offset + from, to - from))
                if (limb.Value < (ulong)tableSize) counts[limb.Value]++;
        });
        for (int i = 0; i < tableSize; i++)
        {
            ulong total = 0;
            for (int c = 0; c < chunks; c++) total += partial[c][i];
            _stack[layout.Multiplicities.Offset + i] = Goldilocks.FromUInt64(total);
        }
    }

    /// <summary>Where an oracle's table lives: (offset, reduction table: 0 the stack, 1 + i public i).</summary>
    private (long Offset, int Table) Where(StepOracle oracle, StackLayout layout) => oracle.Kind switch
    {
        StepOracle.Kinds.Public => (_parts[oracle.Index].Offset, 1 + _parts[oracle.Index].Commitment),
        StepOracle.Kinds.Private => (layout.Table(oracle.Index).Offset, 0),
        StepOracle.Kinds.Limbs => (layout.Limbs(oracle.Index).Offset, 0),
        _ => throw new ArgumentException("A known table has no commitment.", nameof(oracle)),
    };

    private Goldilocks[] TableOf(StepOracle oracle) => oracle.Kind switch
    {
        StepOracle.Kinds.Public => _parts[oracle.Index].Table,
        StepOracle.Kinds.Private => _tables[oracle.Index],
        StepOracle.Kinds.Limbs => _limbs[oracle.Index],
        _ => _knownTables[oracle.Index],
    };

    /// <summary>Runs the next block's zero-check (the blocks given to <see cref="Commit(IReadOnlyList{ZeroCheck})"/>, in order); its finals become linear claims.</summary>
    internal void Prove(ZeroCheck block)
    {
        var layout = _layout ?? throw new InvalidOperationException("Blocks follow Commit.");
        var masks = _masks!;
        if (_block >= _blocks.Count || !ReferenceEquals(_blocks[_block], block)) throw new InvalidOperationException("Blocks run in the committed order.");
        int b = _block++;
        var (p, gammas) = ZeroKnowledgeStep.Begin(Transcript, block);
        int n = block.Variables, k = block.Shape.Factors;
        var factors = new ZkSumcheckFactor[k];
        var ext = new GoldilocksExt2[k][];
        if (block.Product is { } product)
        {
            var s = product.Shape;
            int kv = block.InnerVariables;
            var (pRow, pColumn) = (p[..s.RowVariables], p[s.RowVariables..]);
            ext[0] = ZkSumcheckFactor.Restrict(TableOf(product.A), s.TransposeA ? kv : 0, pRow);
            ext[1] = ZkSumcheckFactor.Restrict(TableOf(product.W), s.TransposeW ? kv : 0, pColumn);
            ext[0] = ZeroCheck.Lift(ext[0], kv, n);
            ext[1] = ZeroCheck.Lift(ext[1], kv, n);
        }
        ext[block.EqIndex] = ZeroCheck.Lift(Multilinear.EqTable(p), block.OutputVariables, n);
        // An output already over the n variables goes in as its base table (one conversion, no lift copy).
        var plain = new Goldilocks[k][];
        for (int i = 0; i < block.Outputs.Length; i++)
        {
            var f = block.Outputs[i];
            var table = f.Public ?? TableOf(f.Oracle);
            if (table.Length == 1 << n)
            {
                plain[block.EqIndex + 1 + i] = table;
                continue;
            }
            var e = new GoldilocksExt2[table.Length];
            for (int x = 0; x < table.Length; x++) e[x] = table[x];
            ext[block.EqIndex + 1 + i] = ZeroCheck.Lift(e, block.OutputVariables, n);
        }
        int q = 0;
        for (int j = 0; j < k; j++)
            if (plain[j] is { } table)
                factors[j] = block.IsMasked(j) ? ZkSumcheckFactor.Masked(table, ZkLinearTerm.ReadPairs(_stack, masks.Scalar(b, q++), 1)) : new ZkSumcheckFactor(table);
            else
                factors[j] = ZkSumcheckFactor.Over(ext[j], block.IsMasked(j) ? ZkLinearTerm.ReadPairs(_stack, masks.Scalar(b, q++), 1) : null); // fresh tables: held, not copied
        var libra = ZkLinearTerm.ReadPairs(_stack, masks.Libra(b), block.Shape.MaskCoefficients);
        var result = ZkSumcheck.Prove(Transcript, block.Shape, libra, factors, block.Terms(gammas));
        result.Proof.WriteTo(Writer);
        var r = result.Reduction.Point.ToArray();
        var finals = result.Reduction.Evaluations;
        for (int m = 0; m < block.MaskedFactors.Count; m++)
        {
            int j = block.MaskedFactors[m];
            var (point, coefficient) = block.Final(j, r, p);
            var (offset, table) = Where(block.Oracle(j), layout);
            _zkClaims.Add(ZeroKnowledgeStep.MaskedClaim(offset, table, coefficient, point, masks.Scalar(b, m), r[^1]));
            _zkValues.Add(finals[j]);
        }
        _zkClaims.Add(new ZkLinearClaim(ZkLinearTerm.MaskValue(masks.Libra(b), block.Shape, r)));
        _zkValues.Add(result.Reduction.MaskValue);
    }

    /// <summary>The membership sponge, the zero-knowledge lookups (shared, then the input's), the joint reduction over every commitment and its mask's opening; returns the proof.</summary>
    internal byte[] Finish()
    {
        var layout = _layout ?? throw new InvalidOperationException("Finish follows Commit.");
        if (_block != _blocks.Count) throw new InvalidOperationException("Every committed block runs before Finish.");
        var masks = _masks!;
        if (_sponge is not null)
        {
            PoseidonSpongeProverResult hashed;
            using (SumcheckTelemetry.Telemetry.Phase("sponge"))
                hashed = _spongeProve is null ? PoseidonSpongeZeroCheck.Prove(Transcript, _sponge, _stack, _digests) : _spongeProve(Transcript, _sponge, _stack, _digests);
            hashed.Proof.WriteTo(Writer);
            _zkClaims.AddRange(hashed.Claims);
            _zkValues.AddRange(hashed.Values);
        }
        if (layout.HasLimbs)
            using (SumcheckTelemetry.Telemetry.Phase("lookup"))
                ProveLookup("zkstep.alpha", layout.Region, layout.Multiplicities, masks.Gkr, masks.Leaf(0), masks.Leaf(1));
        if (_membership is { } membership)
            using (SumcheckTelemetry.Telemetry.Phase("input lookup"))
                ProveLookup("zkstep.alpha.input", layout.Table(membership.XOffset.Index), layout.Table(membership.Counts.Index), masks.InputGkr, masks.Leaf(2), masks.Leaf(3));
        var data = new List<LigeroProverData> { _committed! };
        data.AddRange(_publics.Select(p => p.Data));
        int[] slots = [0, .. _slots];
        ZkLinearReductionProof reduction;
        ZkSumcheckReduction reduced;
        using (SumcheckTelemetry.Telemetry.Phase("reduce"))
            reduction = ZkLinearReduction.Prove(Transcript, data, slots, slots, _reductionMasks!, 0, _zkClaims, [.. _zkValues], out reduced);
        reduction.WriteTo(Writer);
        var maskValue = new GoldilocksExt2[1];
        _reductionMasks!.Open(Transcript, [reduced.Point.ToArray()], maskValue).WriteTo(Writer);
        return Writer.ToArray();
    }

    /// <summary>
    /// A zero-knowledge range lookup: every entry of the stacked <paramref name="witness"/> in t(x) = x on
    /// 2^multiplicities.Variables entries, by the stored-mask GKR over its leaves (<see cref="ZeroKnowledgeStep.Leaves"/>),
    /// masks at <paramref name="gkr"/> and the two leaf scalars; its claims join the joint reduction.
    /// </summary>
    private void ProveLookup(string label, (int Offset, int Variables) witness, (int Offset, int Variables) multiplicities, long gkr, long multiplicityScalar, long witnessScalar)
    {
        int m = ZeroKnowledgeStep.LookupVariables(witness.Variables, multiplicities.Variables) - 1;
        GoldilocksExt2 alpha = Transcript.ChallengeExt(label);
        var leaves = ZeroKnowledgeStep.Leaves(alpha, m, _stack.AsSpan(witness.Offset, 1 << witness.Variables), _stack.AsSpan(multiplicities.Offset, 1 << multiplicities.Variables));
        // The leaves are this lookup's own: the factors hold them (no copies).
        ZkSumcheckFactor[] factors = [ZkSumcheckFactor.Over(leaves[0]), ZkSumcheckFactor.Over(leaves[1], ZkLinearTerm.ReadPairs(_stack, multiplicityScalar, 1)),
            ZkSumcheckFactor.Over(leaves[2], ZkLinearTerm.ReadPairs(_stack, witnessScalar, 1)), ZkSumcheckFactor.Over(leaves[3])];
        var result = ZkStoredMaskGkr.Prove(Transcript, factors, _stack, gkr);
        foreach (var step in result.Steps) step.WriteTo(Writer);
        _zkClaims.AddRange(result.Claims);
        _zkValues.AddRange(result.Values);
        var (claims, values) = ZeroKnowledgeStep.LeafClaims(witness, multiplicities, multiplicityScalar, witnessScalar, alpha, result.Reduction.Point, result.Reduction.LeafValues);
        _zkClaims.AddRange(claims);
        _zkValues.AddRange(values);
        // Nothing holds the leaves past the GKR: back to the pool.
        foreach (var leaf in leaves)
            if (leaf.Length >= ZeroKnowledgeStep.PooledLeaves) System.Buffers.ArrayPool<GoldilocksExt2>.Shared.Return(leaf);
    }
}
