namespace ZkMl.Training;

/// <summary>Progress of a long training or proving run.</summary>
/// <param name="Phase">"train" while training and committing, "prove" while proving, "verify" while verifying.</param>
/// <param name="Done">Units done.</param>
/// <param name="Total">Units in the phase.</param>
public readonly record struct TrainingProgress(string Phase, int Done, int Total);
