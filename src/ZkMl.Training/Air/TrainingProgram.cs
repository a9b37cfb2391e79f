using System.Numerics;
using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>Post-operation applied on the last row of a multiply-accumulate chain.</summary>
internal enum PostOp { None, Relu, Error, Backward, Update }

/// <summary>One multiply-accumulate row of the fixed program.</summary>
internal readonly record struct MacRow(long AddrA, long AddrB, bool Start, PostOp Op, long AddrC, long AddrO);

/// <summary>
/// The fixed schedule of the SGD step: memory addresses of every value and the multiply-accumulate rows. Addresses: the
/// parameters in <see cref="QuantizedNetwork.Parameters"/> order from 0 (W1 then W2 for two layers without biases); the batch
/// (inputs then one-hot targets) from <see cref="AddressX"/>; then each hidden layer's output h_l (and its ReLU sign on bus
/// 2), the error e, each hidden layer's backward value d_l; updated parameters at <see cref="AddressWeightsAfter"/> + the
/// parameter's own address; with biases, the constant 2^f at <see cref="AddressOne"/> (a bias is a product b * 2^f in its
/// row's chain, and its gradient the chain of d * 2^f, rescaled as the weights' by f + s).
/// </summary>
internal sealed class TrainingProgram
{
    private readonly int[] _weightOffset, _biasOffset;
    private readonly long[] _addressH, _addressD;

    public QuantizedNetworkConfig Config { get; }
    public NetworkDescription Network => Config.Network;
    public int Rows { get; }
    public List<MacRow> Macs { get; } = [];
    public int WeightCount { get; }
    public int BatchCount => Config.BatchSize * (Network.InputSize + Network.OutputSize);
    public bool HasBiases { get; }
    public int ConstantReads { get; }
    public long AddressX => WeightCount;
    public long AddressT => AddressX + Config.BatchSize * Network.InputSize;
    public long AddressE { get; }
    public long AddressWeightsAfter { get; }
    public long AddressOne => AddressWeightsAfter + WeightCount;
    public long MemorySize => AddressOne + (HasBiases ? 1 : 0);

    public long Weight(int l, int i, int j) => _weightOffset[l] + (long)i * Network.FanIn(l) + j;
    public long Bias(int l, int i) => _biasOffset[l] + i;
    public long Xa(int b, int k) => AddressX + (long)b * Network.InputSize + k;
    public long Ta(int b, int i) => AddressT + (long)b * Network.OutputSize + i;
    /// <summary>Output of hidden layer l (0-based, l &lt; L - 1) for sample b.</summary>
    public long Ha(int l, int b, int j) => _addressH[l] + (long)b * Network.Layers[l].Width + j;
    public long Ea(int b, int i) => AddressE + (long)b * Network.OutputSize + i;
    /// <summary>Backward value of layer l's output (0-based): d for hidden layers, e for the last.</summary>
    public long Da(int l, int b, int i) => l == Network.Layers.Count - 1 ? Ea(b, i) : _addressD[l] + (long)b * Network.Layers[l].Width + i;
    /// <summary>Input of layer l for sample b: the batch for the first layer, else the previous layer's output.</summary>
    public long In(int l, int b, int k) => l == 0 ? Xa(b, k) : Ha(l - 1, b, k);

