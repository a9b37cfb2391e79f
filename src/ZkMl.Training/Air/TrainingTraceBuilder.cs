using ZkMl.Models;
using ZkMl.Field;
using ZkMl.Stark;
using static ZkMl.Training.Air.StepColumn;
using static ZkMl.Training.Air.TrainingStepAir;

namespace ZkMl.Training.Air;

/// <summary>Executes the training program on integers (the <see cref="QuantizedNetwork"/> semantics) and fills the AIR's trace.</summary>
internal static class TrainingTraceBuilder
{
    internal sealed record Witness(Goldilocks[][] Trace, long[] ParametersAfter, long[] Batch);

    /// <summary>The trace of the step from <paramref name="parameters"/> (<see cref="QuantizedNetwork.Parameters"/> order) on the batch.</summary>
    public static Witness Build(TrainingStepAir air, ReadOnlySpan<long> parameters, ReadOnlySpan<long> inputs, ReadOnlySpan<int> labels)
    {
        var c = air.Config;
        var prog = air.Program;
        int n = air.TraceLength, f = c.FractionBits, fs = f + c.LearningRateShift;
        if (parameters.Length != prog.WeightCount) throw new ArgumentException($"Network {c.Network} has {prog.WeightCount} parameters, got {parameters.Length}.", nameof(parameters));

        long memSize = prog.MemorySize;
        var mem = new long[memSize];
        var sign = new long[memSize];
        var batch = TrainingColumns.BatchValues(c, inputs, labels);
        for (int i = 0; i < parameters.Length; i++) mem[i] = CheckOperand(parameters[i], $"parameter {i}");
        for (int i = 0; i < inputs.Length; i++) CheckOperand(inputs[i], $"input {i}");
        batch.CopyTo(mem, prog.AddressX);
        if (prog.HasBiases) mem[prog.AddressOne] = 1L << f;

        var trace = new Goldilocks[Width][];
        for (int col = 0; col < Width; col++) trace[col] = new Goldilocks[n];
        var t = new Columns<StepColumn>(trace);
        static Goldilocks G(long v) => Goldilocks.FromInt64(v);
        long limb = 1L << LimbBits, mask = limb - 1, qOff = 1L << (c.ValueBits - 1), opOff = 1L << (OperandBits - 1);
        var reads = new int[memSize];
        var signReads = new int[memSize];

        Int128 acc = 0;
        for (int r = 0; r < prog.Macs.Count; r++)
        {
            var m = prog.Macs[r];
            long a = mem[m.AddrA], bv = mem[m.AddrB];
            reads[m.AddrA]++;
            reads[m.AddrB]++;
            acc = (m.Start ? 0 : acc) + (Int128)a * bv;
            t[A][r] = G(a);
            t[B][r] = G(bv);
            t[Acc][r] = FromInt128(acc);
            if (m.Op == PostOp.None) continue;
            long q = 0, rem = 0, o, s = 0, cv = 0;
            switch (m.Op)
            {
                case PostOp.Relu:
                    q = Rescale(acc, f, out rem, c, "hidden z at address", m.AddrO);
                    s = q > 0 ? 1 : 0;
                    o = s * q;
                    long d = s == 1 ? q - 1 : -q;
                    t[D0][r] = G(d & mask); t[D1][r] = G((d >> LimbBits) & mask); t[D2][r] = G(d >> (2 * LimbBits));
                    sign[m.AddrO] = s;
                    break;
                case PostOp.Error:
                    q = Rescale(acc, f, out rem, c, "output z", m.AddrO - prog.AddressE);
                    cv = mem[m.AddrC];
                    reads[m.AddrC]++;
                    o = q - cv;
                    break;
                case PostOp.Backward:
                    s = sign[m.AddrC];
                    signReads[m.AddrC]++;
                    if (s == 1) q = Rescale(acc, f, out rem, c, "backward d at address", m.AddrO);
                    o = q;
                    break;
                default:
                    q = Rescale(acc * c.LearningRateNumerator, fs, out rem, c, "weight update", m.AddrC);
                    cv = mem[m.AddrC];
                    reads[m.AddrC]++;
                    o = cv - q;
                    if (o < c.MinValue || o > c.MaxValue) throw new FixedPointOverflowException($"updated weight {m.AddrC}", o, c.ValueBits);
                    break;
            }
            CheckOperand(o, $"value at address {m.AddrO}");
            mem[m.AddrO] = o;
            long qs = q + qOff, os = o + opOff;
            t[Q][r] = G(q); t[R0][r] = G(rem & mask); t[R1][r] = G(rem >> LimbBits);
            t[Q0][r] = G(qs & mask); t[Q1][r] = G((qs >> LimbBits) & mask); t[Q2][r] = G(qs >> (2 * LimbBits));
            t[O][r] = G(o); t[C][r] = G(cv); t[S][r] = G(s);
            t[O0][r] = G(os & mask); t[O1][r] = G(os >> LimbBits);
        }
        for (int r = prog.Macs.Count; r < n; r++) t[Acc][r] = Goldilocks.Zero;

        // Segments: weights before and after (same layout), batch.
        var parametersAfter = new long[prog.WeightCount];
        for (int r = 0; r < prog.WeightCount; r++)
        {
            long before = mem[r], after = mem[prog.AddressWeightsAfter + r];
            reads[prog.AddressWeightsAfter + r]++;
            parametersAfter[r] = after;
            t[W][r] = G(before);
            t[WN][r] = G(after);
            long ws = before + opOff;
            t[W0][r] = G(ws & mask); t[W1L][r] = G(ws >> LimbBits);
        }
        for (int r = 0; r < prog.BatchCount; r++)
        {
            long xs = batch[r] + opOff;
            t[X][r] = G(batch[r]);
            t[X0][r] = G(xs & mask); t[X1L][r] = G(xs >> LimbBits);
        }
        // Multiplicities.
        for (int r = 0; r < prog.WeightCount; r++) t[MW][r] = G(reads[r]);
        for (int r = 0; r < prog.BatchCount; r++) t[MX][r] = G(reads[prog.AddressX + r]);
        for (int r = 0; r < prog.Macs.Count; r++)
        {
            var m = prog.Macs[r];
            if (m.Op == PostOp.None) continue;
            t[MO][r] = G(reads[m.AddrO]);
            if (m.Op == PostOp.Relu) t[MS][r] = G(signReads[m.AddrO]);
        }
        FillTableMultiplicities(air, trace);
        return new Witness(trace, parametersAfter, batch);
    }

