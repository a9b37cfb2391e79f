namespace ZkMl.Fuzz;

/// <summary>An input made a target exceed its memory or time bound (a finding, like an undocumented exception).</summary>
internal sealed class FuzzContractViolationException(string message) : Exception(message);
