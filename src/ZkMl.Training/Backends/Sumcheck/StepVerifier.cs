using ZkMl.Field;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>The verifier's side of <see cref="StepProver"/>: the same registrations, zero-checks, lookups and joint reduction.</summary>
internal sealed class StepVerifier
{
    private readonly List<LigeroCommitment> _publics = [];
    // Per public commitment (a weight state): the variables and committed entries of its layout, which Commit pins.
    private readonly List<(int Variables, long Entries)> _expected = [];
    // The parts public oracles name: (commitment, aligned offset), as the prover's.
    private readonly List<(int Commitment, long Offset)> _parts = [];
    private readonly List<int> _tables = [], _limbs = [];
    private readonly List<Goldilocks[]> _known = [];
    private StackLayout? _layout;
    private LigeroCommitment? _committed;
    private readonly List<int> _slots = [];
    private IReadOnlyList<ZeroCheck> _blocks = [];
    private StepMasks? _masks;
    private LigeroCommitment? _reductionMasks;
    private int _block;
    private readonly List<ZkLinearClaim> _zkClaims = [];
    private readonly List<GoldilocksExt2> _zkValues = [];
    private SpongeMembership? _membership;
    private IReadOnlyList<Goldilocks[]> _digests = [];
    private PoseidonSpongeLayout? _sponge;

    internal StepVerifier(ReadOnlySpan<byte> statementDigest) => Transcript = new Transcript(StepProver.ZeroKnowledgeProtocol, statementDigest);

    /// <summary>The step's one transcript.</summary>
    internal Transcript Transcript { get; }

    /// <summary>
    /// A zero-knowledge step's weight state (<see cref="StepProver.AddState"/>): one commitment, one oracle per part of
    /// <paramref name="layout"/>. The layout is the verifier's (a function of the network shape), and Commit pins the
    /// commitment's shape to it (its variables, and only the first <see cref="WeightStateLayout.Used"/> entries committed).
    /// </summary>
    internal StepOracle[] AddState(LigeroCommitment commitment, WeightStateLayout layout, int slot)
    {
        int c = AddCommitment(commitment, layout.Variables, layout.Used, slot);
        var oracles = new StepOracle[layout.Count];
        for (int j = 0; j < oracles.Length; j++)
        {
            _parts.Add((c, layout.Part(j).Offset));
            oracles[j] = new StepOracle(StepOracle.Kinds.Public, _parts.Count - 1);
        }
        return oracles;
    }

    private int AddCommitment(LigeroCommitment commitment, int variables, long entries, int slot)
    {
        if (_layout is not null) throw new InvalidOperationException("Commitments are added before Commit.");
        _slots.Add(slot);
        commitment.AbsorbInto(Transcript);
        _publics.Add(commitment);
        _expected.Add((variables, entries));
        return _publics.Count - 1;
    }

    /// <summary>A table the verifier knows (power-of-two length; absorbed now): its factors are evaluated directly, never masked.</summary>
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

    /// <summary>The zero-knowledge step's batch membership: the rows in <paramref name="membership"/>'s tables hash to <paramref name="digests"/> (from the membership proof).</summary>
    internal void SetMembership(SpongeMembership membership, IReadOnlyList<Goldilocks[]> digests)
    {
        if (_layout is not null) throw new InvalidOperationException("Membership is set before the step commits.");
        (_membership, _digests) = (membership, digests);
    }

    /// <summary>A limb table of 2^<paramref name="variables"/> entries.</summary>
    internal StepOracle AddLimbs(int variables)
    {
        _limbs.Add(variables);
        return new StepOracle(StepOracle.Kinds.Limbs, _limbs.Count - 1);
    }

    /// <summary>The whole step after its registrations: Commit, every block in order, Finish, and nothing after; false when a check fails.</summary>
    /// <exception cref="ProofFormatException">The proof does not decode.</exception>
    internal bool VerifyAll(ref ProofReader reader, IReadOnlyList<ZeroCheck> blocks)
    {
        if (!Commit(ref reader, blocks)) return false;
        foreach (var block in blocks)
            if (!Verify(ref reader, block)) return false;
        if (!Finish(ref reader)) return false;
        reader.EnsureEnd();
        return true;
    }

