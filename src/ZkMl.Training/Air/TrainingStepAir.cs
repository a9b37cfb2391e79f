using System.Numerics;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using static ZkMl.Training.Air.StepColumn;
using P = ZkMl.Training.Air.StepPeriodic;

namespace ZkMl.Training.Air;

/// <summary>
/// AIR for one quantized SGD step of a dense network of any depth with optional biases (docs/fixed-point.md, bit-exact
/// with <see cref="QuantizedNetwork"/>; for two layers without biases it is exactly the Dense-ReLU-Dense AIR). Layout:
/// <list type="bullet">
/// <item>A fixed program (periodic columns known to the verifier) of multiply-accumulate rows: every dot product of
/// the step (forward W_l h_{l-1} (+ b_l * 2^f), backward W_l^T d_l, gradients d_l h_{l-1}^T (and d_l 2^f)) is one chain of rows
/// acc = acc_prev * (1 - start) + a * b; the chain's last row applies the post-operation (rescale with ReLU, error,
/// masked backward rescale, or weight update) to its sum.</item>
/// <item>A LogUp memory bus of (address, value) pairs ties every operand read to exactly one write: the weights and
/// batch (segment columns), and every post-operation output. ReLU signs travel on a second bus.</item>
/// <item>Every range fact is a LogUp lookup into a 12-bit table: rescale remainders in [0, 2^k), quotients in
/// [-2^(B-1), 2^(B-1)), ReLU sign witnesses, and every multiplicand in [-2^23, 2^23) so no sum can wrap modulo p.</item>
/// </list>
/// </summary>
public sealed class TrainingStepAir : ZkMl.Stark.Air
{
    internal const int LimbBits = 12;
    internal const int TableSize = 1 << LimbBits;
    internal const int OperandBits = 24;

    /// <summary>Main-trace columns (<see cref="StepColumn"/>).</summary>
    internal static readonly int Width = Columns<StepColumn>.Count;

    private readonly PeriodicColumn[] _periodic;
    private readonly LookupTerm[] _lookups;
    private readonly Goldilocks _halfF, _twoF, _halfFs, _twoFs, _eta, _qOffset, _operandOffset, _limb, _limb2;

    internal TrainingProgram Program { get; }

    /// <summary>The network and step configuration.</summary>
    public QuantizedNetworkConfig Config { get; }

    /// <summary>Creates the AIR for a two-layer <paramref name="config"/>.</summary>
    public TrainingStepAir(QuantizedMlpConfig config) : this(QuantizedNetworkConfig.FromMlp(config ?? throw new ArgumentNullException(nameof(config))))
    {
    }

