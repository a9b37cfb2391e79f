namespace ZkMl.Training.Tests;

/// <summary>Which kind of dishonest update <see cref="DishonestWorker"/> publishes.</summary>
public enum TamperMode
{
    /// <summary>The worker skips the update: the weights after the step equal those before.</summary>
    Skip,
    /// <summary>The worker changes one weight after the honest update.</summary>
    Alter,
}
