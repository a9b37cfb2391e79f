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
/// The fixed schedule of the SGD step: memory addresses of every value and the multiply-accumulate rows. Addresses:
/// W1 then W2 (row-major) from 0; the batch (inputs then one-hot targets) from <see cref="AddressX"/>; then h (and its
/// ReLU sign on bus 2), e, dh; updated weights at <see cref="AddressWeightsAfter"/> + the weight's own address.
/// </summary>
internal sealed class TrainingProgram
{
    public QuantizedMlpConfig Config { get; }
    public int Rows { get; }
    public List<MacRow> Macs { get; } = [];
    public int WeightCount => Config.Weights1Count + Config.Weights2Count;
    public int BatchCount => Config.BatchSize * (Config.InputSize + Config.OutputSize);
    public long AddressX => WeightCount;
    public long AddressT => AddressX + Config.BatchSize * Config.InputSize;
    public long AddressH => AddressX + BatchCount;
    public long AddressE => AddressH + Config.BatchSize * Config.HiddenSize;
    public long AddressDh => AddressE + Config.BatchSize * Config.OutputSize;
    public long AddressWeightsAfter => AddressDh + Config.BatchSize * Config.HiddenSize;

    public long W1(int j, int k) => (long)j * Config.InputSize + k;
    public long W2(int i, int j) => Config.Weights1Count + (long)i * Config.HiddenSize + j;
    public long Xa(int b, int k) => AddressX + (long)b * Config.InputSize + k;
    public long Ta(int b, int i) => AddressT + (long)b * Config.OutputSize + i;
    public long Ha(int b, int j) => AddressH + (long)b * Config.HiddenSize + j;
    public long Ea(int b, int i) => AddressE + (long)b * Config.OutputSize + i;
    public long Dha(int b, int j) => AddressDh + (long)b * Config.HiddenSize + j;

    public static int MacCount(QuantizedMlpConfig c) =>
        c.BatchSize * (2 * c.HiddenSize * c.InputSize + 3 * c.OutputSize * c.HiddenSize);

    public static int TraceLengthFor(QuantizedMlpConfig c)
    {
        long need = Math.Max(Math.Max(MacCount(c) + 1L, TrainingStepAir.TableSize), Math.Max((long)c.Weights1Count + c.Weights2Count, (long)c.BatchSize * (c.InputSize + c.OutputSize)));
        if (need > 1 << 24) throw new NotSupportedException("The training step is too large for one trace.");
        return (int)BitOperations.RoundUpToPowerOf2((uint)need);
    }

    public TrainingProgram(QuantizedMlpConfig c, int rows)
    {
        Config = c;
        Rows = rows;
        int n = c.InputSize, h = c.HiddenSize, o = c.OutputSize, bs = c.BatchSize;
        void Chain(int length, Func<int, (long A, long B)> operands, PostOp op, long addrC, long addrO)
        {
            for (int t = 0; t < length; t++)
            {
                var (a, b) = operands(t);
                bool last = t == length - 1;
                Macs.Add(new MacRow(a, b, t == 0, last ? op : PostOp.None, last ? addrC : 0, last ? addrO : 0));
            }
        }
        for (int b = 0; b < bs; b++)
            for (int j = 0; j < h; j++)
                Chain(n, k => (W1(j, k), Xa(b, k)), PostOp.Relu, 0, Ha(b, j));
        for (int b = 0; b < bs; b++)
            for (int i = 0; i < o; i++)
                Chain(h, j => (W2(i, j), Ha(b, j)), PostOp.Error, Ta(b, i), Ea(b, i));
        for (int b = 0; b < bs; b++)
            for (int j = 0; j < h; j++)
                Chain(o, i => (W2(i, j), Ea(b, i)), PostOp.Backward, Ha(b, j), Dha(b, j));
        for (int i = 0; i < o; i++)
            for (int j = 0; j < h; j++)
                Chain(bs, b => (Ea(b, i), Ha(b, j)), PostOp.Update, W2(i, j), AddressWeightsAfter + W2(i, j));
        for (int j = 0; j < h; j++)
            for (int k = 0; k < n; k++)
                Chain(bs, b => (Dha(b, j), Xa(b, k)), PostOp.Update, W1(j, k), AddressWeightsAfter + W1(j, k));
        if (Macs.Count >= rows) throw new InvalidOperationException("Program does not fit the trace.");
    }

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
        return names.Select((name, i) => new PeriodicColumn(name, columns[i])).ToArray();
    }
}
