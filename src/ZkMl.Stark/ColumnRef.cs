namespace ZkMl.Stark;

/// <summary>Reference to a main trace column or a periodic column.</summary>
public readonly record struct ColumnRef(bool IsPeriodic, int Index)
{
    /// <summary>Main trace column <paramref name="index"/>.</summary>
    public static ColumnRef Main(int index) => new(false, index);
    /// <summary>Periodic column <paramref name="index"/>.</summary>
    public static ColumnRef Periodic(int index) => new(true, index);
}
