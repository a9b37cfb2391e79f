using ZkMl.Common;
using ZkMl.Field;
using ZkMl.Hashing;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Air;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Where the zero-knowledge step keeps its batch membership in the stack (docs/sumcheck-step.md, "Zero-knowledge
/// membership"): the salts [batch x 8], X [batch x inputs] and T [batch x outputs] as private tables (row-major, padded),
/// the offset inputs X+ = X + 2^f on the real entries (a private table of X's size, <see cref="ZeroCheck.InputOffset"/>,
/// every entry in [0, 2^(f+2)) by the step's input lookup: a LogUp of X+ itself in the range table [0, 2^(f+2)), apart
/// from the shared 2^16 limb lookup), its four trace tables in one aligned private table, the input lookup's
/// multiplicities (<see cref="Counts"/>, 2^(f+2) entries), and its mask region inside <see cref="StepMasks"/>. The <see cref="PoseidonSpongeZeroCheck"/> reads its segments
/// in place: the salt, X+ packed <see cref="InputPack"/> entries per element with radix 2^(f+2) (injective because every
/// entry is below the radix and radix^k &lt;= 2^63 &lt; p), T unpacked; that stream is the data set's leaf
/// (<see cref="RowValues"/>). Prover and verifier build the same description from the shape and the registrations; the
/// sponge's layout follows from the stack's layout.
/// </summary>
internal sealed record SpongeMembership(int Rows, StepOracle Salts, StepOracle X, StepOracle XOffset, int XStride, int XCount, int Pack, ulong Radix,
    StepOracle T, int TStride, int TCount, StepOracle Trace, int TraceVariables, StepOracle Counts, int InputBitCount)
{
    /// <summary>Variables of the input lookup's fractional-sum tree (<see cref="ZeroKnowledgeStep.LookupVariables(int, int)"/>).</summary>
    internal int InputLookupVariables(StackLayout stack) => ZeroKnowledgeStep.LookupVariables(stack.Table(XOffset.Index).Variables, InputBitCount);

    /// <summary>The sponge's Libra region (<see cref="PoseidonSpongeLayout.LibraEntries"/>) for its trace tables.</summary>
    internal long LibraEntries => PoseidonSpongeLayout.LibraEntries(TraceVariables - 2);

    /// <summary>The sponge's layout in <paramref name="stack"/> with its masks at <see cref="StepMasks.Sponge"/>.</summary>
    internal PoseidonSpongeLayout Layout(StackLayout stack, StepMasks masks) => new(Rows,
        [
            new PoseidonSpongeSegment(stack.Table(Salts.Index).Offset, BatchMembership.SaltElements, BatchMembership.SaltElements),
            new PoseidonSpongeSegment(stack.Table(XOffset.Index).Offset, XStride, XCount, Pack, Radix),
            new PoseidonSpongeSegment(stack.Table(T.Index).Offset, TStride, TCount),
        ],
        stack.Table(Trace.Index).Offset, masks.Sponge, StepBindingAir.RowDomain);

    /// <summary>Bits of an offset input x + 2^f: |x| &lt;= 2^f (docs/fixed-point.md, "Input quantization") puts it in [0, 2^(f+1)], below 2^(f+2).</summary>
    internal static int InputBits(QuantizedNetworkConfig c) => c.FractionBits + 2;

    /// <summary>Offset inputs per absorbed element: the most k with k (f + 2) &lt;= 63 (radix^k &lt;= 2^63 &lt; p).</summary>
    internal static int InputPack(QuantizedNetworkConfig c) => 63 / InputBits(c);

    /// <summary>Absorbed values per row after the salt: the packed inputs, then the one-hot target.</summary>
    internal static int ValueCount(QuantizedNetworkConfig c) => (c.Network.InputSize + InputPack(c) - 1) / InputPack(c) + c.Network.OutputSize;

    /// <summary>
    /// A row's absorbed values (after its salt): its inputs offset by 2^f and packed <see cref="InputPack"/> per element
    /// with radix 2^(f+2) (least significant first), then its one-hot target at scale 2^f.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An input is outside [-2^f, 2^(f+2) - 2^f), or the label outside the outputs.</exception>
    internal static Goldilocks[] RowValues(QuantizedNetworkConfig c, ReadOnlySpan<long> inputs, int label)
    {
        int n = c.Network.InputSize, outputs = c.Network.OutputSize, pack = InputPack(c), bits = InputBits(c);
        if (inputs.Length != n) throw new ArgumentException($"A row has {n} inputs, got {inputs.Length}.", nameof(inputs));
        if ((uint)label >= (uint)outputs) throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels are in [0, {outputs}).");
        var values = new Goldilocks[ValueCount(c)];
        for (int i = 0; i < n; i++)
        {
            long v = inputs[i] + (1L << c.FractionBits);
            if (v < 0 || v >= 1L << bits) throw new ArgumentOutOfRangeException(nameof(inputs), inputs[i], $"An input outside [-2^{c.FractionBits}, 2^{bits} - 2^{c.FractionBits}).");
            values[i / pack] += Goldilocks.FromUInt64((ulong)v << (bits * (i % pack)));
        }
        int at = (n + pack - 1) / pack;
        for (int o = 0; o < outputs; o++) values[at + o] = Goldilocks.FromInt64(FixedPoint.Target(o, label, c.FractionBits));
        return values;
    }

    /// <summary>Variables of the salt table: the padded batch rows times 8.</summary>
    internal static int SaltVariables(QuantizedNetworkConfig c) => BitMath.CeilingLog2(c.BatchSize) + 3;

    /// <summary>Variables of X (and of X+).</summary>
    internal static int InputVariables(QuantizedNetworkConfig c)
    {
        var first = StepTables.ShapesFor(c)[0];
        return first.RowVariables + first.InnerVariables;
    }

    /// <summary>Variables of the private table holding the four trace tables (Y, A, B, D).</summary>
    internal static int TraceTableVariables(QuantizedNetworkConfig c) => PoseidonSpongeLayout.TableVariables(c.BatchSize, ValueCount(c)) + 2;

    /// <summary>
    /// The membership of a step whose X and T oracles are registered, registering the salt table (<paramref name="addSalts"/>),
    /// X+ (<paramref name="addOffset"/>), the trace table (<paramref name="addTrace"/>) and then the input lookup's
    /// multiplicities (<paramref name="addCounts"/>), each given its variables.
    /// </summary>
    internal static SpongeMembership Register(QuantizedNetworkConfig c, StepOracle x, StepOracle t, Func<int, StepOracle> addSalts, Func<int, StepOracle> addOffset,
        Func<int, StepOracle> addTrace, Func<int, StepOracle> addCounts)
    {
        var shapes = StepTables.ShapesFor(c);
        var (first, last) = (shapes[0], shapes[StepTables.Forward(c.Network.Layers.Count - 1)]);
        var salts = addSalts(SaltVariables(c));
        var offset = addOffset(InputVariables(c));
        int traceVariables = TraceTableVariables(c);
        var trace = addTrace(traceVariables);
        var counts = addCounts(InputBits(c));
        return new SpongeMembership(c.BatchSize, salts, x, offset, first.PaddedInner, c.Network.InputSize, InputPack(c), 1UL << InputBits(c),
            t, last.PaddedColumns, c.Network.OutputSize, trace, traceVariables, counts, InputBits(c));
    }

    /// <summary>X+ = X + 2^f on the real entries (rows &lt; batch, columns &lt; inputs), zero on the padding.</summary>
    internal static long[] OffsetInputs(QuantizedNetworkConfig c, StepTables tables)
    {
        var first = tables.Shapes[0];
        var table = new long[tables.X.Length];
        for (int b = 0; b < c.BatchSize; b++)
            for (int i = 0; i < c.Network.InputSize; i++)
                table[b * first.PaddedInner + i] = tables.X[b * first.PaddedInner + i] + (1L << c.FractionBits);
        return table;
    }

    /// <summary>
    /// The input lookup's multiplicities: entry v counts the X+ entries equal to v in [0, 2^(f+2)). An entry outside the
    /// range (a cheating prover's, in tests) is left uncounted: the lookup then fails.
    /// </summary>
    internal static Goldilocks[] InputCounts(QuantizedNetworkConfig c, long[] offsetInputs)
    {
        var counts = new ulong[1 << InputBits(c)];
        foreach (long v in offsetInputs)
            if ((ulong)v < (ulong)counts.Length) counts[v]++;
        return [.. counts.Select(Goldilocks.FromUInt64)];
    }

    /// <summary>The batch rows' digests (<see cref="BatchMembership.RowDigest"/>) from the step's padded X and T and the rows' salts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input outside the packing's range (as <see cref="BatchMembership.RowDigest"/>).</exception>
    internal static Goldilocks[][] Digests(QuantizedNetworkConfig c, StepTables tables, IReadOnlyList<Goldilocks[]> salts)
    {
        if (salts.Count != c.BatchSize) throw new ArgumentException("One salt per batch row.", nameof(salts));
        int inputs = c.Network.InputSize, outputs = c.Network.OutputSize;
        var (first, last) = (tables.Shapes[0], tables.Shapes[StepTables.Forward(c.Network.Layers.Count - 1)]);
        var digests = new Goldilocks[c.BatchSize][];
        // A row the data set refuses (an input outside the packing's range) throws its typed exception, not an aggregate.
        Parallelism.For(0, c.BatchSize, b =>
        {
            int label = 0;
            for (int o = 0; o < outputs; o++) if (tables.T[b * last.PaddedColumns + o] != 0) label = o;
            digests[b] = BatchMembership.RowDigest(c, tables.X.AsSpan(b * first.PaddedInner, inputs), label, salts[b]);
        });
        return digests;
    }

    /// <summary>The padded salt table [batch x 8] of the batch rows' salts.</summary>
    internal static Goldilocks[] SaltTable(QuantizedNetworkConfig c, IReadOnlyList<Goldilocks[]> salts)
    {
        if (salts.Count != c.BatchSize) throw new ArgumentException("One salt per batch row.", nameof(salts));
        var table = new Goldilocks[1 << SaltVariables(c)];
        for (int b = 0; b < salts.Count; b++)
        {
            if (salts[b].Length != BatchMembership.SaltElements) throw new ArgumentException($"A row salt has {BatchMembership.SaltElements} elements.", nameof(salts));
            salts[b].CopyTo(table, b * BatchMembership.SaltElements);
        }
        return table;
    }
}
