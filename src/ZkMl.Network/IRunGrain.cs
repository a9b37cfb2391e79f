namespace ZkMl.Network;

/// <summary>
/// One training run on the network, keyed by its run id. Every message is answered with a typed <see cref="Outcome"/>
/// (never an exception for bad input); an id no run was registered under answers <see cref="Rejection.UnknownRun"/>.
/// Deadlines are checked on every call against the silo's clock.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Registers the run (contract, verifier keys, policy).</summary>
    Task<Outcome> Register(RunRegistration registration);

    /// <summary>A registered contributor's signed shard attestation (<c>ShardAttestation.Encode</c>) for run id <see cref="NetworkMessages.ShardRunId"/>.</summary>
    Task<Outcome> RegisterShard(byte[] attestation);

    /// <summary>Contributor <paramref name="contributor"/>'s shard: attestation, inclusion path, usage; null for no such contributor.</summary>
    Task<ShardStatus?> Shard(int contributor);

    /// <summary>The trainer publishes the whole chain; the commit-reveal draw opens.</summary>
    Task<Outcome> PublishChain(ChainPublication chain);

    /// <summary>A registered verifier commits to its draw nonce for the current round.</summary>
    Task<Outcome> Commit(DrawCommit commit);

    /// <summary>A committed verifier reveals its nonce.</summary>
    Task<Outcome> Reveal(DrawReveal reveal);

    /// <summary>A prover worker asks for a step task.</summary>
    Task<LeaseResult> Lease(string worker);

    /// <summary>A prover worker submits the proof of its leased step; it is verified before acceptance.</summary>
    Task<Outcome> Submit(ProofSubmission submission);

    /// <summary>The accepted proofs assigned to <paramref name="verifier"/> that it has not judged yet.</summary>
    Task<ProofAssignment[]> Assignments(int verifier);

    /// <summary>A verifier's signed verdict on one step.</summary>
    Task<Outcome> SubmitVerdict(SignedVerdict verdict);

    /// <summary>A snapshot of the run.</summary>
    Task<RunView> Status();
}
