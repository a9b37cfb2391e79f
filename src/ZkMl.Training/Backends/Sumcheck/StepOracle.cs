namespace ZkMl.Training.Backends.Sumcheck;

/// <summary>
/// A polynomial a step's blocks make claims about: a part of a public commitment (a weight state's W_l or b_l), a table of
/// the private stack, a limb table (also in the stack, range-checked by the shared lookup), or a table the verifier knows
/// and evaluates itself (the bias decrements' operand). <see cref="Index"/> counts registrations of its kind.
/// </summary>
internal readonly record struct StepOracle(StepOracle.Kinds Kind, int Index)
{
    /// <summary>Where the polynomial lives.</summary>
    internal enum Kinds { Public, Private, Limbs, Known }
}
