using ZkMl.Field;
using ZkMl.Snark.Curves;
using ZkMl.Common;

namespace ZkMl.Snark.Groth16;

/// <summary>One matrix (A or B) of the QAP in compressed-row form over the domain rows.</summary>
internal sealed class SparseRows
{
    public SparseRows(int rowCount, int[] rowStart, int[] signals, Bn254Fr[] values)
    {
        RowCount = rowCount; RowStart = rowStart; Signals = signals; Values = values;
    }

    public int RowCount { get; }
    /// <summary>Entries of row r are [RowStart[r], RowStart[r+1]).</summary>
    public int[] RowStart { get; }
    public int[] Signals { get; }
    public Bn254Fr[] Values { get; }
    public int EntryCount => Signals.Length;

    /// <summary>Builds the row form from (row, signal, value) triples in any order.</summary>
    public static SparseRows FromTriples(int rowCount, ReadOnlySpan<(int Row, int Signal, Bn254Fr Value)> triples)
    {
        var rowStart = new int[rowCount + 1];
        foreach (var t in triples) rowStart[t.Row + 1]++;
        for (int r = 0; r < rowCount; r++) rowStart[r + 1] += rowStart[r];
        var fill = (int[])rowStart.Clone();
        var signals = new int[triples.Length];
        var values = new Bn254Fr[triples.Length];
        foreach (var t in triples)
        {
            int k = fill[t.Row]++;
            signals[k] = t.Signal; values[k] = t.Value;
        }
        return new SparseRows(rowCount, rowStart, signals, values);
    }

    /// <summary>out[row] = Σ value·witness[signal] for rows of the domain (rows past RowCount stay zero).</summary>
    public void Evaluate(ReadOnlySpan<Bn254Fr> witness, Span<Bn254Fr> output)
    {
        output.Clear();
        for (int r = 0; r < RowCount; r++)
        {
            Bn254Fr acc = Bn254Fr.Zero;
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
                acc += Values[k] * witness[Signals[k]];
            output[r] = acc;
        }
    }

    /// <summary>Parallel <see cref="Evaluate"/> over chunks of rows.</summary>
    public void EvaluateParallel(Bn254Fr[] witness, Bn254Fr[] output)
    {
        Array.Clear(output);
        ParallelChunks.For(RowCount, 4096, (from, to) =>
        {
            for (int r = from; r < to; r++)
            {
                Bn254Fr acc = Bn254Fr.Zero;
                for (int k = RowStart[r]; k < RowStart[r + 1]; k++)
                    acc += Values[k] * witness[Signals[k]];
                output[r] = acc;
            }
        });
    }
}
