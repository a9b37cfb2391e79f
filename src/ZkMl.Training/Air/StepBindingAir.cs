using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>
/// AIR that binds a training-step proof's committed columns to the step's public commitments. Its first three columns are
/// laid out (and, in a proof, seeded) exactly as <see cref="TrainingStepAir"/>'s weights-before, batch and weights-after
/// segments, so the two proofs commit to the same columns; this AIR then shows
/// <list type="bullet">
/// <item>every batch sample (inputs, then one-hot targets) hashed with a secret row salt
/// (<see cref="GoldilocksPoseidon.HashSalted"/>, domain <see cref="RowDomain"/>) is a leaf on a Merkle path to the public
/// data-set root (<see cref="GoldilocksMerkleTree"/>);</item>
/// <item>the weights-before and weights-after columns (all parameters; W1 then W2 for two layers without biases) hashed with their secret salts (domain
/// <see cref="WeightsDomain"/>) give the public weight commitments.</item>
/// </list>
/// <para>Layout: one Poseidon round per row in 32-row blocks (rows 0..29 rounds, row 30 the output, row 31 a copy). Each hash
/// is a chain of blocks: absorb 0 takes the salt (free lanes), absorb k &gt;= 1 adds the next 8 values, read from the
/// three columns over a LogUp bus (each value exactly once); a Merkle level orders the child and a free sibling by a boolean
/// bit. The chain's last output must equal its public digest. Blocks: the samples' leaf hashes and paths, then the
/// weights-before chain, then the weights-after chain; unused blocks are unconstrained permutations.</para>
/// </summary>
internal sealed class StepBindingAir : ZkMl.Stark.Air
{
    /// <summary>Hash domain of data-set rows.</summary>
    internal const int RowDomain = 0;
    /// <summary>Hash domain of weight commitments.</summary>
    internal const int WeightsDomain = 1;

    private const int T = GoldilocksPoseidon.Width, Rate = GoldilocksPoseidon.Rate, DigestSize = GoldilocksPoseidon.DigestSize;
    internal const int BlockRows = 32;

    /// <summary>Main-trace columns (<see cref="BindingColumn"/>).</summary>
    internal const int Width = (int)BindingColumn.Width;

    // Periodic columns.
    private const int PRc = 0, PFull = T, PRound = T + 1, PCopy = T + 2, PLinkAbs = T + 3, PLinkKeep = T + 4, PInitTag = T + 5,
        PLinkPath = T + 6, PRootRow = T + 7, PBeforeRow = T + 8, PAfterRow = T + 9, PAddrBase = T + 10, PSel = T + 11,
        PBatchAddr = PSel + Rate, PIsBatch = PBatchAddr + 1, PRow = PIsBatch + 1, PIsWeight = PRow + 1, PPathBit = PIsWeight + 1;

    private readonly PeriodicColumn[] _periodic;
    private readonly LookupTerm[] _lookups;
    private readonly Goldilocks[] _root, _before, _after;
    private readonly int[] _rows;

    public QuantizedNetworkConfig Config { get; }
    public int DatasetRows { get; }
    /// <summary>The batch's public row positions: sample s is the leaf at <c>Rows[s]</c>.</summary>
    public ReadOnlySpan<int> Rows => _rows;
    public int Depth { get; }
    public int Features => Config.Network.InputSize + Config.Network.OutputSize;
    public int WeightCount => (int)Config.Network.ParameterCount;
    public int SampleAbsorbs => GoldilocksPoseidon.LeafAbsorbCount(Features);
    public int BlocksPerSample => SampleAbsorbs + Depth;
    public int WeightAbsorbs => GoldilocksPoseidon.LeafAbsorbCount(WeightCount);
    public int BeforeBlock => Config.BatchSize * BlocksPerSample;
    public int AfterBlock => BeforeBlock + WeightAbsorbs;
    private long BatchValues => (long)Config.BatchSize * Features;

    /// <summary>Rows the layout needs for <paramref name="config"/> and <paramref name="datasetRows"/> rows.</summary>
    internal static long RowsNeeded(QuantizedNetworkConfig config, int datasetRows) =>
        ((long)config.BatchSize * (GoldilocksPoseidon.LeafAbsorbCount(config.Network.InputSize + config.Network.OutputSize) + MerkleTree.DepthFor(datasetRows))
         + 2L * GoldilocksPoseidon.LeafAbsorbCount((int)config.Network.ParameterCount)) * BlockRows;

