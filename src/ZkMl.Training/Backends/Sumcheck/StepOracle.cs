namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A polynomial a step's blocks make claims about: a public commitment (<see cref="Public"/> &gt;= 0, its index in
/// registration order) or a table of the private stack (<see cref="Private"/> &gt;= 0, or <see cref="Limbs"/> &gt;= 0
/// for a limb table).
/// </summary>
internal readonly record struct StepOracle(int Public, int Private, int Limbs)
{
    internal static StepOracle ForPublic(int i) => new(i, -1, -1);
    internal static StepOracle ForPrivate(int i) => new(-1, i, -1);
    internal static StepOracle ForLimbs(int i) => new(-1, -1, i);
}
