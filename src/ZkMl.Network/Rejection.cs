namespace ZkMl.Network;

/// <summary>Why the run grain refused a message (<see cref="Rejection.None"/> when it accepted it).</summary>
public enum Rejection
{
    /// <summary>Accepted.</summary>
    None = 0,
    /// <summary>No run is registered under this id.</summary>
    UnknownRun,
    /// <summary>A run is already registered under this id.</summary>
    AlreadyRegistered,
    /// <summary>A field is malformed (wrong length, out of range, undecodable contract, chain that does not open).</summary>
    Malformed,
    /// <summary>A field exceeds <see cref="NetworkLimits"/>; checked before the content is looked at.</summary>
    TooLarge,
    /// <summary>The run is not in the phase this message belongs to.</summary>
    WrongPhase,
    /// <summary>The signature does not verify against the registered key for this run, round and content.</summary>
    BadSignature,
    /// <summary>The message was already received (a replay or a duplicate).</summary>
    Replay,
    /// <summary>The sender is not a registered verifier of this run, or has been excluded from it.</summary>
    UnknownVerifier,
    /// <summary>The step is not assigned to this verifier (or not challenged, or has no accepted proof).</summary>
    NotAssigned,
    /// <summary>The lease is not (or no longer) this worker's: it expired and the task was reassigned.</summary>
    LeaseLost,
    /// <summary>The proof does not verify against the run's published chain and contract.</summary>
    InvalidProof,
    /// <summary>The step already has an accepted proof; no step is accepted twice.</summary>
    AlreadyAccepted,
    /// <summary>The worker was recorded as faulty and gets no more tasks.</summary>
    FaultyWorker,
    /// <summary>The deadline for this message has passed.</summary>
    DeadlinePassed,
    /// <summary>The attestation is not signed with a registered contributor key of this run.</summary>
    UnknownContributor,
}
