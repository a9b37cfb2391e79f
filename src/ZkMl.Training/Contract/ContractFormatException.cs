namespace ZkMl.Training.Contract;

/// <summary>
/// A training contract (or a record bound to one) is malformed, non-canonical, exceeds a <see cref="ContractLimits"/> limit,
/// or has a field outside its allowed range. <see cref="Field"/> names the offending field.
/// </summary>
public sealed class ContractFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/>.</summary>
    public ContractFormatException(string field, string message) : base($"{field}: {message}") => Field = field;

    /// <summary>The field (property name of <see cref="TrainingContract"/>, or a structural name such as "Magic").</summary>
    public string Field { get; }
}
