using ZkMl.Field;

namespace ZkMl.Sumcheck;

/// <summary>
/// The matrix-product sumcheck (Thaler): for C = A B, the claim C~(r_row, r_col) = v is the sum over k of
/// A~(r_row, k) B~(k, r_col), a two-factor sumcheck over the inner dimension. It reduces the claim to
/// A~(r_row, r_k) and B~(r_k, r_col) at one random r_k. The prover first contracts A with eq(r_row, .) and B
/// with eq(., r_col), so its work is linear in the sizes of A and B (C is not needed), not in the multiplications.
/// The points r_row and r_col must come from the transcript after C (or its commitment) was absorbed.
/// </summary>
public static class MatrixProductSumcheck
{
    /// <summary>
    /// Proves C~(<paramref name="rowPoint"/>, <paramref name="columnPoint"/>) = sum_k A~(rowPoint, k) B~(k, columnPoint).
    /// The result's claim is that value; its reduction's point is r_k and its evaluations are
    /// A~(rowPoint, r_k) and B~(r_k, columnPoint), in that order.
    /// </summary>
    public static SumcheckProverResult Prove(Transcript transcript, MatrixShape shape, ReadOnlySpan<Goldilocks> a, ReadOnlySpan<Goldilocks> b,
        ReadOnlySpan<GoldilocksExt2> rowPoint, ReadOnlySpan<GoldilocksExt2> columnPoint)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        CheckShape(shape, rowPoint.Length, columnPoint.Length);
        if (a.Length != shape.Rows * shape.Inner) throw new ArgumentException("A is not Rows x Inner.", nameof(a));
        if (b.Length != shape.Inner * shape.Columns) throw new ArgumentException("B is not Inner x Columns.", nameof(b));
        var left = new GoldilocksExt2[1 << shape.InnerVariables];
        var right = new GoldilocksExt2[1 << shape.InnerVariables];
        using (SumcheckTelemetry.Telemetry.Phase("matmul.contract"))
        {
            CombineRows(a, shape.Rows, shape.Inner, Multilinear.EqTable(rowPoint), left);
            CombineColumns(b, shape.Inner, shape.Columns, Multilinear.EqTable(columnPoint), right);
        }
        Begin(transcript, shape);
        return ProductSumcheck.ProveInPlace(transcript, left, right);
    }

    /// <summary>
    /// Verifies that <paramref name="claim"/> = sum_k A~(rowPoint, k) B~(k, columnPoint). On success the reduction's
    /// evaluations are the prover's A~(rowPoint, r_k) and B~(r_k, columnPoint), which the caller must check.
    /// </summary>
    public static bool Verify(Transcript transcript, MatrixShape shape, GoldilocksExt2 claim, SumcheckProof proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SumcheckReduction? reduction)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        Begin(transcript, shape);
        return ProductSumcheck.Verify(transcript, shape.InnerVariables, 2, claim, proof, out reduction);
    }

    /// <summary>As <see cref="Verify(Transcript, MatrixShape, GoldilocksExt2, SumcheckProof, out SumcheckReduction)"/> for proof bytes.</summary>
    /// <exception cref="ProofFormatException">The bytes do not decode.</exception>
    public static bool Verify(Transcript transcript, MatrixShape shape, GoldilocksExt2 claim, ReadOnlySpan<byte> proof,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SumcheckReduction? reduction) =>
        Verify(transcript, shape, claim, SumcheckProof.FromBytes(proof), out reduction);

    /// <summary>
    /// M~(rowPoint, columnPoint) for a row-major <paramref name="rows"/> x <paramref name="columns"/> matrix padded with
    /// zeros to powers of two, in O(rows x columns) without materialising the padding.
    /// </summary>
    public static GoldilocksExt2 EvaluateMatrix(ReadOnlySpan<Goldilocks> matrix, int rows, int columns,
        ReadOnlySpan<GoldilocksExt2> rowPoint, ReadOnlySpan<GoldilocksExt2> columnPoint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (rowPoint.Length != Common.BitMath.CeilingLog2(rows) || columnPoint.Length != Common.BitMath.CeilingLog2(columns))
            throw new ArgumentException("Point dimensions do not match the matrix.");
        if ((long)rows * columns != matrix.Length) throw new ArgumentException("The matrix is not rows x columns.", nameof(matrix));
        var combined = new GoldilocksExt2[columns];
        CombineRows(matrix, rows, columns, Multilinear.EqTable(rowPoint), combined);
        var eq = Multilinear.EqTable(columnPoint);
        GoldilocksExt2 sum = GoldilocksExt2.Zero;
        for (int j = 0; j < columns; j++) sum += combined[j] * eq[j];
        return sum;
    }

    private static void Begin(Transcript transcript, MatrixShape shape)
    {
        Span<Goldilocks> dimensions = [Goldilocks.FromUInt64((ulong)shape.Rows), Goldilocks.FromUInt64((ulong)shape.Inner), Goldilocks.FromUInt64((ulong)shape.Columns)];
        transcript.Absorb("matmul.shape", dimensions);
    }

    private static void CheckShape(MatrixShape shape, int rowVariables, int columnVariables)
    {
        if (shape.Rows == 0) throw new ArgumentException("Uninitialised shape.", nameof(shape));
        if (rowVariables != shape.RowVariables) throw new ArgumentException($"The row point has {rowVariables} coordinates, expected {shape.RowVariables}.");
        if (columnVariables != shape.ColumnVariables) throw new ArgumentException($"The column point has {columnVariables} coordinates, expected {shape.ColumnVariables}.");
    }

    /// <summary>destination[k] = sum_{i &lt; rows} eq[i] M[i, k] for k &lt; columns (entries past columns are left as they are).</summary>
    private static unsafe void CombineRows(ReadOnlySpan<Goldilocks> matrix, int rows, int columns, GoldilocksExt2[] eq, Span<GoldilocksExt2> destination)
    {
        // Parallel over column ranges: each chunk walks every row but only its own columns, so no two write the same entry.
        fixed (Goldilocks* pinned = matrix)
        fixed (GoldilocksExt2* pinnedDestination = destination)
        {
            Goldilocks* m = pinned;
            GoldilocksExt2* d = pinnedDestination;
            int minimumColumns = Math.Max(1, Multilinear.ParallelThreshold / rows);
            Common.ParallelChunks.For(columns, minimumColumns, (from, to) =>
            {
                var target = new Span<GoldilocksExt2>(d + from, to - from);
                target.Clear();
                for (int i = 0; i < rows; i++)
                {
                    var row = new ReadOnlySpan<Goldilocks>(m + (long)i * columns + from, to - from);
                    GoldilocksExt2 weight = eq[i];
                    for (int k = 0; k < row.Length; k++) target[k] += weight * row[k];
                }
            });
        }
    }

    /// <summary>destination[k] = sum_{j &lt; columns} M[k, j] eq[j] for k &lt; rows.</summary>
    private static unsafe void CombineColumns(ReadOnlySpan<Goldilocks> matrix, int rows, int columns, GoldilocksExt2[] eq, Span<GoldilocksExt2> destination)
    {
        fixed (Goldilocks* pinned = matrix)
        fixed (GoldilocksExt2* pinnedDestination = destination)
        {
            Goldilocks* m = pinned;
            GoldilocksExt2* d = pinnedDestination;
            int minimumRows = Math.Max(1, Multilinear.ParallelThreshold / columns);
            Common.ParallelChunks.For(rows, minimumRows, (from, to) =>
            {
                var weights = eq.AsSpan(0, columns);
                for (int k = from; k < to; k++)
                {
                    var row = new ReadOnlySpan<Goldilocks>(m + (long)k * columns, columns);
                    GoldilocksExt2 sum = GoldilocksExt2.Zero;
                    for (int j = 0; j < columns; j++) sum += weights[j] * row[j];
                    d[k] = sum;
                }
            });
        }
    }
}
