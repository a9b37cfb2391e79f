namespace ZkMl.Network;

/// <summary>Where a run stands.</summary>
public enum RunPhase
{
    /// <summary>No run is registered under the id.</summary>
    Unknown = 0,
    /// <summary>Registered; waiting for the trainer to publish the whole commitment chain.</summary>
    AwaitingChain,
    /// <summary>Chain published; the registered verifiers draw the challenged steps by commit-reveal.</summary>
    Drawing,
    /// <summary>Challenged steps drawn; provers prove them and verifiers check and sign accepted proofs.</summary>
    Proving,
    /// <summary>Every challenged step has a quorum of valid verdicts signed by registered verifier keys.</summary>
    Accepted,
    /// <summary>The run cannot be accepted (too few verifiers left, or a step without a possible quorum); see the status message.</summary>
    Failed,
    /// <summary>Registered with data contributors; waiting until each has registered a valid shard attestation and the shards combine to the contract's dataset root.</summary>
    AwaitingShards,
}
