namespace ZkMl.Samples.Training;

/// <summary>Which kind of dishonest update the sample's worker publishes (<c>--tamper skip|alter</c>).</summary>
internal enum TamperMode
{
    /// <summary>The worker skips every update: each published state equals the one before.</summary>
    Skip,
    /// <summary>The worker changes one weight after each honest update.</summary>
    Alter,
}
