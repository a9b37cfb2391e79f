using ZkMl.Field;
using ZkMl.Stark;

namespace ZkMl.Training.Air;

/// <summary>A trace (columns of values) indexed through the AIR's typed column layout <typeparamref name="TColumn"/>.</summary>
internal readonly struct Columns<TColumn>(Goldilocks[][] columns) where TColumn : struct, Enum
{
    /// <summary>The underlying columns, in layout order.</summary>
    public Goldilocks[][] Values { get; } = columns;

    /// <summary>The values of <paramref name="column"/>.</summary>
    public Goldilocks[] this[TColumn column] => Values[Row<Goldilocks, TColumn>.Index(column)];

    /// <summary>A main-trace reference to <paramref name="column"/>.</summary>
    public static ColumnRef Main(TColumn column) => ColumnRef.Main(Row<Goldilocks, TColumn>.Index(column));

    /// <summary>A periodic reference to <paramref name="column"/>.</summary>
    public static ColumnRef Periodic(TColumn column) => ColumnRef.Periodic(Row<Goldilocks, TColumn>.Index(column));

    /// <summary>Number of columns in the layout.</summary>
    public static int Count => Enum.GetValues<TColumn>().Length;
}
