namespace ZkMl.Training.Contract;

/// <summary>Where the initial weights come from.</summary>
public enum InitialWeightsRule : byte
{
    /// <summary>The contract holds the commitment to agreed initial weights (<see cref="TrainingContract.InitialWeightsCommitment"/>).</summary>
    ExplicitCommitment = 1,
    /// <summary>Derived from the schedule seed by <see cref="SeededInitialWeights"/> (the worker cannot choose them).</summary>
    DerivedFromScheduleSeed = 2,
}
