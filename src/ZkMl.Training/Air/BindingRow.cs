namespace ZkMl.Training.Air;

/// <summary>A row of <see cref="StepBindingAir"/>'s trace read through its named columns (<see cref="BindingColumn"/>).</summary>
internal readonly ref struct BindingRow<TF>(ReadOnlySpan<TF> values)
{
    private readonly ReadOnlySpan<TF> _values = values;

    /// <summary>State lane <paramref name="lane"/> (the round's input).</summary>
    public TF State(int lane) => _values[Column(BindingColumn.State, lane)];
    /// <summary>(state + round constant)^3 of lane <paramref name="lane"/>.</summary>
    public TF Cube(int lane) => _values[Column(BindingColumn.Cube, lane)];
    /// <summary>(state + round constant)^7 of lane <paramref name="lane"/>.</summary>
    public TF Seventh(int lane) => _values[Column(BindingColumn.Seventh, lane)];
    /// <summary>Absorbed lane <paramref name="lane"/> (on Merkle link rows, lanes 0..3 are the sibling).</summary>
    public TF Absorbed(int lane) => _values[Column(BindingColumn.Absorb, lane)];
    /// <summary>The Merkle path bit (on link rows).</summary>
    public TF Bit => _values[Column(BindingColumn.Bit)];

    /// <summary>The trace column of lane <paramref name="lane"/> of the group starting at <paramref name="group"/>.</summary>
    public static int Column(BindingColumn group, int lane = 0) => (int)group + lane;
}