    /// <summary>Creates the AIR for <paramref name="config"/>. The step's public data are the three segment commitments.</summary>
    public TrainingStepAir(QuantizedNetworkConfig config)
        : base("ZkMl.Training.SgdStep/v1/" + Describe(config), Width, TrainingProgram.TraceLengthFor(CheckSupported(config)), [])
    {
        Config = config;
        Program = new TrainingProgram(config, TraceLength);
        int f = config.FractionBits, fs = config.FractionBits + config.LearningRateShift;
        _halfF = Goldilocks.FromUInt64(1UL << (f - 1));
        _twoF = Goldilocks.FromUInt64(1UL << f);
        _halfFs = Goldilocks.FromUInt64(1UL << (fs - 1));
        _twoFs = Goldilocks.FromUInt64(1UL << fs);
        _eta = Goldilocks.FromUInt64((ulong)config.LearningRateNumerator);
        _qOffset = Goldilocks.FromUInt64(1UL << (config.ValueBits - 1));
        _operandOffset = Goldilocks.FromUInt64(1UL << (OperandBits - 1));
        _limb = Goldilocks.FromUInt64(1UL << LimbBits);
        _limb2 = Goldilocks.FromUInt64(1UL << (2 * LimbBits));
        _periodic = Program.PeriodicColumns();
        long aX = Program.AddressX, aWn = Program.AddressWeightsAfter;
        int qTopScale = 1 << (3 * LimbBits - config.ValueBits);
        var range = new List<LookupTerm>
        {
            new("range table", 0, true, [Columns<P>.Periodic(P.Table)], Columns<StepColumn>.Main(MT)),
            In("quotient limb 0", Q0, P.IsEnd), In("quotient limb 1", Q1, P.IsEnd), In("quotient limb 2", Q2, P.IsEnd),
            In("quotient top bits", Q2, P.IsEnd, qTopScale),
            In("remainder limb 0", R0, P.IsEnd), In("remainder limb 1", R1, P.IsEnd),
            In("small remainder bits", R0, P.IsSmall, 1 << (LimbBits - f)),
            In("update remainder bits", R1, P.OpUpd, 1 << (2 * LimbBits - fs)),
            In("ReLU witness limb 0", D0, P.OpRelu), In("ReLU witness limb 1", D1, P.OpRelu), In("ReLU witness limb 2", D2, P.OpRelu),
            In("ReLU witness top bits", D2, P.OpRelu, qTopScale),
            In("output limb 0", O0, P.IsEnd), In("output limb 1", O1, P.IsEnd),
            In("weight limb 0", W0, P.IsW), In("weight limb 1", W1L, P.IsW),
            In("batch limb 0", X0, P.IsX), In("batch limb 1", X1L, P.IsX),
        };
        range.AddRange(
        [
            new("write weights", 1, true, [Columns<P>.Periodic(P.Row), Columns<StepColumn>.Main(W)], Columns<StepColumn>.Main(MW)),
            new("write batch", 1, true, [Columns<P>.Periodic(P.Row), Columns<StepColumn>.Main(X)], Columns<StepColumn>.Main(MX), null, [aX, 0]),
            new("read updated weights", 1, false, [Columns<P>.Periodic(P.Row), Columns<StepColumn>.Main(WN)], Columns<P>.Periodic(P.IsW), null, [aWn, 0]),
            new("read a", 1, false, [Columns<P>.Periodic(P.AddrA), Columns<StepColumn>.Main(A)], Columns<P>.Periodic(P.IsMac)),
            new("read b", 1, false, [Columns<P>.Periodic(P.AddrB), Columns<StepColumn>.Main(B)], Columns<P>.Periodic(P.IsMac)),
            new("read c", 1, false, [Columns<P>.Periodic(P.AddrC), Columns<StepColumn>.Main(C)], Columns<P>.Periodic(P.ReadC)),
            new("write output", 1, true, [Columns<P>.Periodic(P.AddrO), Columns<StepColumn>.Main(O)], Columns<StepColumn>.Main(MO)),
            new("write ReLU sign", 2, true, [Columns<P>.Periodic(P.AddrO), Columns<StepColumn>.Main(S)], Columns<StepColumn>.Main(MS)),
            new("read ReLU sign", 2, false, [Columns<P>.Periodic(P.AddrC), Columns<StepColumn>.Main(S)], Columns<P>.Periodic(P.OpDh)),
        ]);
        // With biases, the constant 2^f is written once (row 0, verifier-known multiplicity) for the bias products to read.
        if (Program.HasBiases)
            range.Add(new("write constant 2^f", 1, true, [Columns<P>.Periodic(P.Row), Columns<P>.Periodic(P.Row)], ColumnRef.Periodic(Columns<P>.Count),
                [1, 0], [Program.AddressOne, 1L << f]));
        _lookups = range.ToArray();
    }

    private static LookupTerm In(string name, StepColumn column, P selector, long scale = 1) =>
        new(name, 0, false, [Columns<StepColumn>.Main(column)], Columns<P>.Periodic(selector), scale == 1 ? null : [scale]);

    // The network as "64-32-10" (two layers, no biases: the two-layer AIR's name) or "784-128b-10b".
    internal static string Describe(QuantizedNetworkConfig c) =>
        $"{c.Network}/b{c.BatchSize}/f{c.FractionBits}/lr{c.LearningRateNumerator}>>{c.LearningRateShift}/B{c.ValueBits}";

    /// <summary>Throws <see cref="NotSupportedException"/> for configurations this AIR cannot prove soundly.</summary>
    public static QuantizedNetworkConfig CheckSupported(QuantizedNetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        int f = config.FractionBits, fs = f + config.LearningRateShift;
        if (f < 1 || f > LimbBits) throw new NotSupportedException($"The training AIR supports 1 <= FractionBits <= {LimbBits}, got {f}.");
        if (fs <= LimbBits || fs > 2 * LimbBits) throw new NotSupportedException($"The training AIR supports {LimbBits} < FractionBits + LearningRateShift <= {2 * LimbBits}, got {fs}.");
        if (config.ValueBits <= 2 * LimbBits || config.ValueBits > 3 * LimbBits) throw new NotSupportedException($"The training AIR supports {2 * LimbBits} < ValueBits <= {3 * LimbBits}, got {config.ValueBits}.");
        // Every multiplicand is below 2^23 in magnitude, so a chain of L products times eta stays below 2^46 * L * eta < p/2.
        var net = config.Network;
        double maxChain = (double)config.BatchSize * config.LearningRateNumerator;
        for (int l = 0; l < net.Layers.Count; l++)
            maxChain = Math.Max(maxChain, Math.Max(net.FanIn(l) + (net.Layers[l].HasBias ? 1 : 0), net.Layers[l].Width));
        if (maxChain * Math.Pow(2, 2 * (OperandBits - 1)) >= Math.Pow(2, 62))
            throw new NotSupportedException($"Network {net} with batch {config.BatchSize}: a chain of {maxChain} products exceeds the AIR's no-wrap bound of 2^16.");
        return config;
    }

