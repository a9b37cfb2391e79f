using ZkMl.Circuits.Hashing;
using ZkMl.Circuits.Quantized;
using ZkMl.Field;

namespace ZkMl.Stark.Training;

/// <summary>
/// AIR for batch membership: every sample of the batch column (laid out exactly as <see cref="TrainingStepAir"/>'s batch
/// segment) hashed with its secret row salt (<see cref="GoldilocksPoseidon.HashSalted"/> over inputs then one-hot targets)
/// is a leaf of the dataset's <see cref="GoldilocksMerkleTree"/> with the public root.
/// <para>Layout: one Poseidon round per row in 32-row blocks (rows 0..29 rounds, row 30 the output, row 31 a copy). Sample s
/// owns blocks [s*K, (s+1)*K), K = absorbs + depth: absorb 0 takes the salt (free lanes), absorb k &gt;= 1 adds features
/// 8(k-1)..8(k-1)+7 read from the batch column over a LogUp bus; then one compression per Merkle level, the child
/// ordered by a boolean path bit, the sibling a free witness. The last level's output must equal the root.
/// Unused blocks run the permutation on anything (no link constraints there).</para>
/// </summary>
internal sealed class BatchMembershipAir : Air
{
    private const int T = GoldilocksPoseidon.Width;
    internal const int BlockRows = 32;

    // Main columns: the batch column (its own segment, shared with the training-step proof), then the hash trace.
    internal const int X = 0, S = 1, C = S + T, Z = C + T, A = Z + T;
    internal const int Width = A + GoldilocksPoseidon.Rate;
    internal const int Bit = A + 4; // on path link rows lanes A0..A3 hold the sibling, A4 the bit

    // Periodic columns.
    private const int PRc = 0, PFull = T, PRound = T + 1, PCopy = T + 2, PLinkAbs = T + 3, PLinkKeep = T + 4, PInitTag = T + 5,
        PLinkPath = T + 6, PRootRow = T + 7, PAddrBase = T + 8, PSel = T + 9, PBatchAddr = PSel + GoldilocksPoseidon.Rate, PIsBatch = PBatchAddr + 1;

    private readonly PeriodicColumn[] _periodic;
    private readonly TransitionConstraint[] _constraints;
    private readonly LookupTerm[] _lookups;
    private readonly Goldilocks[] _root;

    public QuantizedMlpConfig Config { get; }
    public int DatasetRows { get; }
    public int Depth { get; }
    public int Features => Config.InputSize + Config.OutputSize;
    public int Absorbs => GoldilocksPoseidon.LeafAbsorbCount(Features);
    public int BlocksPerSample => Absorbs + Depth;

