using System.Runtime.CompilerServices;

namespace ZkMl.Training.Air;

/// <summary>A row of an AIR's trace (or its periodic values) read through the AIR's typed column layout <typeparamref name="TColumn"/>.</summary>
internal readonly ref struct Row<TF, TColumn>(ReadOnlySpan<TF> values) where TColumn : struct, Enum
{
    private readonly ReadOnlySpan<TF> _values = values;

    /// <summary>The value of <paramref name="column"/>.</summary>
    public TF this[TColumn column] => _values[Index(column)];

    /// <summary>The column's position (enum layouts are int-backed and start at 0).</summary>
    public static int Index(TColumn column) => Unsafe.As<TColumn, int>(ref column);
}
