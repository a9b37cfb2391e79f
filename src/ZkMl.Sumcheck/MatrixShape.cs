using ZkMl.Common;

namespace ZkMl.Sumcheck;

/// <summary>
/// Shapes of C = A B with A of <see cref="Rows"/> x <see cref="Inner"/> and B of <see cref="Inner"/> x
/// <see cref="Columns"/>, row-major. Each dimension is padded with zeros to a power of two for the multilinear
/// extensions, so A~ has <see cref="RowVariables"/> + <see cref="InnerVariables"/> variables (row variables first).
/// </summary>
public readonly record struct MatrixShape
{
    /// <summary>Builds a shape; every dimension is positive and each matrix has fewer than 2^31 entries.</summary>
    public MatrixShape(int rows, int inner, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inner, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if ((long)rows * inner > int.MaxValue || (long)inner * columns > int.MaxValue || (long)rows * columns > int.MaxValue)
            throw new ArgumentException("Matrices of 2^31 or more entries.");
        (Rows, Inner, Columns) = (rows, inner, columns);
    }

    /// <summary>Rows of A and C.</summary>
    public int Rows { get; }
    /// <summary>Columns of A, rows of B: the summed dimension.</summary>
    public int Inner { get; }
    /// <summary>Columns of B and C.</summary>
    public int Columns { get; }

    /// <summary>log2 of the padded row count.</summary>
    public int RowVariables => BitMath.CeilingLog2(Rows);
    /// <summary>log2 of the padded inner dimension: the sumcheck's rounds.</summary>
    public int InnerVariables => BitMath.CeilingLog2(Inner);
    /// <summary>log2 of the padded column count.</summary>
    public int ColumnVariables => BitMath.CeilingLog2(Columns);
}
