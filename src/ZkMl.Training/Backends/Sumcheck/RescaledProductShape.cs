using ZkMl.Common;

namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// The shape of Z = Rescale_Shift(Multiplier A W^T) with A [Rows x Inner] and W [Columns x Inner], every quotient in
/// ValueBits signed bits. A is committed row-major as [Rows x Inner], or as [Inner x Rows] when <see cref="TransposeA"/>;
/// W as [Columns x Inner], or as [Inner x Columns] when <see cref="TransposeW"/> (so the backward products E^T H and
/// D^T X use the stored activations directly). All tables are padded with zeros to powers of two in each dimension.
/// </summary>
internal sealed record RescaledProductShape(int Rows, int Inner, int Columns, int Shift, int ValueBits,
    bool TransposeA = false, bool TransposeW = false, long Multiplier = 1)
{
    internal int RowVariables => BitMath.CeilingLog2(Rows);
    internal int InnerVariables => BitMath.CeilingLog2(Inner);
    internal int ColumnVariables => BitMath.CeilingLog2(Columns);
    internal int PaddedRows => 1 << RowVariables;
    internal int PaddedInner => 1 << InnerVariables;
    internal int PaddedColumns => 1 << ColumnVariables;
    internal int OutputVariables => RowVariables + ColumnVariables;

    /// <summary>A's value at (row i, inner k) in its stored (unpadded or padded, per <paramref name="rows"/> and <paramref name="inner"/>) layout.</summary>
    internal long A(ReadOnlySpan<long> a, int i, int k, int rows, int inner) => TransposeA ? a[k * rows + i] : a[i * inner + k];

    /// <summary>W's value at (column j, inner k) in its stored layout.</summary>
    internal long W(ReadOnlySpan<long> w, int j, int k, int columns, int inner) => TransposeW ? w[k * columns + j] : w[j * inner + k];

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
        if (Multiplier < 1 || Multiplier > 1 << 20) throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "The multiplier takes 1..2^20.");
        if (Shift + ValueBits > 62) throw new ArgumentOutOfRangeException(nameof(Shift), "Shift + ValueBits must be at most 62 (the quotient and remainder must not wrap modulo p).");
        if (RowVariables + InnerVariables > 24 || OutputVariables > 24 || ColumnVariables + InnerVariables > 24)
            throw new ArgumentOutOfRangeException(nameof(Rows), "A padded table exceeds 2^24 entries.");
    }
}
