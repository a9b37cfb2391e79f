namespace ZkMl.Stark;

/// <summary>
/// A transition constraint's metadata: a polynomial in the current and next rows (and periodic columns) that must vanish.
/// Derived by <see cref="ConstraintBuilder{TF}"/> from the AIR's <see cref="Air.Evaluate{TF}"/>.
/// </summary>
/// <param name="Name">Name used in error messages.</param>
/// <param name="Degree">Total degree of the polynomial in trace and periodic column values.</param>
/// <param name="Domain">The rows on which it must hold.</param>
public sealed record TransitionConstraint(string Name, int Degree, ConstraintDomain Domain = ConstraintDomain.AllButLastRow);
