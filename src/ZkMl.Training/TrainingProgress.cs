namespace ZkMl.Training;

/// <summary>Progress of a long training, setup or proving run.</summary>
/// <param name="Phase">"setup" while generating keys (Done/Total in thousandths of the setup), "train" while training and
/// committing (states committed), "prove" while proving (steps proven, and <see cref="StepFraction"/> of the step being
/// proven), "verify" while verifying (steps verified).</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in the phase.</param>
public readonly record struct TrainingProgress(string Phase, int Done, int Total)
{
    /// <summary>While proving: the fraction (0 to 1) of the step after the <see cref="Done"/> proven ones that is done; 0 otherwise.</summary>
    public double StepFraction { get; init; }
}
