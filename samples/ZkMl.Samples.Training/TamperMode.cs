namespace ZkMl.Samples.Training;

/// <summary>Which kind of dishonest update the sample's worker publishes (<c>--tamper skip|alter</c>).</summary>
internal enum TamperMode
{
    /// <summary>The worker skips the update: the weights after the step equal those before.</summary>
    Skip,
    /// <summary>The worker changes one weight after the honest update.</summary>
    Alter,
}
