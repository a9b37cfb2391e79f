using ZkMl.Field;

namespace ZkMl.Circuits;

/// <summary>One term <c>Coefficient * w[Wire]</c> of a linear combination.</summary>
/// <typeparam name="T">The field.</typeparam>
/// <param name="Wire">Wire index (0 is the constant one).</param>
/// <param name="Coefficient">Non-zero coefficient.</param>
public readonly record struct Term<T>(int Wire, T Coefficient) where T : struct, IPrimeField<T>;
