using ZkMl.Field;

namespace ZkMl.Stark;

/// <summary>A column known to the verifier whose values repeat with a power-of-two period dividing the trace length.</summary>
public sealed record PeriodicColumn(string Name, Goldilocks[] Values);
