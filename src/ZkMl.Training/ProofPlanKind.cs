namespace ZkMl.Training;

/// <summary>Which SGD steps of a run must carry a proof.</summary>
public enum ProofPlanKind
{
    /// <summary>Every step.</summary>
    All,
    /// <summary>Steps 0..N-1.</summary>
    First,
    /// <summary>Steps 0, K, 2K, ...</summary>
    Every,
    /// <summary>
    /// N distinct steps drawn from SHA-256 of the dataset root and the whole chain of weight commitments (Fiat-Shamir),
    /// so a worker cannot know which steps are audited before committing to all of them.
    /// </summary>
    Random,
}
