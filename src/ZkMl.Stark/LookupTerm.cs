using ZkMl.Field;

namespace ZkMl.Stark;

/// <summary>
/// One side of a LogUp lookup bus. Per row, an input contributes multiplicity/(beta - v) and a table contributes
/// -multiplicity/(beta - v), where v = bus + gamma*c0 + gamma^2*c1 + ... over <paramref name="Values"/>;
/// the bus is satisfied when all contributions over all rows sum to zero, i.e. every looked-up tuple appears in the
/// table with matching total multiplicity. For inputs the multiplicity is a selector (omitted = every row).
/// </summary>
/// <param name="Name">Name used in error messages.</param>
/// <param name="Bus">Bus identifier separating independent lookups.</param>
/// <param name="IsTable">True for the table side.</param>
/// <param name="Values">The tuple's columns.</param>
/// <param name="Multiplicity">Multiplicity column (tables) or selector (inputs); null means 1 on every row.</param>
/// <param name="Scales">Optional per-value constant factors: tuple entry j is Scales[j] * Values[j] + Offsets[j].</param>
/// <param name="Offsets">Optional per-value constant offsets.</param>
public sealed record LookupTerm(string Name, int Bus, bool IsTable, ColumnRef[] Values, ColumnRef? Multiplicity = null, long[]? Scales = null, long[]? Offsets = null)
{
    /// <summary>The constant factor of tuple entry <paramref name="j"/> (1 without <see cref="Scales"/>).</summary>
    public Goldilocks Scale(int j) => Scales is null ? Goldilocks.One : Goldilocks.FromInt64(Scales[j]);
    /// <summary>The constant offset of tuple entry <paramref name="j"/> (0 without <see cref="Offsets"/>).</summary>
    public Goldilocks Offset(int j) => Offsets is null ? Goldilocks.Zero : Goldilocks.FromInt64(Offsets[j]);
}