    /// <summary>
    /// The AIR over <paramref name="traceLength"/> rows (the training AIR's) for the public statement: the contract digest
    /// (<paramref name="contractDigest"/>, 8 limbs) and step index, the data-set root and size, the batch's row positions
    /// <paramref name="rows"/> (periodic: each Merkle path bit must be the public row's bit) and the weight digests.
    /// </summary>
    public StepBindingAir(QuantizedNetworkConfig config, ReadOnlySpan<Goldilocks> contractDigest, int step, int datasetRows, ReadOnlySpan<int> rows,
        ReadOnlySpan<Goldilocks> root, ReadOnlySpan<Goldilocks> before, ReadOnlySpan<Goldilocks> after, int traceLength)
        : base($"ZkMl.Training.StepBinding/v2/{TrainingStepAir.Describe(config)}/rows{datasetRows}", Width, traceLength,
            [.. contractDigest, Goldilocks.FromUInt64((ulong)step), .. root, .. before, .. after])
    {
        if (root.Length != DigestSize || before.Length != DigestSize || after.Length != DigestSize)
            throw new ArgumentException($"Roots and weight commitments are {DigestSize}-element digests.");
        if (contractDigest.Length != 8) throw new ArgumentException("The contract digest is 8 Goldilocks limbs.", nameof(contractDigest));
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetRows, 1);
        if (rows.Length != config.BatchSize) throw new ArgumentException($"A batch has {config.BatchSize} rows, got {rows.Length}.", nameof(rows));
        foreach (int row in rows)
            if ((uint)row >= (uint)datasetRows) throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row index outside the {datasetRows}-row data set.");
        Config = config;
        DatasetRows = datasetRows;
        _rows = rows.ToArray();
        Depth = MerkleTree.DepthFor(datasetRows);
        _root = root.ToArray();
        _before = before.ToArray();
        _after = after.ToArray();
        long need = RowsNeeded(config, datasetRows);
        if (need > traceLength || BatchValues > traceLength || WeightCount > traceLength)
            throw new NotSupportedException($"Binding the step's commitments needs {need} rows; the training step's trace has {traceLength}.");
        _periodic = BuildPeriodic();
        var lookups = new List<LookupTerm>
        {
            new("batch values", 0, true, [ColumnRef.Periodic(PBatchAddr), Main(BindingColumn.Batch)], ColumnRef.Periodic(PIsBatch)),
            new("weights before", 0, true, [ColumnRef.Periodic(PRow), Main(BindingColumn.WeightsBefore)], ColumnRef.Periodic(PIsWeight), null, [BatchValues, 0]),
            new("weights after", 0, true, [ColumnRef.Periodic(PRow), Main(BindingColumn.WeightsAfter)], ColumnRef.Periodic(PIsWeight), null, [BatchValues + WeightCount, 0]),
        };
        for (int j = 0; j < Rate; j++)
            lookups.Add(new($"absorb lane {j}", 0, false, [ColumnRef.Periodic(PAddrBase), Main(BindingColumn.Absorb, j)], ColumnRef.Periodic(PSel + j), null, [j, 0]));
        _lookups = lookups.ToArray();
    }

    private static ColumnRef Main(BindingColumn group, int lane = 0) => ColumnRef.Main(BindingRow<Goldilocks>.Column(group, lane));

    public override IReadOnlyList<int> MainSegmentWidths => [1, 1, 1, Width - 3];
    public override IReadOnlyList<PeriodicColumn> PeriodicColumns => _periodic;
    public override IReadOnlyList<LookupTerm> Lookups => _lookups;

    /// <summary>First block of sample <paramref name="s"/>.</summary>
    internal int SampleBlock(int s) => s * BlocksPerSample;

    /// <summary>Bus address of feature <paramref name="feature"/> of sample <paramref name="s"/> (inputs, then targets).</summary>
    private long SampleAddress(int s, int feature) => (long)s * Features + feature;

    /// <summary>Row of the batch column holding feature <paramref name="feature"/> of sample <paramref name="s"/> (<see cref="TrainingColumns.BatchValues"/>).</summary>
    private int BatchRow(int s, int feature) => feature < Config.Network.InputSize
        ? s * Config.Network.InputSize + feature
        : Config.BatchSize * Config.Network.InputSize + s * Config.Network.OutputSize + feature - Config.Network.InputSize;

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
        var beforeRow = new Goldilocks[n];
        var afterRow = new Goldilocks[n];
        var addrBase = new Goldilocks[n];
        var sel = new Goldilocks[Rate][];
        for (int j = 0; j < sel.Length; j++) sel[j] = new Goldilocks[n];

        // A hash chain of `absorbs` blocks from `firstBlock`, reading values [addressBase, addressBase + count) of the bus.
        void Chain(int firstBlock, int absorbs, int count, long addressBase, Goldilocks tag)
        {
            for (int k = 0; k < absorbs; k++)
            {
                int start = (firstBlock + k) * BlockRows;
                int link = (start - 1 + n) % n; // the previous block's last row (cyclic for block 0)
                linkAbs[link] = Goldilocks.One;
                if (k == 0) { initTag[link] = tag; continue; }
                linkKeep[link] = Goldilocks.One;
                addrBase[start] = Goldilocks.FromUInt64((ulong)(addressBase + Rate * (k - 1)));
                for (int j = 0; j < Rate; j++)
                    if (Rate * (k - 1) + j < count) sel[j][start] = Goldilocks.One;
            }
        }
        int BlockEnd(int block) => block * BlockRows + GoldilocksPoseidon.Rounds;

        var rowTag = GoldilocksPoseidon.LeafTag(Features, RowDomain);
        for (int s = 0; s < Config.BatchSize; s++)
        {
            Chain(SampleBlock(s), SampleAbsorbs, Features, SampleAddress(s, 0), rowTag);
            for (int level = 0; level < Depth; level++)
                linkPath[(SampleBlock(s) + SampleAbsorbs + level) * BlockRows - 1] = Goldilocks.One;
            rootRow[BlockEnd(SampleBlock(s) + BlocksPerSample - 1)] = Goldilocks.One;
        }
        var weightsTag = GoldilocksPoseidon.LeafTag(WeightCount, WeightsDomain);
        Chain(BeforeBlock, WeightAbsorbs, WeightCount, BatchValues, weightsTag);
        Chain(AfterBlock, WeightAbsorbs, WeightCount, BatchValues + WeightCount, weightsTag);
        beforeRow[BlockEnd(BeforeBlock + WeightAbsorbs - 1)] = Goldilocks.One;
        afterRow[BlockEnd(AfterBlock + WeightAbsorbs - 1)] = Goldilocks.One;

        cols.Add(new("link absorb", linkAbs));
        cols.Add(new("link keep", linkKeep));
        cols.Add(new("init tag", initTag));
        cols.Add(new("link path", linkPath));
        cols.Add(new("root row", rootRow));
        cols.Add(new("weights before digest row", beforeRow));
        cols.Add(new("weights after digest row", afterRow));
        cols.Add(new("absorb address", addrBase));
        for (int j = 0; j < sel.Length; j++) cols.Add(new($"absorb lane {j} used", sel[j]));

        var batchAddr = new Goldilocks[n];
        var isBatch = new Goldilocks[n];
        for (int s = 0; s < Config.BatchSize; s++)
            for (int feature = 0; feature < Features; feature++)
            {
                int p = BatchRow(s, feature);
                batchAddr[p] = Goldilocks.FromUInt64((ulong)SampleAddress(s, feature));
                isBatch[p] = Goldilocks.One;
            }
        cols.Add(new("batch address", batchAddr));
        cols.Add(new("batch row", isBatch));
        var row = new Goldilocks[n];
        var isWeight = new Goldilocks[n];
        for (int r = 0; r < n; r++) row[r] = Goldilocks.FromUInt64((ulong)r);
        for (int r = 0; r < WeightCount; r++) isWeight[r] = Goldilocks.One;
        cols.Add(new("row index", row));
        cols.Add(new("weight row", isWeight));
        // The bits of each sample's public row position, on the link rows of its Merkle levels.
        var pathBit = new Goldilocks[n];
        for (int s = 0; s < Config.BatchSize; s++)
            for (int level = 0; level < Depth; level++)
                if (((_rows[s] >> level) & 1) == 1) pathBit[(SampleBlock(s) + SampleAbsorbs + level) * BlockRows - 1] = Goldilocks.One;
        cols.Add(new("public path bit", pathBit));
        return cols.ToArray();
    }

    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        const ConstraintDomain Cyclic = ConstraintDomain.AllRowsCyclic;
        var cur = new BindingRow<TF>(b.Current);
        var next = new BindingRow<TF>(b.Next);
        ReadOnlySpan<TF> per = b.Periodic;
        var yBuffer = new StateBuffer<TF>();
        var uBuffer = new StateBuffer<TF>();
        Span<TF> y = yBuffer;
        Span<TF> u = uBuffer;
        var full = per[PFull];
        var partial = TF.One - full;
        for (int i = 0; i < T; i++)
        {
            y[i] = cur.State(i) + per[PRc + i];
            b.AssertZero("cube ", i, cur.Cube(i) - y[i] * y[i] * y[i], Cyclic);
        }
        for (int i = 0; i < T; i++) b.AssertZero("seventh power ", i, cur.Seventh(i) - cur.Cube(i) * cur.Cube(i) * y[i], Cyclic);
        u[0] = cur.Seventh(0);
        for (int i = 1; i < T; i++) u[i] = full * cur.Seventh(i) + partial * y[i];
        for (int r = 0; r < T; r++)
        {
            var acc = TF.Zero;
            for (int c = 0; c < T; c++) acc += Lift<TF>(GoldilocksPoseidon.MdsEntry(r, c)) * u[c];
            b.AssertZero("round lane ", r, per[PRound] * (next.State(r) - acc), Cyclic);
        }
        for (int i = 0; i < T; i++) b.AssertZero("output copy ", i, per[PCopy] * (next.State(i) - cur.State(i)), Cyclic);

        // Links between blocks (row 31 -> row 0): absorb, or order the child and the sibling for a Merkle level.
        var bit = next.Bit;
        for (int i = 0; i < T; i++)
        {
            TF absorbed = i < Rate ? next.Absorbed(i) : TF.Zero;
            var abs = per[PLinkAbs] * (next.State(i) - absorbed) - per[PLinkKeep] * cur.State(i) - (i == Rate ? per[PInitTag] : TF.Zero);
            TF path;
            if (i < 4) path = next.State(i) - cur.State(i) - bit * (next.Absorbed(i) - cur.State(i));
            else if (i < 8) path = next.State(i) - next.Absorbed(i - 4) - bit * (cur.State(i - 4) - next.Absorbed(i - 4));
            else path = next.State(i);
            // Lanes 8.. have degree 2 but were declared 3 when the AIR was defined; the definition (and proofs) keep it.
            b.AssertZero("link lane ", i, abs + per[PLinkPath] * path, Cyclic, degree: 3);
        }
        b.AssertZero("path bit is the public row's bit", per[PLinkPath] * (bit - per[PPathBit]), Cyclic);
        for (int i = 0; i < DigestSize; i++)
            b.AssertZero("public digest ", i, per[PRootRow] * (cur.State(i) - Lift<TF>(_root[i])) + per[PBeforeRow] * (cur.State(i) - Lift<TF>(_before[i]))
                + per[PAfterRow] * (cur.State(i) - Lift<TF>(_after[i])), Cyclic);
    }

    private static TF Lift<TF>(Goldilocks v) where TF : struct, IField<TF> =>
        typeof(TF) == typeof(Goldilocks) ? (TF)(object)v : TF.FromUInt64(v.Value);

    /// <summary>
    /// The trace from the training AIR's three committed columns, the salts of the data-set rows (by row index), the tree, and
    /// the two weight salts. <paramref name="pathRows"/> (default: <see cref="Rows"/>) chooses the Merkle paths; other rows than
    /// the public ones give a trace that violates the AIR (tests forge with it).
    /// </summary>
    internal Goldilocks[][] BuildTrace(Goldilocks[] weightsBefore, Goldilocks[] batchColumn, Goldilocks[] weightsAfter,
        Func<int, Goldilocks[]> salt, GoldilocksMerkleTree tree, Goldilocks[] saltBefore, Goldilocks[] saltAfter, int[]? pathRows = null)
    {
        int n = TraceLength;
        ReadOnlySpan<int> rows = pathRows ?? _rows;
        if (batchColumn.Length != n || weightsBefore.Length != n || weightsAfter.Length != n) throw new ArgumentException($"Committed columns must have {n} rows.");
        if (rows.Length != Config.BatchSize) throw new ArgumentException($"A batch has {Config.BatchSize} rows, got {rows.Length}.", nameof(pathRows));
        if (tree.Depth != Depth || tree.LeafCount != DatasetRows) throw new ArgumentException("The tree does not match the data set size.", nameof(tree));
        var t = new Goldilocks[Width][];
        for (int c = 0; c < Width; c++) t[c] = new Goldilocks[n];
        weightsBefore.CopyTo(t[(int)BindingColumn.WeightsBefore], 0);
        batchColumn.CopyTo(t[(int)BindingColumn.Batch], 0);
        weightsAfter.CopyTo(t[(int)BindingColumn.WeightsAfter], 0);
        var state = new Goldilocks[T];
        var used = new bool[n / BlockRows];

        void Chain(int firstBlock, Goldilocks[] chainSalt, int count, Func<int, Goldilocks> value, Goldilocks tag)
        {
            if (chainSalt.Length != Rate) throw new ArgumentException($"Salts have {Rate} elements.");
            for (int k = 0; k < GoldilocksPoseidon.LeafAbsorbCount(count); k++)
            {
                int start = (firstBlock + k) * BlockRows;
                if (k == 0)
                {
                    Array.Clear(state);
                    for (int j = 0; j < Rate; j++) { t[Lane(BindingColumn.Absorb, j)][start] = chainSalt[j]; state[j] = chainSalt[j]; }
                    state[Rate] = tag;
                }
                else
                {
                    for (int j = 0; j < Rate; j++)
                    {
                        int index = Rate * (k - 1) + j;
                        var v = index < count ? value(index) : Goldilocks.Zero;
                        t[Lane(BindingColumn.Absorb, j)][start] = v;
                        state[j] += v;
                    }
                }
                used[firstBlock + k] = true;
                FillBlock(t, start, state);
            }
        }

        var rowTag = GoldilocksPoseidon.LeafTag(Features, RowDomain);
        for (int s = 0; s < Config.BatchSize; s++)
        {
            int row = rows[s];
            if ((uint)row >= (uint)DatasetRows) throw new ArgumentOutOfRangeException(nameof(rows), row, $"Row index outside the {DatasetRows}-row data set.");
            int sample = s;
            Chain(SampleBlock(s), salt(row), Features, f => batchColumn[BatchRow(sample, f)], rowTag);
            var path = tree.Path(row);
            for (int level = 0; level < Depth; level++)
            {
                int block = SampleBlock(s) + SampleAbsorbs + level;
                int start = block * BlockRows;
                var sibling = path.Siblings[level];
                bool right = ((row >> level) & 1) == 1;
                for (int j = 0; j < 4; j++) t[Lane(BindingColumn.Absorb, j)][start] = sibling[j];
                t[Lane(BindingColumn.Bit)][start] = right ? Goldilocks.One : Goldilocks.Zero;
                var child = state[..4];
                for (int j = 0; j < 4; j++)
                {
                    state[j] = right ? sibling[j] : child[j];
                    state[4 + j] = right ? child[j] : sibling[j];
                }
                for (int j = 8; j < T; j++) state[j] = Goldilocks.Zero;
                used[block] = true;
                FillBlock(t, start, state);
            }
        }
        var weightsTag = GoldilocksPoseidon.LeafTag(WeightCount, WeightsDomain);
        Chain(BeforeBlock, saltBefore, WeightCount, r => weightsBefore[r], weightsTag);
        Chain(AfterBlock, saltAfter, WeightCount, r => weightsAfter[r], weightsTag);
        for (int block = 0; block < used.Length; block++)
            if (!used[block]) { Array.Clear(state); FillBlock(t, block * BlockRows, state); }
        return t;
    }

    private static int Lane(BindingColumn group, int lane = 0) => BindingRow<Goldilocks>.Column(group, lane);

    /// <summary>Writes one permutation's rows from <paramref name="state"/> (the input); leaves the output in it.</summary>
    private static void FillBlock(Goldilocks[][] t, int start, Goldilocks[] state)
    {
        for (int r = 0; r < BlockRows; r++)
        {
            int row = start + r;
            for (int i = 0; i < T; i++)
            {
                t[Lane(BindingColumn.State, i)][row] = state[i];
                var y = state[i] + (r < GoldilocksPoseidon.Rounds ? GoldilocksPoseidon.RoundConstant(r, i) : Goldilocks.Zero);
                var cube = y * y * y;
                t[Lane(BindingColumn.Cube, i)][row] = cube;
                t[Lane(BindingColumn.Seventh, i)][row] = cube * cube * y;
            }
            if (r < GoldilocksPoseidon.Rounds) GoldilocksPoseidon.Round(state, r);
        }
    }
}