    /// <summary>The AIR for <paramref name="config"/>'s batch, a data set of <paramref name="datasetRows"/> rows with Merkle root <paramref name="root"/>, over <paramref name="traceLength"/> rows.</summary>
    public BatchMembershipAir(QuantizedMlpConfig config, int datasetRows, ReadOnlySpan<Goldilocks> root, int traceLength)
        : base($"ZkMl.Training.BatchMembership/v1/{TrainingStepAir.Describe(config)}/rows{datasetRows}", Width, traceLength, root.ToArray())
    {
        if (root.Length != GoldilocksPoseidon.DigestSize) throw new ArgumentException("The root is a 4-element digest.", nameof(root));
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, 1);
        Config = config;
        DatasetRows = datasetRows;
        Depth = GoldilocksMerkleTree.DepthFor(datasetRows);
        _root = root.ToArray();
        long need = (long)config.BatchSize * BlocksPerSample * BlockRows;
        if (need > traceLength || (long)config.BatchSize * Features > traceLength)
            throw new NotSupportedException($"Batch membership needs {need} rows; the training step's trace has {traceLength}.");
        _periodic = BuildPeriodic();
        var constraints = new List<TransitionConstraint>();
        for (int i = 0; i < T; i++) constraints.Add(new($"cube {i}", 3, ConstraintDomain.AllRowsCyclic));
        for (int i = 0; i < T; i++) constraints.Add(new($"seventh power {i}", 3, ConstraintDomain.AllRowsCyclic));
        for (int i = 0; i < T; i++) constraints.Add(new($"round lane {i}", 3, ConstraintDomain.AllRowsCyclic));
        for (int i = 0; i < T; i++) constraints.Add(new($"output copy {i}", 2, ConstraintDomain.AllRowsCyclic));
        for (int i = 0; i < T; i++) constraints.Add(new($"link lane {i}", 3, ConstraintDomain.AllRowsCyclic));
        constraints.Add(new("path bit is boolean", 3, ConstraintDomain.AllRowsCyclic));
        for (int i = 0; i < GoldilocksPoseidon.DigestSize; i++) constraints.Add(new($"root {i}", 2, ConstraintDomain.AllRowsCyclic));
        _constraints = constraints.ToArray();
        var lookups = new List<LookupTerm>
        {
            new("batch values", 0, true, [ColumnRef.Periodic(PBatchAddr), ColumnRef.Main(X)], ColumnRef.Periodic(PIsBatch)),
        };
        for (int j = 0; j < GoldilocksPoseidon.Rate; j++)
            lookups.Add(new($"absorb lane {j}", 0, false, [ColumnRef.Periodic(PAddrBase), ColumnRef.Main(A + j)], ColumnRef.Periodic(PSel + j), null, [j, 0]));
        _lookups = lookups.ToArray();
    }

    public override IReadOnlyList<int> MainSegmentWidths => [1, Width - 1];
    public override IReadOnlyList<TransitionConstraint> TransitionConstraints => _constraints;
    public override IReadOnlyList<PeriodicColumn> PeriodicColumns => _periodic;
    public override IReadOnlyList<LookupTerm> Lookups => _lookups;

    /// <summary>First block of sample <paramref name="s"/>.</summary>
    internal int SampleBlock(int s) => s * BlocksPerSample;

    /// <summary>Bus address of feature <paramref name="feature"/> of sample <paramref name="s"/> (inputs, then targets).</summary>
    private long Address(int s, int feature) => (long)s * Features + feature;

    private PeriodicColumn[] BuildPeriodic()
    {
        int n = TraceLength;
        var cols = new List<PeriodicColumn>();
        for (int i = 0; i < T; i++)
        {
            var rc = new Goldilocks[BlockRows];
            for (int r = 0; r < GoldilocksPoseidon.Rounds; r++) rc[r] = GoldilocksPoseidon.RoundConstant(r, i);
            cols.Add(new($"round constant {i}", rc));
        }
        var full = new Goldilocks[BlockRows];
        var round = new Goldilocks[BlockRows];
        var copy = new Goldilocks[BlockRows];
        for (int r = 0; r < GoldilocksPoseidon.Rounds; r++)
        {
            round[r] = Goldilocks.One;
            if (GoldilocksPoseidon.IsFullRound(r)) full[r] = Goldilocks.One;
        }
        copy[GoldilocksPoseidon.Rounds] = Goldilocks.One;
        cols.Add(new("full round", full));
        cols.Add(new("round", round));
        cols.Add(new("output copy", copy));

        var linkAbs = new Goldilocks[n];
        var linkKeep = new Goldilocks[n];
        var initTag = new Goldilocks[n];
        var linkPath = new Goldilocks[n];
        var rootRow = new Goldilocks[n];
        var addrBase = new Goldilocks[n];
        var sel = new Goldilocks[GoldilocksPoseidon.Rate][];
        for (int j = 0; j < sel.Length; j++) sel[j] = new Goldilocks[n];
        var tag = GoldilocksPoseidon.LeafTag(Features);
        for (int s = 0; s < Config.BatchSize; s++)
        {
            for (int k = 0; k < BlocksPerSample; k++)
            {
                int start = (SampleBlock(s) + k) * BlockRows;
                int link = (start - 1 + n) % n; // the previous block's last row (cyclic for block 0)
                if (k < Absorbs)
                {
                    linkAbs[link] = Goldilocks.One;
                    if (k == 0) initTag[link] = tag;
                    else
                    {
                        linkKeep[link] = Goldilocks.One;
                        addrBase[start] = Goldilocks.FromUInt64((ulong)Address(s, GoldilocksPoseidon.Rate * (k - 1)));
                        for (int j = 0; j < GoldilocksPoseidon.Rate; j++)
                            if (GoldilocksPoseidon.Rate * (k - 1) + j < Features) sel[j][start] = Goldilocks.One;
                    }
                }
                else linkPath[link] = Goldilocks.One;
            }
            rootRow[(SampleBlock(s) + BlocksPerSample - 1) * BlockRows + GoldilocksPoseidon.Rounds] = Goldilocks.One;
        }
        cols.Add(new("link absorb", linkAbs));
        cols.Add(new("link keep", linkKeep));
        cols.Add(new("init tag", initTag));
        cols.Add(new("link path", linkPath));
        cols.Add(new("root row", rootRow));
        cols.Add(new("absorb address", addrBase));
        for (int j = 0; j < sel.Length; j++) cols.Add(new($"absorb lane {j} used", sel[j]));

        var batchAddr = new Goldilocks[n];
        var isBatch = new Goldilocks[n];
        int inputs = Config.BatchSize * Config.InputSize;
        for (int p = 0; p < Config.BatchSize * Features; p++)
        {
            int s, feature;
            if (p < inputs) { s = p / Config.InputSize; feature = p % Config.InputSize; }
            else { s = (p - inputs) / Config.OutputSize; feature = Config.InputSize + (p - inputs) % Config.OutputSize; }
            batchAddr[p] = Goldilocks.FromUInt64((ulong)Address(s, feature));
            isBatch[p] = Goldilocks.One;
        }
        cols.Add(new("batch address", batchAddr));
        cols.Add(new("batch row", isBatch));
        return cols.ToArray();
    }

    public override void EvaluateTransition<TF>(ReadOnlySpan<TF> cur, ReadOnlySpan<TF> next, ReadOnlySpan<TF> per, Span<TF> result)
    {
        int o = 0;
        var yBuffer = new StateBuffer<TF>();
        var uBuffer = new StateBuffer<TF>();
        Span<TF> y = yBuffer;
        Span<TF> u = uBuffer;
        var full = per[PFull];
        var partial = TF.One - full;
        for (int i = 0; i < T; i++)
        {
            y[i] = cur[S + i] + per[PRc + i];
            result[o++] = cur[C + i] - y[i] * y[i] * y[i];
        }
        for (int i = 0; i < T; i++) result[o++] = cur[Z + i] - cur[C + i] * cur[C + i] * y[i];
        u[0] = cur[Z];
        for (int i = 1; i < T; i++) u[i] = full * cur[Z + i] + partial * y[i];
        for (int r = 0; r < T; r++)
        {
            var acc = TF.Zero;
            for (int c = 0; c < T; c++) acc += Lift<TF>(GoldilocksPoseidon.MdsEntry(r, c)) * u[c];
            result[o++] = per[PRound] * (next[S + r] - acc);
        }
        for (int i = 0; i < T; i++) result[o++] = per[PCopy] * (next[S + i] - cur[S + i]);

        // Links between blocks (row 31 -> row 0): absorb, or order the child and the sibling for a Merkle level.
        var bit = next[Bit];
        for (int i = 0; i < T; i++)
        {
            TF absorbed = i < GoldilocksPoseidon.Rate ? next[A + i] : TF.Zero;
            var abs = per[PLinkAbs] * (next[S + i] - absorbed) - per[PLinkKeep] * cur[S + i] - (i == GoldilocksPoseidon.Rate ? per[PInitTag] : TF.Zero);
            TF path;
            if (i < 4) path = next[S + i] - cur[S + i] - bit * (next[A + i] - cur[S + i]);
            else if (i < 8) path = next[S + i] - next[A + i - 4] - bit * (cur[S + i - 4] - next[A + i - 4]);
            else path = next[S + i];
            result[o++] = abs + per[PLinkPath] * path;
        }
        result[o++] = per[PLinkPath] * bit * (bit - TF.One);
        for (int i = 0; i < GoldilocksPoseidon.DigestSize; i++) result[o++] = per[PRootRow] * (cur[S + i] - Lift<TF>(_root[i]));
    }

    private static TF Lift<TF>(Goldilocks v) where TF : struct, IField<TF> =>
        typeof(TF) == typeof(Goldilocks) ? (TF)(object)v : TF.FromUInt64(v.Value);

    /// <summary>
    /// The trace: <paramref name="batchColumn"/> (the training AIR's batch segment) and, per sample, the salted leaf hash and
    /// Merkle path of dataset row <paramref name="rows"/>[s].
    /// </summary>
    internal Goldilocks[][] BuildTrace(Goldilocks[] batchColumn, ReadOnlySpan<int> rows, Func<int, Goldilocks[]> salt, GoldilocksMerkleTree tree)
    {
        int n = TraceLength;
        if (batchColumn.Length != n) throw new ArgumentException($"The batch column must have {n} rows.", nameof(batchColumn));
        if (rows.Length != Config.BatchSize) throw new ArgumentException($"A batch has {Config.BatchSize} rows, got {rows.Length}.", nameof(rows));
        if (tree.Depth != Depth || tree.LeafCount != DatasetRows) throw new ArgumentException("The tree does not match the data set size.", nameof(tree));
        var t = new Goldilocks[Width][];
        for (int c = 0; c < Width; c++) t[c] = new Goldilocks[n];
        batchColumn.CopyTo(t[X], 0);
        var state = new Goldilocks[T];
        var blockOwner = new bool[n / BlockRows];
        int inputs = Config.BatchSize * Config.InputSize;
        Goldilocks Feature(int s, int feature) => feature < Config.InputSize
            ? batchColumn[s * Config.InputSize + feature]
            : batchColumn[inputs + s * Config.OutputSize + feature - Config.InputSize];

        for (int s = 0; s < Config.BatchSize; s++)
        {
            int row = rows[s];
            if ((uint)row >= (uint)DatasetRows) throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row index outside the {DatasetRows}-row data set.");
            var path = tree.Path(row);
            Array.Clear(state);
            for (int k = 0; k < BlocksPerSample; k++)
            {
                int block = SampleBlock(s) + k;
                blockOwner[block] = true;
                int start = block * BlockRows;
                if (k == 0)
                {
                    var sl = salt(row);
                    Array.Clear(state);
                    for (int j = 0; j < GoldilocksPoseidon.Rate; j++) { t[A + j][start] = sl[j]; state[j] = sl[j]; }
                    state[GoldilocksPoseidon.Rate] = GoldilocksPoseidon.LeafTag(Features);
                }
                else if (k < Absorbs)
                {
                    for (int j = 0; j < GoldilocksPoseidon.Rate; j++)
                    {
                        int feature = GoldilocksPoseidon.Rate * (k - 1) + j;
                        var v = feature < Features ? Feature(s, feature) : Goldilocks.Zero;
                        t[A + j][start] = v;
                        state[j] += v;
                    }
                }
                else
                {
                    int level = k - Absorbs;
                    var sibling = path[level];
                    bool right = ((row >> level) & 1) == 1;
                    for (int j = 0; j < 4; j++) t[A + j][start] = sibling[j];
                    t[Bit][start] = right ? Goldilocks.One : Goldilocks.Zero;
                    var child = state[..4];
                    for (int j = 0; j < 4; j++)
                    {
                        state[j] = right ? sibling[j] : child[j];
                        state[4 + j] = right ? child[j] : sibling[j];
                    }
                    for (int j = 8; j < T; j++) state[j] = Goldilocks.Zero;
                }
                FillBlock(t, start, state);
            }
        }
        Array.Clear(state);
        for (int block = 0; block < blockOwner.Length; block++)
            if (!blockOwner[block]) { Array.Clear(state); FillBlock(t, block * BlockRows, state); }
        return t;
    }

    /// <summary>Writes one permutation's rows from <paramref name="state"/> (the input); leaves the output in it.</summary>
    private static void FillBlock(Goldilocks[][] t, int start, Goldilocks[] state)
    {
        for (int r = 0; r < BlockRows; r++)
        {
            int row = start + r;
            for (int i = 0; i < T; i++)
            {
                t[S + i][row] = state[i];
                var y = state[i] + (r < GoldilocksPoseidon.Rounds ? GoldilocksPoseidon.RoundConstant(r, i) : Goldilocks.Zero);
                var cube = y * y * y;
                t[C + i][row] = cube;
                t[Z + i][row] = cube * cube * y;
            }
            if (r < GoldilocksPoseidon.Rounds) GoldilocksPoseidon.Round(state, r);
        }
    }
}

/// <summary>A Poseidon state on the stack, for any field (stackalloc needs unmanaged types).</summary>
[System.Runtime.CompilerServices.InlineArray(GoldilocksPoseidon.Width)]
internal struct StateBuffer<TF>
{
    private TF _element;
}
