using ZkMl.Field;
using ZkMl.Models;
using ZkMl.Sumcheck;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The arithmetic of one SGD step of an L-layer network (docs/fixed-point.md) proven in zero knowledge (format "ZKST" v7,
/// <see cref="StepProver"/>): given the salted Poseidon digests of the batch rows and ONE hiding chain commitment to each
/// weight state (every W_l and b_l, <see cref="CommitState"/>) before and after, a proof shows (layers from 0, H_{-1} = X)
/// Z_l = Rescale_f(H_{l-1} W_l^T), S_l = [Z_l &gt; 0], H_l = S_l Z_l (l &lt; L - 1), E = Z_{L-1} - T, and with D_{L-1} = E:
/// Q_l = Rescale_f(D_l W_l), D_{l-1} = S_{l-1} Q_l (l &gt;= 1), Delta_l = Rescale_{f+s}(eta D_l^T H_{l-1}),
/// W_l' = W_l - Delta_l, every quotient and W_l' in B bits.
/// A layer with a bias b_l proves Z0_l = Rescale_f(H_{l-1} W_l^T) (in B + 1 bits) and Z_l = Z0_l + b_l on the real rows
/// (<see cref="ZeroCheck.BiasAddition"/>, Z_l in B bits), and b_l' = b_l - DeltaB_l with
/// DeltaB_l = Rescale_{f+s}(eta D_l^T ones) (ones = 2^f on the real rows, a table the verifier builds) and b_l' in B bits.
/// One transcript, seeded with the caller's statement digest, absorbs the digests, the two state commitments and the one
/// hiding stacked commitment to every private table (X, T, intermediates, remainders, limb tables, the range table's
/// multiplicities, the rows' salts, the offset inputs, a Poseidon sponge trace and the masks) before any challenge; the
/// blocks are masked zero-checks (<see cref="ZeroCheck"/>); one shared LogUp proves every limb in range, the input lookup
/// X+'s range, the sponge that the rows hash to the digests (<see cref="SpongeMembership"/>); one joint reduction opens
/// the stack and each state once (docs/sumcheck-step.md). That the digests are the data set's leaves at the scheduled
/// rows is <see cref="BatchMembership"/>'s.
/// The backward product range-checks D_{l-1} = S_{l-1} o Q_l, not Q_l (the reference bounds
/// Rescale_f(g) only where z &gt; 0); activations and errors are proven in <see cref="WrapBound.ActivationBits"/> bits.
/// </summary>
internal static class SumcheckStep
{
    /// <summary>
    /// The zero-knowledge step's chain commitments (one per weight state: every W_l and b_l at the aligned offsets of
    /// <see cref="WeightStateLayout"/>, "ZKSP" v5): hiding, rate 1/16, 96 queries with <see cref="Grinding"/> bits of
    /// work, two opening and evaluation slots (<see cref="ChainSlots"/>): slot 0 is opened by the step that consumes the
    /// state (its "before"), slot 1 by the step that produced it (its "after"); unique decoding, as a state
    /// opened by two proofs needs for binding (docs/sumcheck-step.md). Counted at each commitment's actual rate (<see cref="LigeroCommitment.SoundnessBits"/>: the
    /// hiding rows fill RL + 2Q of a power-of-two message). Two chain openings per step whatever the depth (v4: 2L + 2 per
    /// bias layer). Q = 94 is the modelled byte optimum with two openings at 16 grinding bits (docs/sumcheck-step.md,
    /// "Grinding") but leaves the deep narrow 4-3x8-3/2 at 99.8 bits; Q = 96 (with the mask set's 96) keeps every shape
    /// tried >= 100.58 bits composed (that one binds) for about 2% more chain query bytes.
    /// </summary>
    internal static LigeroParameters ChainParameters { get; } = new(4, 96, true, 2, GrindingBits: Grinding);

    /// <summary>
    /// Grinding bits of every zero-knowledge step commitment's opening (<see cref="LigeroParameters.GrindingBits"/>):
    /// 2^16 BLAKE3 hashes per opening, about 6 ms of CPU each on this machine; each query term gains 16 bits.
    /// </summary>
    internal const int Grinding = 16;

    /// <summary>Evaluation slots of a chain commitment: one per step that opens it.</summary>
    internal const int ChainSlots = 2;

    /// <summary>
    /// The zero-knowledge step's stacked commitment (private tables and the mask region): hiding, rate 1/8, one slot,
    /// committed without its zero tail, compact codewords (<see cref="LigeroParameters.Compact"/>: RL x 8 columns, not
    /// the power of two above (RL + 105) x 8, half the encoding and hashing); 105 queries and <see cref="Grinding"/> bits:
    /// at 784-128-10/64 (2^13-entry rows, rho_s = 8,297 / 2^16) 86.9 + 16 = 102.9 bits, and the smallest Q keeping every
    /// preset's composed bound >= 100.5 (4-3x8-3/2 100.85; Q = 104 leaves it at 100.28 and 4-3-3/2 at 100.48;
    /// docs/sumcheck-step.md, "The stack coded compact").
    /// </summary>
    internal static LigeroParameters ZeroKnowledgeStackParameters { get; } = new(3, 105, true, Compact: true, GrindingBits: Grinding);

    /// <summary>
    /// The joint reduction's Libra mask set (one column of about 2n + 3 coefficients, only those rows committed): hiding,
    /// rate 1/16, one slot, 96 queries and <see cref="Grinding"/> bits (112 without; 96 is the byte optimum with two chain openings); its rows are 1 + Q long, so rate
    /// 1/16 costs nothing in encoding and takes the query error from 0.83 to 0.92 bits per query.
    /// </summary>
    internal static LigeroParameters ReductionMaskParameters { get; } = new(4, 96, true, GrindingBits: Grinding);

    /// <summary>
    /// The hiding chain commitment of one weight state: every layer's padded weights (<paramref name="weights"/>, one per
    /// layer) and every bias layer's padded biases (<paramref name="biases"/>, <see cref="StepTables.BiasLayersOf"/> order)
    /// at <see cref="WeightStateLayout"/>'s offsets, only the used entries committed, its randomness from
    /// <paramref name="seed"/> (16..64 secret bytes).
    /// </summary>
    internal static LigeroProverData CommitState(QuantizedNetworkConfig config, IReadOnlyList<long[]> weights, IReadOnlyList<long[]> biases, ReadOnlySpan<byte> seed)
    {
        var layout = WeightStateLayout.For(config);
        var table = layout.Table([.. weights.Select(w => RescaledProduct.ToField(w)), .. biases.Select(b => RescaledProduct.ToField(b))]);
        return LigeroPcs.CommitSeeded(ChainParameters, table, layout.Variables, ChainSlots, seed);
    }

    /// <summary>
    /// Variables of the stacked private tables in registration order (layers from 0): Z_0, S_0, H_0, ..., Z_{L-1}, E, then
    /// Q_l, D_{l-1} for l = L-1..1, Delta_{L-1}..Delta_0, then the remainders R_0..R_{L-1}, RQ_{L-1}..RQ_1,
    /// RDelta_{L-1}..RDelta_0; and of the limb tables, per block: every product's (in <see cref="StepTables.ShapesFor(QuantizedNetworkConfig)"/>
    /// order), every U_l's, every W_l''s. For two layers: Z1, S, H, Z2, E, Q, D, Delta2, Delta1, R1, R2, RQ, RDelta2, RDelta1.
    /// Then, per layer with a bias (in order): Z0_l, DeltaB_l, RDeltaB_l; and the limb tables of every Z_l = Z0_l + b_l
    /// (<see cref="BiasAddition"/>) and of every b_l'. A network without biases has exactly the tables it had before biases.
    /// </summary>
    internal static (int[] Tables, int[][] Limbs) PrivateVariables(QuantizedNetworkConfig config)
    {
        var sh = StepTables.ShapesFor(config);
        int layers = config.Network.Layers.Count, bits = config.ValueBits;
        int Out(int l) => sh[StepTables.Forward(l)].OutputVariables;
        var tables = new List<int>();
        for (int l = 0; l < layers - 1; l++) tables.AddRange([Out(l), Out(l), Out(l)]);
        tables.AddRange([Out(layers - 1), Out(layers - 1)]);
        for (int l = layers - 1; l >= 1; l--) tables.AddRange([Out(l - 1), Out(l - 1)]);
        for (int l = layers - 1; l >= 0; l--) tables.Add(sh[StepTables.Update(l, layers)].OutputVariables);
        for (int l = 0; l < layers; l++) tables.Add(Out(l));
        for (int l = layers - 1; l >= 1; l--) tables.Add(Out(l - 1));
        for (int l = layers - 1; l >= 0; l--) tables.Add(sh[StepTables.Update(l, layers)].OutputVariables);
        var biasLayers = StepTables.BiasLayersOf(config);
        foreach (int l in biasLayers) tables.AddRange([Out(l), BiasVariables(sh, l), BiasVariables(sh, l)]);
        var limbs = new List<int[]>(sh.Select(s => Enumerable.Repeat(s.OutputVariables, RescaledProduct.LimbCount(s)).ToArray()));
        for (int l = 0; l < layers - 1; l++) limbs.Add(Enumerable.Repeat(Out(l), RangeLimbs.Count(bits)).ToArray());
        for (int l = 0; l < layers; l++) limbs.Add(Enumerable.Repeat(WeightVariables(sh, l), RangeLimbs.Count(bits)).ToArray());
        foreach (int l in biasLayers) limbs.Add(Enumerable.Repeat(Out(l), RangeLimbs.Count(WrapBound.ActivationBits(config))).ToArray());
        foreach (int l in biasLayers) limbs.Add(Enumerable.Repeat(BiasVariables(sh, l), RangeLimbs.Count(bits)).ToArray());
        return ([.. tables], [.. limbs]);
    }

    /// <summary>Variables of layer l's padded weight table.</summary>
    internal static int WeightVariables(RescaledProductShape[] shapes, int l) =>
        shapes[StepTables.Forward(l)].ColumnVariables + shapes[StepTables.Forward(l)].InnerVariables;

    /// <summary>Variables of layer l's padded bias vector (its width, padded).</summary>
    internal static int BiasVariables(RescaledProductShape[] shapes, int l) => shapes[StepTables.Forward(l)].ColumnVariables;

    /// <summary>The oracles of one step, by role, in the order they are registered (layers from 0).</summary>
    private sealed record Oracles(StepOracle X, StepOracle T, StepOracle[] W, StepOracle[] WAfter, StepOracle[] Z, StepOracle[] S, StepOracle[] H,
        StepOracle E, StepOracle[] Q, StepOracle[] D, StepOracle[] Delta, StepOracle[] R, StepOracle[] RQ, StepOracle[] RDelta)
    {
        /// <summary>Per bias layer k (<see cref="StepTables.BiasLayersOf"/>): Z0, the decrement and its remainder (registered after the others).</summary>
        internal (StepOracle Z0, StepOracle DeltaB, StepOracle RDeltaB)[] Bias { get; private init; } = [];

        /// <summary>Layer l's input: X or H_{l-1}.</summary>
        internal StepOracle In(int l) => l == 0 ? X : H[l - 1];

        /// <summary>Layer l's error: E or D_l.</summary>
        internal StepOracle Err(int l) => l == Z.Length - 1 ? E : D[l];

        internal static Oracles Register(int layers, int biasLayers, StepOracle x, StepOracle t, StepOracle[] w, StepOracle[] wAfter, Func<StepOracle> addPrivate)
        {
            var (z, s, h, q, d, delta) = (new StepOracle[layers], new StepOracle[layers - 1], new StepOracle[layers - 1], new StepOracle[layers],
                new StepOracle[layers], new StepOracle[layers]);
            var (r, rq, rDelta) = (new StepOracle[layers], new StepOracle[layers], new StepOracle[layers]);
            for (int l = 0; l < layers - 1; l++) (z[l], s[l], h[l]) = (addPrivate(), addPrivate(), addPrivate());
            z[^1] = addPrivate();
            var e = addPrivate();
            for (int l = layers - 1; l >= 1; l--) (q[l], d[l - 1]) = (addPrivate(), addPrivate());
            for (int l = layers - 1; l >= 0; l--) delta[l] = addPrivate();
            for (int l = 0; l < layers; l++) r[l] = addPrivate();
            for (int l = layers - 1; l >= 1; l--) rq[l] = addPrivate();
            for (int l = layers - 1; l >= 0; l--) rDelta[l] = addPrivate();
            var bias = new (StepOracle, StepOracle, StepOracle)[biasLayers];
            for (int k = 0; k < biasLayers; k++) bias[k] = (addPrivate(), addPrivate(), addPrivate());
            return new Oracles(x, t, w, wAfter, z, s, h, e, q, d, delta, r, rq, rDelta) { Bias = bias };
        }
    }

    /// <summary>
    /// Proves the step in zero knowledge ("ZKST" v7) for the weight states committed before (<paramref name="before"/>,
    /// opened in slot 0) and after (<paramref name="after"/>, slot 1), each ONE chain commitment
    /// (<see cref="CommitState"/>). Tests: <paramref name="inspect"/> sees the prover after Finish, <paramref name="forgeLimbs"/>
    /// alters the limb tables, <paramref name="spongeProve"/> / <paramref name="forgeStack"/> as <see cref="StepProver.SetMembership"/>.
    /// </summary>
    internal static byte[] ProveZeroKnowledge(ReadOnlySpan<byte> statementDigest, QuantizedNetworkConfig config, StepTables tables,
        LigeroProverData before, LigeroProverData after, IReadOnlyList<Goldilocks[]> salts, IReadOnlyList<Goldilocks[]>? digests = null,
        Action<StepProver>? inspect = null, Action<IReadOnlyList<Goldilocks[][]>>? forgeLimbs = null,
        Func<Transcript, PoseidonSpongeLayout, Goldilocks[], IReadOnlyList<Goldilocks[]>, PoseidonSpongeProverResult>? spongeProve = null,
        Action<Goldilocks[]>? forgeStack = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (salts is null) throw new ArgumentException("A zero-knowledge step hashes the batch rows: their salts are needed.", nameof(salts));
        var tb = tables;
        var sh = tb.Shapes;
        int bits = config.ValueBits, layers = config.Network.Layers.Count;
        var bl = tb.BiasLayers;
        var step = new StepProver(statementDigest);
        var F = RescaledProduct.ToField;
        var rowDigests = digests?.ToArray() ?? SpongeMembership.Digests(config, tb, salts);
        if (rowDigests.Length != config.BatchSize) throw new ArgumentException("One digest per batch row.", nameof(digests));
        ZeroKnowledgeStep.AbsorbDigests(step.Transcript, rowDigests);
        // X and T are private tables of the stack (their first registrations), bound to the digests by the sponge.
        var (ox, ot) = (step.AddPrivate(F(tb.X)), step.AddPrivate(F(tb.T)));
        // One chain commitment per weight state: W_l, then b_l, parts of it (WeightStateLayout).
        var state = WeightStateLayout.For(config);
        var sb = step.AddState(before, state, [.. tb.Weights.Select(w => F(w)), .. bl.Select(l => F(tb.Biases[l]))], 0);
        var sa = step.AddState(after, state, [.. tb.WeightsAfter.Select(w => F(w)), .. bl.Select(l => F(tb.BiasesAfter[l]))], 1);
        var (ow, ob, owa, oba) = (sb[..layers], sb[layers..], sa[..layers], sa[layers..]);
        var oOnes = bl.Length > 0 ? step.AddKnown(F(tb.Ones)) : default;
        var privateTables = new List<long[]>();
        for (int l = 0; l < layers - 1; l++) privateTables.AddRange([tb.Z[l], tb.S[l], tb.H[l]]);
        privateTables.AddRange([tb.Z[^1], tb.E]);
        for (int l = layers - 1; l >= 1; l--) privateTables.AddRange([tb.Q[l], tb.D[l - 1]]);
        for (int l = layers - 1; l >= 0; l--) privateTables.Add(tb.Delta[l]);
        for (int l = 0; l < layers; l++) privateTables.Add(tb.R[l]);
        for (int l = layers - 1; l >= 1; l--) privateTables.Add(tb.RQ[l]);
        for (int l = layers - 1; l >= 0; l--) privateTables.Add(tb.RDelta[l]);
        foreach (int l in bl) privateTables.AddRange([tb.Z0[l], tb.DeltaB[l], tb.RDeltaB[l]]);
        int next = 0;
        var o = Oracles.Register(layers, bl.Length, ox, ot, ow, owa, () => step.AddPrivate(F(privateTables[next++])));
        var (outputs, remainders) = (new long[sh.Length][], new long[sh.Length][]);
        for (int l = 0; l < layers; l++)
        {
            (outputs[StepTables.Forward(l)], remainders[StepTables.Forward(l)]) = (tb.Z0[l] ?? tb.Z[l], tb.R[l]);
            if (l > 0) (outputs[StepTables.Backward(l, layers)], remainders[StepTables.Backward(l, layers)]) = (tb.D[l - 1], tb.RQ[l]); // D's limbs, not Q's
            (outputs[StepTables.Update(l, layers)], remainders[StepTables.Update(l, layers)]) = (tb.Delta[l], tb.RDelta[l]);
        }
        for (int k = 0; k < bl.Length; k++)
            (outputs[StepTables.BiasUpdate(k, layers)], remainders[StepTables.BiasUpdate(k, layers)]) = (tb.DeltaB[bl[k]], tb.RDeltaB[bl[k]]);
        var limbs = new List<Goldilocks[][]>();
        using (SumcheckTelemetry.Telemetry.Phase("limbs"))
        {
            for (int i = 0; i < sh.Length; i++) limbs.Add(RescaledProduct.LimbTables(sh[i], outputs[i], remainders[i]));
            for (int l = 0; l < layers - 1; l++) limbs.Add(ReluArgument.LimbTables(bits, tb.Z[l], tb.S[l], tb.H[l]));
            for (int l = 0; l < layers; l++) limbs.Add(DifferenceArgument.LimbTables(bits, tb.WeightsAfter[l]));
            foreach (int l in bl) limbs.Add(DifferenceArgument.LimbTables(WrapBound.ActivationBits(config), tb.Z[l]));
            foreach (int l in bl) limbs.Add(DifferenceArgument.LimbTables(bits, tb.BiasesAfter[l]));
        }
        // The packed inputs' range check: X+ in its own lookup (StepProver), not in the shared limb lookup.
        long[] offsetInputs = SpongeMembership.OffsetInputs(config, tb);
        forgeLimbs?.Invoke(limbs); // tests: a cheating prover's limbs
        var lo = limbs.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
        var membership = SpongeMembership.Register(config, ox, ot, _ => step.AddPrivate(SpongeMembership.SaltTable(config, salts)),
            _ => step.AddPrivate(F(offsetInputs)), step.AddReserved, _ => step.AddPrivate(SpongeMembership.InputCounts(config, offsetInputs)));
        step.SetMembership(membership, rowDigests, spongeProve, forgeStack);
        var blocks = ZeroChecks(config, sh, bl, o, ow, owa, ob, oba, oOnes, lo, membership);
        step.Commit(blocks);
        using (SumcheckTelemetry.Telemetry.Phase("blocks"))
            foreach (var block in blocks) step.Prove(block);
        var proof = step.Finish();
        inspect?.Invoke(step);
        return proof;
    }

    /// <summary>
    /// The zero-knowledge step's blocks for a shape (oracles numbered as the prover and verifier register them) and the
    /// stack's layout with its mask region: what <see cref="SumcheckSoundness"/> counts.
    /// </summary>
    internal static (ZeroCheck[] Blocks, StackLayout Layout, SpongeMembership Membership) ZeroKnowledgeLayout(QuantizedNetworkConfig config)
    {
        var sh = StepTables.ShapesFor(config);
        var bl = StepTables.BiasLayersOf(config);
        int layers = config.Network.Layers.Count, publics = 0, known = 0, privates = 0, limb = 0;
        StepOracle Public() => new(StepOracle.Kinds.Public, publics++);
        var (ox, ot) = (new StepOracle(StepOracle.Kinds.Private, privates++), new StepOracle(StepOracle.Kinds.Private, privates++));
        // The before state's parts (W_l, then b_l), then the after state's, as the prover registers them.
        var ow = Enumerable.Range(0, layers).Select(_ => Public()).ToArray();
        var ob = bl.Select(_ => Public()).ToArray();
        var owa = Enumerable.Range(0, layers).Select(_ => Public()).ToArray();
        var oba = bl.Select(_ => Public()).ToArray();
        var oOnes = bl.Length > 0 ? new StepOracle(StepOracle.Kinds.Known, known++) : default;
        var (tables, limbs) = PrivateVariables(config);
        var o = Oracles.Register(layers, bl.Length, ox, ot, ow, owa, () => new StepOracle(StepOracle.Kinds.Private, privates++));
        var lo = limbs.Select(block => block.Select(_ => new StepOracle(StepOracle.Kinds.Limbs, limb++)).ToArray()).ToArray();
        StepOracle Private(int _) => new(StepOracle.Kinds.Private, privates++);
        var membership = SpongeMembership.Register(config, ox, ot, Private, Private, Private, Private);
        var blocks = ZeroChecks(config, sh, bl, o, ow, owa, ob, oba, oOnes, lo, membership);
        int[] limbVariables = [.. limbs.SelectMany(b => b)];
        int[] all = [.. BatchVariables(config), .. tables, SpongeMembership.SaltVariables(config), SpongeMembership.InputVariables(config),
            SpongeMembership.TraceTableVariables(config), SpongeMembership.InputBits(config)];
        var unmasked = new StackLayout(all, limbVariables, RangeLimbs.LimbBits);
        var masks = new StepMasks(blocks, ZeroKnowledgeStep.LookupVariables(unmasked), membership.LibraEntries, membership.InputLookupVariables(unmasked));
        return (blocks, new StackLayout([.. all, masks.Variables], limbVariables, RangeLimbs.LimbBits), membership);
    }

    /// <summary>Entries of the zero-knowledge step's stacked table (a power of two; <see cref="long.MaxValue"/> when it cannot be laid out at all).</summary>
    internal static long ZeroKnowledgeStackEntries(QuantizedNetworkConfig config)
    {
        // Refused before building anything: the trace alone (4 tables) exceeds what a stack can hold.
        if (SpongeMembership.TraceTableVariables(config) > LigeroPcs.MaxVariables) return long.MaxValue;
        try
        {
            return 1L << ZeroKnowledgeLayout(config).Layout.Variables;
        }
        catch (ArgumentException)
        {
            return long.MaxValue; // over LigeroPcs.MaxVariables
        }
    }

    /// <summary>Variables of the padded batch tables X and T (the zero-knowledge step's first two private tables).</summary>
    internal static int[] BatchVariables(QuantizedNetworkConfig config)
    {
        var sh = StepTables.ShapesFor(config);
        return [sh[0].RowVariables + sh[0].InnerVariables, sh[StepTables.Forward(config.Network.Layers.Count - 1)].OutputVariables];
    }

    /// <summary>
    /// The zero-knowledge step's blocks as zero-checks, in order: forward, E, backward, updates,
    /// differences, then the batch tables' zero padding (X, T: private, hashed only on their real entries) and the offset
    /// inputs X+ = X + 2^f M (their range: the step's input lookup).
    /// </summary>
    private static ZeroCheck[] ZeroChecks(QuantizedNetworkConfig config, RescaledProductShape[] sh, int[] bl, Oracles o, StepOracle[] ow, StepOracle[] owa,
        StepOracle[] ob, StepOracle[] oba, StepOracle oOnes, StepOracle[][] lo, SpongeMembership membership)
    {
        int bits = config.ValueBits, layers = config.Network.Layers.Count;
        int Out(int l) => sh[StepTables.Forward(l)].OutputVariables;
        var blocks = new List<ZeroCheck>();
        for (int l = 0; l < layers; l++)
        {
            int i = StepTables.Forward(l), k = Array.IndexOf(bl, l);
            if (k < 0) blocks.Add(ZeroCheck.RescaledProduct(sh[i], o.In(l), ow[l], o.Z[l], o.R[l], lo[i]));
            else
            {
                blocks.Add(ZeroCheck.RescaledProduct(sh[i], o.In(l), ow[l], o.Bias[k].Z0, o.R[l], lo[i]));
                blocks.Add(ZeroCheck.BiasAddition(WrapBound.ActivationBits(config), config.BatchSize, sh[i].RowVariables, sh[i].ColumnVariables, o.Bias[k].Z0, ob[k], o.Z[l],
                    lo[BiasSumLimbs(sh.Length, layers, k)]));
            }
            if (l < layers - 1) blocks.Add(ZeroCheck.Relu(bits, Out(l), o.Z[l], o.S[l], o.H[l], lo[sh.Length + l]));
        }
        blocks.Add(ZeroCheck.Difference(0, Out(layers - 1), o.Z[^1], o.T, o.E, []));
        for (int l = layers - 1; l >= 1; l--)
        {
            int i = StepTables.Backward(l, layers);
            blocks.Add(ZeroCheck.RescaledProduct(sh[i], o.Err(l), ow[l], o.Q[l], o.RQ[l], lo[i], o.D[l - 1]));
            blocks.Add(ZeroCheck.Hadamard(Out(l - 1), o.S[l - 1], o.Q[l], o.D[l - 1]));
        }
        for (int l = layers - 1; l >= 0; l--)
        {
            blocks.Add(ZeroCheck.RescaledProduct(sh[StepTables.Update(l, layers)], o.Err(l), o.In(l), o.Delta[l], o.RDelta[l], lo[StepTables.Update(l, layers)]));
            int k = Array.IndexOf(bl, l);
            if (k < 0) continue;
            int i = StepTables.BiasUpdate(k, layers);
            blocks.Add(ZeroCheck.RescaledProduct(sh[i], o.Err(l), oOnes, o.Bias[k].DeltaB, o.Bias[k].RDeltaB, lo[i]));
        }
        for (int l = 0; l < layers; l++)
            blocks.Add(ZeroCheck.Difference(bits, WeightVariables(sh, l), ow[l], o.Delta[l], owa[l], lo[sh.Length + layers - 1 + l]));
        for (int k = 0; k < bl.Length; k++)
            blocks.Add(ZeroCheck.Difference(bits, BiasVariables(sh, bl[k]), ob[k], o.Bias[k].DeltaB, oba[k], lo[BiasSumLimbs(sh.Length, layers, k) + bl.Length]));
        var (first, last) = (sh[0], sh[StepTables.Forward(layers - 1)]);
        blocks.Add(ZeroCheck.Padding(config.BatchSize, config.Network.InputSize, first.RowVariables, first.InnerVariables, membership.X));
        blocks.Add(ZeroCheck.Padding(config.BatchSize, config.Network.OutputSize, last.RowVariables, last.ColumnVariables, membership.T));
        blocks.Add(ZeroCheck.InputOffset(config.FractionBits, config.BatchSize, config.Network.InputSize, first.RowVariables, first.InnerVariables,
            membership.X, membership.XOffset));
        return [.. blocks];
    }

    /// <summary>Index of bias layer k's Z limbs among the limb blocks (those of its b' follow all of them).</summary>
    private static int BiasSumLimbs(int products, int layers, int k) => products + 2 * layers - 1 + k;

    /// <summary>
    /// True when <paramref name="proof"/> (format "ZKST" v7) proves in zero knowledge the step on the batch rows whose
    /// salted Poseidon digests are <paramref name="digests"/> (the data set's leaves at the scheduled positions, from the
    /// membership proof; one per batch row) between the weight states committed by <paramref name="before"/> and
    /// <paramref name="after"/> (one chain commitment each, <see cref="CommitState"/>); malformed bytes give false.
    /// </summary>
    internal static bool VerifyZeroKnowledge(ReadOnlySpan<byte> statementDigest, QuantizedNetworkConfig config, IReadOnlyList<Goldilocks[]> digests,
        LigeroCommitment before, LigeroCommitment after, ReadOnlySpan<byte> proof)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (digests.Count != config.BatchSize || digests.Any(d => d is null || d.Length != ZkMl.Hashing.GoldilocksPoseidon.DigestSize)) return false;
        var sh = StepTables.ShapesFor(config);
        var bl = StepTables.BiasLayersOf(config);
        int layers = config.Network.Layers.Count;
        var state = WeightStateLayout.For(config);
        // Both states' shapes are the layout's (the step verifier pins the rest at Commit).
        if (before.Variables != state.Variables || after.Variables != state.Variables) return false;
        try
        {
            var reader = new ProofReader(proof, StepProver.Magic, StepProver.ZeroKnowledgeVersion);
            var step = new StepVerifier(statementDigest);
            ZeroKnowledgeStep.AbsorbDigests(step.Transcript, digests);
            var batchVariables = BatchVariables(config);
            var (ox, ot) = (step.AddPrivate(batchVariables[0]), step.AddPrivate(batchVariables[1]));
            var (sb, sa) = (step.AddState(before, state, 0), step.AddState(after, state, 1));
            var (ow, ob, owa, oba) = (sb[..layers], sb[layers..], sa[..layers], sa[layers..]);
            // The bias decrements' operand: built here, never taken from the prover.
            var oOnes = bl.Length > 0 ? step.AddKnown(RescaledProduct.ToField(StepTables.BiasOnes(config))) : default;
            var (tableVariables, limbVariables) = PrivateVariables(config);
            int next = 0;
            var o = Oracles.Register(layers, bl.Length, ox, ot, ow, owa, () => step.AddPrivate(tableVariables[next++]));
            var lo = limbVariables.Select(block => block.Select(step.AddLimbs).ToArray()).ToArray();
            var membership = SpongeMembership.Register(config, ox, ot, step.AddPrivate, step.AddPrivate, step.AddPrivate, step.AddPrivate);
            step.SetMembership(membership, digests);
            return step.VerifyAll(ref reader, ZeroChecks(config, sh, bl, o, ow, owa, ob, oba, oOnes, lo, membership));
        }
        catch (ProofFormatException)
        {
            return false;
        }
    }
}