    /// <summary>Multiply-accumulate rows of the step (forward with bias rows, backward, gradients).</summary>
    public static long MacCount(QuantizedNetworkConfig c)
    {
        var net = c.Network;
        long total = 0, batch = c.BatchSize;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            long w = net.WeightCount(l), bias = net.Layers[l].HasBias ? net.Layers[l].Width : 0;
            total += batch * (2 * (w + bias) + (l > 0 ? w : 0));
        }
        return total;
    }

    /// <summary>Rows the trace needs (a power of two), without building the program.</summary>
    public static long RowsNeeded(QuantizedNetworkConfig c) =>
        (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(Math.Max(MacCount(c) + 1L, TrainingStepAir.TableSize),
            Math.Max(c.Network.ParameterCount, (long)c.BatchSize * (c.Network.InputSize + c.Network.OutputSize))));

    /// <summary>The trace length; throws <see cref="NotSupportedException"/> naming the shape beyond 2^24 rows.</summary>
    public static int TraceLengthFor(QuantizedNetworkConfig c)
    {
        long need = RowsNeeded(c);
        if (need > 1 << 24) throw new NotSupportedException($"The training step of {c.Network} with batch {c.BatchSize} needs {need} trace rows, more than one trace's 2^24.");
        return (int)need;
    }

    public TrainingProgram(QuantizedNetworkConfig c, int rows)
    {
        Config = c;
        Rows = rows;
        var net = c.Network;
        int layers = net.Layers.Count, bs = c.BatchSize;
        _weightOffset = new int[layers];
        _biasOffset = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffset[l] = offset;
            offset += (int)net.WeightCount(l);
            _biasOffset[l] = net.Layers[l].HasBias ? offset : -1;
            if (net.Layers[l].HasBias) { offset += net.Layers[l].Width; HasBiases = true; }
        }
        WeightCount = offset;
        _addressH = new long[layers];
        _addressD = new long[layers];
        long next = AddressX + BatchCount;
        for (int l = 0; l + 1 < layers; l++) { _addressH[l] = next; next += (long)bs * net.Layers[l].Width; }
        AddressE = next;
        next += (long)bs * net.OutputSize;
        for (int l = 0; l + 1 < layers; l++) { _addressD[l] = next; next += (long)bs * net.Layers[l].Width; }
        AddressWeightsAfter = next;

        long one = AddressOne;
        int constantReads = 0;
        void Chain(int length, Func<int, (long A, long B)> operands, PostOp op, long addrC, long addrO, long biasAddress = -1)
        {
            int total = length + (biasAddress >= 0 ? 1 : 0);
            for (int t = 0; t < total; t++)
            {
                var (a, b) = t < length ? operands(t) : (biasAddress, one);
                if (HasBiases && b == one) constantReads++;
                bool last = t == total - 1;
                Macs.Add(new MacRow(a, b, t == 0, last ? op : PostOp.None, last ? addrC : 0, last ? addrO : 0));
            }
        }
        // Forward: z = Rescale_f(W h + b * 2^f), the bias as the chain's last product.
        for (int l = 0; l < layers; l++)
        {
            int n = net.FanIn(l), m = net.Layers[l].Width;
            bool last = l == layers - 1;
            for (int b = 0; b < bs; b++)
                for (int i = 0; i < m; i++)
                {
                    int layer = l, sample = b, row = i;
                    long bias = _biasOffset[l] >= 0 ? Bias(l, i) : -1;
                    if (last) Chain(n, k => (Weight(layer, row, k), In(layer, sample, k)), PostOp.Error, Ta(b, i), Ea(b, i), bias);
                    else Chain(n, k => (Weight(layer, row, k), In(layer, sample, k)), PostOp.Relu, 0, Ha(l, b, i), bias);
                }
        }
        // Backward: d_{l-1}[j] = ReLU'(z_{l-1}[j]) * Rescale_f(sum_i W_l[i,j] d_l[i]).
        for (int l = layers - 1; l >= 1; l--)
        {
            int n = net.FanIn(l), m = net.Layers[l].Width;
            for (int b = 0; b < bs; b++)
                for (int j = 0; j < n; j++)
                {
                    int layer = l, sample = b, col = j;
                    Chain(m, i => (Weight(layer, i, col), Da(layer, sample, i)), PostOp.Backward, Ha(l - 1, b, j), Da(l - 1, b, j));
                }
        }
        // Updates, last layer first: W' = W - Rescale_{f+s}(eta sum_b d h), b' = b - Rescale_{f+s}(eta sum_b d 2^f).
        for (int l = layers - 1; l >= 0; l--)
        {
            int n = net.FanIn(l), m = net.Layers[l].Width;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    int layer = l, row = i, col = j;
                    Chain(bs, b => (Da(layer, b, row), In(layer, b, col)), PostOp.Update, Weight(l, i, j), AddressWeightsAfter + Weight(l, i, j));
                }
            if (_biasOffset[l] < 0) continue;
            for (int i = 0; i < m; i++)
            {
                int layer = l, row = i;
                Chain(bs, b => (Da(layer, b, row), one), PostOp.Update, Bias(l, i), AddressWeightsAfter + Bias(l, i));
            }
        }
        ConstantReads = constantReads;
        if (Macs.Count >= rows) throw new InvalidOperationException("Program does not fit the trace.");
    }

    /// <summary>
    /// The program's periodic columns (<see cref="StepPeriodic"/>), then, only with biases, the constant's write multiplicity
    /// (<see cref="ConstantReads"/> on row 0), so a network without biases has exactly the two-layer AIR's columns.
    /// </summary>
    public PeriodicColumn[] PeriodicColumns()
    {
        int n = Rows;
        var columns = new Goldilocks[Columns<StepPeriodic>.Count][];
        for (int i = 0; i < columns.Length; i++) columns[i] = new Goldilocks[n];
        var cols = new Columns<StepPeriodic>(columns);
        columns[Row<Goldilocks, StepPeriodic>.Index(StepPeriodic.Table)] = Enumerable.Range(0, TrainingStepAir.TableSize).Select(v => Goldilocks.FromUInt64((ulong)v)).ToArray();
        var one = Goldilocks.One;
        for (int r = 0; r < n; r++)
        {
            cols[StepPeriodic.Row][r] = Goldilocks.FromUInt64((ulong)r);
            if (r < WeightCount) cols[StepPeriodic.IsW][r] = one;
            if (r < BatchCount) cols[StepPeriodic.IsX][r] = one;
            bool nextStart = r + 1 >= Macs.Count || Macs[r + 1].Start; // padding rows restart the accumulator
            if (r == n - 1) nextStart = true;
            cols[StepPeriodic.StartNext][r] = nextStart ? one : Goldilocks.Zero;
            if (r >= Macs.Count) continue;
            var m = Macs[r];
            cols[StepPeriodic.IsMac][r] = one;
            cols[StepPeriodic.AddrA][r] = Goldilocks.FromUInt64((ulong)m.AddrA);
            cols[StepPeriodic.AddrB][r] = Goldilocks.FromUInt64((ulong)m.AddrB);
            cols[StepPeriodic.AddrC][r] = Goldilocks.FromUInt64((ulong)m.AddrC);
            cols[StepPeriodic.AddrO][r] = Goldilocks.FromUInt64((ulong)m.AddrO);
            if (m.Op == PostOp.None) continue;
            cols[StepPeriodic.IsEnd][r] = one;
            var opCol = m.Op switch
            {
                PostOp.Relu => StepPeriodic.OpRelu, PostOp.Error => StepPeriodic.OpErr,
                PostOp.Backward => StepPeriodic.OpDh, _ => StepPeriodic.OpUpd,
            };
            cols[opCol][r] = one;
            if (m.Op != PostOp.Update) cols[StepPeriodic.IsSmall][r] = one;
            if (m.Op is PostOp.Error or PostOp.Update) cols[StepPeriodic.ReadC][r] = one;
        }
        string[] names = ["range table", "row", "addr a", "addr b", "addr c", "addr out", "next starts chain", "chain end", "op relu", "op error", "op backward", "op update", "small rescale", "mac", "weight row", "batch row", "read c"];
        var periodic = names.Select((name, i) => new PeriodicColumn(name, columns[i]));
        if (!HasBiases) return periodic.ToArray();
        var constant = new Goldilocks[n];
        constant[0] = Goldilocks.FromUInt64((ulong)ConstantReads);
        return [.. periodic, new PeriodicColumn("constant reads", constant)];
    }
}
