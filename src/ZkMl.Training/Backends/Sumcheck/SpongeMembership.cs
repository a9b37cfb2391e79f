using ZkMl.Common;
using ZkMl.Models;
using ZkMl.Sumcheck;
using ZkMl.Training.Air;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// Where the zero-knowledge step keeps its batch membership in the stack (docs/sumcheck-step.md, "Zero-knowledge
/// membership"): the salts [batch x 8], X [batch x inputs] and T [batch x outputs] as private tables (row-major, padded),
/// read in place by the <see cref="PoseidonSpongeZeroCheck"/>'s segments (salt, X row, T row: the data set's leaf,
/// <see cref="BatchMembership.RowDigest"/>), its four trace tables in one aligned private table, and its mask region
/// inside <see cref="StepMasks"/>. Prover and verifier build the same description from the shape and the registrations;
/// the sponge's layout then follows from the stack's layout.
/// </summary>
internal sealed record SpongeMembership(int Rows, StepOracle Salts, StepOracle X, int XStride, int XCount, StepOracle T, int TStride, int TCount,
    StepOracle Trace, int TraceVariables)
{
    /// <summary>The sponge's Libra region (<see cref="PoseidonSpongeLayout.LibraEntries"/>) for its trace tables.</summary>
    internal long LibraEntries => PoseidonSpongeLayout.LibraEntries(TraceVariables - 2);

    /// <summary>The sponge's layout in <paramref name="stack"/> with its masks at <see cref="StepMasks.Sponge"/>.</summary>
    internal PoseidonSpongeLayout Layout(StackLayout stack, StepMasks masks) => new(Rows,
        [
            new PoseidonSpongeSegment(stack.Table(Salts.Index).Offset, BatchMembership.SaltElements, BatchMembership.SaltElements),
            new PoseidonSpongeSegment(stack.Table(X.Index).Offset, XStride, XCount),
            new PoseidonSpongeSegment(stack.Table(T.Index).Offset, TStride, TCount),
        ],
        stack.Table(Trace.Index).Offset, masks.Sponge, StepBindingAir.RowDomain);

    /// <summary>Variables of the salt table: the padded batch rows times 8.</summary>
    internal static int SaltVariables(QuantizedNetworkConfig c) => BitMath.CeilingLog2(c.BatchSize) + 3;

    /// <summary>Variables of the private table holding the four trace tables (Y, A, B, D).</summary>
    internal static int TraceTableVariables(QuantizedNetworkConfig c) =>
        PoseidonSpongeLayout.TableVariables(c.BatchSize, c.Network.InputSize + c.Network.OutputSize) + 2;

    /// <summary>
    /// The membership of a step whose X and T oracles are registered, registering the salt table (<paramref name="addSalts"/>)
    /// and then the trace table (<paramref name="addTrace"/>), each given its variables.
    /// </summary>
    internal static SpongeMembership Register(QuantizedNetworkConfig c, StepOracle x, StepOracle t, Func<int, StepOracle> addSalts, Func<int, StepOracle> addTrace)
    {
        var shapes = StepTables.ShapesFor(c);
        var (first, last) = (shapes[0], shapes[StepTables.Forward(c.Network.Layers.Count - 1)]);
        var salts = addSalts(SaltVariables(c));
        int traceVariables = TraceTableVariables(c);
        var trace = addTrace(traceVariables);
        return new SpongeMembership(c.BatchSize, salts, x, first.PaddedInner, c.Network.InputSize, t, last.PaddedColumns, c.Network.OutputSize, trace, traceVariables);
    }

    /// <summary>The batch rows' digests (<see cref="BatchMembership.RowDigest"/>) from the step's padded X and T and the rows' salts.</summary>
    internal static ZkMl.Field.Goldilocks[][] Digests(QuantizedNetworkConfig c, StepTables tables, IReadOnlyList<ZkMl.Field.Goldilocks[]> salts)
    {
        if (salts.Count != c.BatchSize) throw new ArgumentException("One salt per batch row.", nameof(salts));
        int inputs = c.Network.InputSize, outputs = c.Network.OutputSize;
        var (first, last) = (tables.Shapes[0], tables.Shapes[StepTables.Forward(c.Network.Layers.Count - 1)]);
        var digests = new ZkMl.Field.Goldilocks[c.BatchSize][];
        Parallel.For(0, c.BatchSize, b =>
        {
            var values = new ZkMl.Field.Goldilocks[inputs + outputs];
            for (int i = 0; i < inputs; i++) values[i] = ZkMl.Field.Goldilocks.FromInt64(tables.X[b * first.PaddedInner + i]);
            for (int o = 0; o < outputs; o++) values[inputs + o] = ZkMl.Field.Goldilocks.FromInt64(tables.T[b * last.PaddedColumns + o]);
            digests[b] = ZkMl.Hashing.GoldilocksPoseidon.HashSalted(salts[b], values, StepBindingAir.RowDomain);
        });
        return digests;
    }

    /// <summary>The padded salt table [batch x 8] of the batch rows' salts.</summary>
    internal static ZkMl.Field.Goldilocks[] SaltTable(QuantizedNetworkConfig c, IReadOnlyList<ZkMl.Field.Goldilocks[]> salts)
    {
        if (salts.Count != c.BatchSize) throw new ArgumentException("One salt per batch row.", nameof(salts));
        var table = new ZkMl.Field.Goldilocks[1 << SaltVariables(c)];
        for (int b = 0; b < salts.Count; b++)
        {
            if (salts[b].Length != BatchMembership.SaltElements) throw new ArgumentException($"A row salt has {BatchMembership.SaltElements} elements.", nameof(salts));
            salts[b].CopyTo(table, b * BatchMembership.SaltElements);
        }
        return table;
    }
}
