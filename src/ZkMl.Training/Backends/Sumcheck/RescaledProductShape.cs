using ZkMl.Common;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The shape of Z = Rescale_Shift(A W^T) with A [Rows x Inner] and W [Columns x Inner] (both row-major), every
/// quotient in ValueBits signed bits. All tables are padded with zeros to powers of two in each dimension.
/// </summary>
internal sealed record RescaledProductShape(int Rows, int Inner, int Columns, int Shift, int ValueBits)
{
    internal int RowVariables => BitMath.CeilingLog2(Rows);
    internal int InnerVariables => BitMath.CeilingLog2(Inner);
    internal int ColumnVariables => BitMath.CeilingLog2(Columns);
    internal int PaddedRows => 1 << RowVariables;
    internal int PaddedInner => 1 << InnerVariables;
    internal int PaddedColumns => 1 << ColumnVariables;
    internal int OutputVariables => RowVariables + ColumnVariables;

    /// <exception cref="ArgumentOutOfRangeException">A dimension or width is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rows, 1, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(Inner, 1, nameof(Inner));
        ArgumentOutOfRangeException.ThrowIfLessThan(Columns, 1, nameof(Columns));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Rows, 1 << 16, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Inner, 1 << 16, nameof(Inner));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Columns, 1 << 16, nameof(Columns));
        if (Shift < 1 || Shift > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(Shift), Shift, $"Shift takes 1..{RangeLimbs.MaxBits}.");
        if (ValueBits < 2 || ValueBits > RangeLimbs.MaxBits) throw new ArgumentOutOfRangeException(nameof(ValueBits), ValueBits, $"ValueBits takes 2..{RangeLimbs.MaxBits}.");
        if (Shift + ValueBits > 62) throw new ArgumentOutOfRangeException(nameof(Shift), "Shift + ValueBits must be at most 62 (the quotient and remainder must not wrap modulo p).");
        if (RowVariables + InnerVariables > 24 || OutputVariables > 24 || ColumnVariables + InnerVariables > 24)
            throw new ArgumentOutOfRangeException(nameof(Rows), "A padded table exceeds 2^24 entries.");
    }
}