    /// <summary>The zero-knowledge commit: the layout for <paramref name="blocks"/>, the stacked commitment and the reduction's mask commitment; false on wrong parameters or sizes.</summary>
    internal bool Commit(ref ProofReader reader, IReadOnlyList<ZeroCheck> blocks)
    {
        if (_layout is not null) throw new InvalidOperationException("Commit runs once.");
        var unmasked = new StackLayout(_tables, _limbs, RangeLimbs.LimbBits);
        var masks = new StepMasks(blocks, _limbs.Count > 0 ? ZeroKnowledgeStep.LookupVariables(unmasked) : 0, _membership?.LibraEntries ?? 0,
            _membership?.InputLookupVariables(unmasked) ?? 0);
        var layout = new StackLayout([.. _tables, masks.Variables], _limbs, RangeLimbs.LimbBits);
        masks.Offset = layout.Table(_tables.Count).Offset;
        // The sponge's layout from the verifier's own stack layout: the prover chooses no offset.
        _sponge = _membership?.Layout(layout, masks);
        // Every commitment's whole shape is pinned (parameters, row split, data rows, slots), so its actual rate, hence
        // LigeroCommitment.SoundnessBits, is the one SumcheckSoundness counts: LigeroShapeException (a ProofFormatException) otherwise.
        var committed = LigeroCommitment.ReadPinned(ref reader, SumcheckStep.ZeroKnowledgeStackParameters, layout.Variables, Math.Max(layout.Used, 1), 1);
        for (int i = 0; i < _publics.Count; i++)
        {
            // A weight state's shape is its layout's: the canonical split of Used entries, those rows only (a state with
            // more rows, or a different split, would be counted at a rate the verifier did not choose).
            var (variables, entries) = _expected[i];
            if (_publics[i].Variables != variables) return false;
            var expected = LigeroCommitment.Canonical(SumcheckStep.ChainParameters, variables, entries, SumcheckStep.ChainSlots);
            if (_publics[i].Parameters != SumcheckStep.ChainParameters || _publics[i].EvaluationMasks != SumcheckStep.ChainSlots || _slots[i] < 0 || _slots[i] >= SumcheckStep.ChainSlots
                || _publics[i].RowVariables != expected.RowVariables || _publics[i].DataRows != expected.DataRows) return false;
        }
        committed.AbsorbInto(Transcript);
        var reductionMasks = LigeroCommitment.ReadFrom(ref reader);
        // Pinned like every other commitment: a mask set with fewer queries would let its opening, hence the reduction, lie.
        if (reductionMasks.Parameters != SumcheckStep.ReductionMaskParameters) return false;
        reductionMasks.AbsorbInto(Transcript);
        (_layout, _committed, _masks, _blocks, _reductionMasks) = (layout, committed, masks, blocks, reductionMasks);
        return true;
    }

    /// <summary>Checks the next block's zero-check and records its finals as linear claims; false when a check fails.</summary>
    internal bool Verify(ref ProofReader reader, ZeroCheck block)
    {
        var layout = _layout ?? throw new InvalidOperationException("Blocks follow Commit.");
        var masks = _masks!;
        if (_block >= _blocks.Count || !ReferenceEquals(_blocks[_block], block)) throw new InvalidOperationException("Blocks run in the committed order.");
        int b = _block++;
        var (p, gammas) = ZeroKnowledgeStep.Begin(Transcript, block);
        var proof = ZkSumcheckProof.ReadFrom(ref reader);
        if (!ZkSumcheck.Verify(Transcript, block.Shape, block.Terms(gammas), block.Claim(gammas), proof, out var result)) return false;
        var r = result.Point.ToArray();
        var finals = result.Evaluations;
        if (finals[block.EqIndex] != block.EqFinal(r, p)) return false;
        for (int j = 0; j < block.Shape.Factors; j++)
        {
            if (j == block.EqIndex || block.IsMasked(j)) continue;
            var (point, coefficient) = block.Final(j, r, p);
            var table = block.Product is not null && j < 2 ? _known[block.Oracle(j).Index]
                : block.Outputs[j - block.EqIndex - 1].Public ?? _known[block.Oracle(j).Index];
            if (finals[j] != coefficient * Multilinear.Evaluate(table, point)) return false;
        }
        for (int m = 0; m < block.MaskedFactors.Count; m++)
        {
            int j = block.MaskedFactors[m];
            var (point, coefficient) = block.Final(j, r, p);
            var oracle = block.Oracle(j);
            var (offset, table) = oracle.Kind switch
            {
                StepOracle.Kinds.Public => (_parts[oracle.Index].Offset, 1 + _parts[oracle.Index].Commitment),
                StepOracle.Kinds.Private => (layout.Table(oracle.Index).Offset, 0),
                _ => (layout.Limbs(oracle.Index).Offset, 0),
            };
            _zkClaims.Add(ZeroKnowledgeStep.MaskedClaim(offset, table, coefficient, point, masks.Scalar(b, m), r[^1]));
            _zkValues.Add(finals[j]);
        }
        _zkClaims.Add(new ZkLinearClaim(ZkLinearTerm.MaskValue(masks.Libra(b), block.Shape, r)));
        _zkValues.Add(result.MaskValue);
        return true;
    }