    /// <summary>Counts every range lookup (bus 0) into the table multiplicity column.</summary>
    internal static void FillTableMultiplicities(TrainingStepAir air, Goldilocks[][] t)
    {
        var counts = new long[TableSize];
        int n = air.TraceLength;
        foreach (var term in air.Lookups)
        {
            if (term.Bus != 0 || term.IsTable) continue;
            for (int r = 0; r < n; r++)
            {
                var sel = term.Multiplicity is { } mc ? air.ColumnValue(t, mc, r) : Goldilocks.One;
                if (sel.IsZero) continue;
                var v = (term.Scale(0) * air.ColumnValue(t, term.Values[0], r)).Value;
                if (v < TableSize) counts[v] += (long)sel.Value;
            }
        }
        var table = new Columns<StepColumn>(t)[MT];
        Array.Clear(table);
        for (int v = 0; v < TableSize; v++) table[v] = Goldilocks.FromUInt64((ulong)counts[v]);
    }

    private static long Rescale(Int128 value, int shift, out long remainder, QuantizedNetworkConfig c, string quantity, long index)
    {
        var q = FixedPoint.Rescale(value, shift, out remainder);
        if (q < c.MinValue || q > c.MaxValue) throw new FixedPointOverflowException($"{quantity}[{index}]", q, c.ValueBits);
        return (long)q;
    }

    private static long CheckOperand(long v, string what)
    {
        const long bound = 1L << (OperandBits - 1);
        if (v < -bound || v >= bound)
            throw new NotSupportedException($"{what} = {v} is outside the training AIR's {OperandBits}-bit operand range [-2^{OperandBits - 1}, 2^{OperandBits - 1}) that keeps every sum below p/2.");
        return v;
    }

    // |acc| < 2^62 by the no-wrap bound checked in TrainingStepAir.CheckSupported.
    private static Goldilocks FromInt128(Int128 v) => Goldilocks.FromInt64(checked((long)v));
}
