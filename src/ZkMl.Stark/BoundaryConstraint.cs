using ZkMl.Field;

namespace ZkMl.Stark;

/// <summary>Trace column <paramref name="Column"/> must equal <paramref name="Value"/> at row <paramref name="Row"/>.</summary>
public sealed record BoundaryConstraint(string Name, int Column, int Row, Goldilocks Value);