    /// <summary>The membership sponge, the lookups and the joint reduction with its mask's opening; false when a check fails.</summary>
    internal bool Finish(ref ProofReader reader)
    {
        var layout = _layout ?? throw new InvalidOperationException("Finish follows Commit.");
        if (_block != _blocks.Count) throw new InvalidOperationException("Every committed block runs before Finish.");
        var masks = _masks!;
        if (_sponge is not null)
        {
            if (!PoseidonSpongeZeroCheck.Verify(Transcript, _sponge, _digests, ZkSumcheckProof.ReadFrom(ref reader), out var spongeClaims, out var spongeValues)) return false;
            _zkClaims.AddRange(spongeClaims);
            _zkValues.AddRange(spongeValues);
        }
        if (layout.HasLimbs && !VerifyLookup(ref reader, "zkstep.alpha", layout.Region, layout.Multiplicities, masks.Gkr, masks.Leaf(0), masks.Leaf(1))) return false;
        if (_membership is { } membership
            && !VerifyLookup(ref reader, "zkstep.alpha.input", layout.Table(membership.XOffset.Index), layout.Table(membership.Counts.Index), masks.InputGkr, masks.Leaf(2), masks.Leaf(3)))
            return false;
        var commitments = new List<LigeroCommitment> { _committed! };
        commitments.AddRange(_publics);
        int[] slots = [0, .. _slots];
        var shape = ZeroKnowledgeStep.ReductionShape(layout.Variables, _publics.Select(p => p.Variables));
        var proof = ZkLinearReductionProof.ReadFrom(ref reader);
        if (!ZkLinearReduction.Verify(Transcript, commitments, slots, slots, shape, _zkClaims, [.. _zkValues], proof, out var reduced)) return false;
        return ZkSumcheckMaskSet.Verify(Transcript, _reductionMasks!, [shape], [reduced.Point.ToArray()], [reduced.MaskValue], LigeroOpening.ReadFrom(ref reader));
    }

    /// <summary>The verifier's side of <see cref="StepProver"/>'s range lookup of <paramref name="witness"/> in t(x) = x on 2^multiplicities.Variables entries.</summary>
    private bool VerifyLookup(ref ProofReader reader, string label, (int Offset, int Variables) witness, (int Offset, int Variables) multiplicities, long gkr,
        long multiplicityScalar, long witnessScalar)
    {
        int n = ZeroKnowledgeStep.LookupVariables(witness.Variables, multiplicities.Variables);
        GoldilocksExt2 alpha = Transcript.ChallengeExt(label);
        var steps = new ZkSumcheckProof[n];
        for (int i = 0; i < n; i++) steps[i] = ZkSumcheckProof.ReadFrom(ref reader);
        if (!ZkStoredMaskGkr.Verify(Transcript, n, 2, steps, gkr, 0, out var result, out var gkrClaims, out var gkrValues)) return false;
        if (!ZeroKnowledgeStep.PublicLeavesHold(witness.Variables, multiplicities.Variables, alpha, result.Point, result.LeafValues)) return false;
        _zkClaims.AddRange(gkrClaims);
        _zkValues.AddRange(gkrValues);
        var (claims, values) = ZeroKnowledgeStep.LeafClaims(witness, multiplicities, multiplicityScalar, witnessScalar, alpha, result.Point, result.LeafValues);
        _zkClaims.AddRange(claims);
        _zkValues.AddRange(values);
        return true;
    }
}