    /// <summary>Segments: weights before, batch, weights after (each committed on its own), then the rest of the witness.</summary>
    public override IReadOnlyList<int> MainSegmentWidths => [1, 1, 1, Width - 3];

    /// <inheritdoc />
    public override IReadOnlyList<PeriodicColumn> PeriodicColumns => _periodic;

    /// <inheritdoc />
    public override IReadOnlyList<LookupTerm> Lookups => _lookups;

    /// <inheritdoc />
    protected override void Evaluate<TF>(ref ConstraintBuilder<TF> b)
    {
        const ConstraintDomain Cyclic = ConstraintDomain.AllRowsCyclic;
        var cur = new Row<TF, StepColumn>(b.Current);
        var next = new Row<TF, StepColumn>(b.Next);
        var p = new Row<TF, P>(b.Periodic);
        var one = TF.One;
        TF L(Goldilocks g) => g.IsZero ? TF.Zero : TF.FromUInt64(g.Value);
        var halfF = L(_halfF); var twoF = L(_twoF); var halfFs = L(_halfFs); var twoFs = L(_twoFs); var eta = L(_eta);
        var limb = L(_limb); var limb2 = L(_limb2); var qOff = L(_qOffset); var opOff = L(_operandOffset);
        var isEnd = p[P.IsEnd]; var relu = p[P.OpRelu]; var err = p[P.OpErr]; var dh = p[P.OpDh]; var upd = p[P.OpUpd];
        var acc = cur[Acc]; var q = cur[Q]; var s = cur[S]; var c = cur[C];
        var rem = cur[R0] + cur[R1] * limb;
        var small = acc + halfF - q * twoF - rem;
        b.AssertZero("accumulate", next[Acc] - (one - p[P.StartNext]) * acc - next[A] * next[B], Cyclic);
        b.AssertZero("rescale z (forward)", (relu + err) * small, Cyclic);
        b.AssertZero("rescale dh (ReLU' = 1)", dh * s * small, Cyclic);
        b.AssertZero("dh quotient is 0 when ReLU' = 0", dh * (one - s) * q, Cyclic);
        b.AssertZero("dh remainder is 0 when ReLU' = 0", dh * (one - s) * rem, Cyclic);
        b.AssertZero("rescale weight update", upd * (eta * acc + halfFs - q * twoFs - rem), Cyclic);
        b.AssertZero("small remainder has no high limb", p[P.IsSmall] * cur[R1], Cyclic);
        b.AssertZero("quotient limbs", isEnd * (q + qOff - cur[Q0] - cur[Q1] * limb - cur[Q2] * limb2), Cyclic);
        b.AssertZero("post-operation output", relu * s * q + err * (q - c) + dh * q + upd * (c - q) - isEnd * cur[O], Cyclic);
        b.AssertZero("ReLU sign is boolean", relu * s * (s - one), Cyclic);
        b.AssertZero("ReLU sign witness", relu * ((s + s - one) * q - s - cur[D0] - cur[D1] * limb - cur[D2] * limb2), Cyclic);
        b.AssertZero("target is 0 or 2^f", err * c * (c - twoF), Cyclic);
        b.AssertZero("output limbs", isEnd * (cur[O] + opOff - cur[O0] - cur[O1] * limb), Cyclic);
        b.AssertZero("weight limbs", p[P.IsW] * (cur[W] + opOff - cur[W0] - cur[W1L] * limb), Cyclic);
        b.AssertZero("batch limbs", p[P.IsX] * (cur[X] + opOff - cur[X0] - cur[X1L] * limb), Cyclic);
        b.AssertZero("no weight writes outside the weight segment", (one - p[P.IsW]) * cur[MW], Cyclic);
        b.AssertZero("no batch writes outside the batch segment", (one - p[P.IsX]) * cur[MX], Cyclic);
        b.AssertZero("outputs written only on chain ends", (one - isEnd) * cur[MO], Cyclic);
        b.AssertZero("signs written only on ReLU rows", (one - relu) * cur[MS], Cyclic);
    }
}
