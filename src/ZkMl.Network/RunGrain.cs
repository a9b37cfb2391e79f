using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ZkMl.Snark.Formats;
using ZkMl.Training;
using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Network;

/// <summary>
/// The run's coordinator. It checks every message (sizes first, then signatures and proofs) and keeps the durable state;
/// it is trusted with liveness only: acceptance is a quorum of verifier signatures anyone can recheck (<see cref="RunAudit"/>).
/// </summary>
internal sealed class RunGrain(
    [PersistentState("run", NetworkHosting.StorageName)] IPersistentState<RunState> store,
    TimeProvider time,
    IServiceProvider services,
    ILogger<RunGrain> log) : Grain, IRunGrain
{
    private TrainingContract? _contract;
    private byte[] _digest = [];
    private byte[] _chainDigest = [];
    private TrainingVerifier? _verifier;
    private Groth16VerifyingKeys? _keys;
    private DatasetShards? _shards;

    private RunState S => store.State;
    private string RunId => this.GetPrimaryKeyString();
    private DateTimeOffset Now => time.GetUtcNow();
    private BeaconAccess? Beacon => services.GetService(typeof(BeaconAccess)) as BeaconAccess;

    public async Task<Outcome> Register(RunRegistration registration)
    {
        if (RunId.Length > NetworkLimits.MaxRunIdChars) return Outcome.Reject(Rejection.TooLarge, $"A run id has at most {NetworkLimits.MaxRunIdChars} characters.");
        if (S.Registration is not null) return Outcome.Reject(Rejection.AlreadyRegistered, $"Run {RunId} is already registered.");
        if (registration?.Contract is null || registration.VerifierKeys is null || registration.Policy is null)
            return Outcome.Reject(Rejection.Malformed, "The registration has a missing field.");
        if (registration.Contract.Length > ContractLimits.Default.MaxEncodedBytes)
            return Outcome.Reject(Rejection.TooLarge, $"The contract has {registration.Contract.Length} bytes, over {ContractLimits.Default.MaxEncodedBytes}.");
        if (registration.VerifierKeys.Length is 0 or > NetworkLimits.MaxVerifiers)
            return Outcome.Reject(Rejection.TooLarge, $"A run registers 1..{NetworkLimits.MaxVerifiers} verifier keys, got {registration.VerifierKeys.Length}.");
        for (int i = 0; i < registration.VerifierKeys.Length; i++)
            if (!VerifierKeys.IsP256(registration.VerifierKeys[i]))
                return Outcome.Reject(Rejection.Malformed, $"Verifier key {i} is not canonical ECDSA P-256 SubjectPublicKeyInfo DER.");
        if (registration.VerifierKeys.Select(Convert.ToHexString).Distinct().Count() != registration.VerifierKeys.Length)
            return Outcome.Reject(Rejection.Malformed, "A verifier key is registered twice.");
        if (registration.Policy.Problem(registration.VerifierKeys.Length) is { } problem) return Outcome.Reject(Rejection.Malformed, "Policy: " + problem);
        TrainingContract contract;
        try { contract = TrainingContract.Decode(registration.Contract); }
        catch (ContractFormatException e) { return Outcome.Reject(Rejection.Malformed, "Contract: " + e.Message); }
        if (registration.Groth16StepKey is null || registration.Groth16MembershipKey is null || registration.Contributors is null)
            return Outcome.Reject(Rejection.Malformed, "The registration has a missing field.");
        if (registration.Groth16StepKey.Length > NetworkLimits.MaxVerifyingKeyBytes || registration.Groth16MembershipKey.Length > NetworkLimits.MaxVerifyingKeyBytes)
            return Outcome.Reject(Rejection.TooLarge, $"A verifying key has at most {NetworkLimits.MaxVerifyingKeyBytes} bytes.");
        try { RunChecks.Verifier(contract, RunChecks.TrustedKeys(contract, registration, null), Now, Beacon); }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or SnarkFormatException) { return Outcome.Reject(Rejection.Malformed, "Contract not supported by the network: " + e.Message); }
        if (Contributors(contract, registration.Contributors) is { } refused) return refused;

        S.Registration = registration;
        S.Phase = registration.Contributors.Length == 0 ? RunPhase.AwaitingChain : RunPhase.AwaitingShards;
        S.Message = registration.Contributors.Length == 0 ? "registered; waiting for the trainer's chain"
            : $"registered; waiting for {registration.Contributors.Length} contributors' shard attestations";
        await Save();
        log.LogInformation("Run {Run} registered: {Steps} steps, {Verifiers} verifiers", RunId, contract.StepCount, registration.VerifierKeys.Length);
        return Outcome.Ok(S.Message);
    }

    public async Task<Outcome> RegisterShard(byte[] attestation)
    {
        if (!Load(out var unknown)) return unknown!;
        if (attestation is null) return Outcome.Reject(Rejection.Malformed, "No attestation.");
        if (attestation.Length > NetworkLimits.MaxAttestationBytes) return Outcome.Reject(Rejection.TooLarge, $"An attestation has at most {NetworkLimits.MaxAttestationBytes} bytes.");
        if (S.Phase != RunPhase.AwaitingShards)
            return Outcome.Reject(S.Registration!.Contributors.Length == 0 ? Rejection.WrongPhase : Rejection.Replay, $"No shard attestations are taken in phase {S.Phase}.");
        ShardAttestation a;
        try { a = ShardAttestation.Decode(attestation); }
        catch (ShardFormatException e) { return Outcome.Reject(Rejection.Malformed, "Attestation: " + e.Message); }
        var contributors = S.Registration!.Contributors;
        int index = Array.FindIndex(contributors, c => c.PublicKey.AsSpan().SequenceEqual(a.ContributorKey.AsSpan()));
        if (index < 0) return Outcome.Reject(Rejection.UnknownContributor, "The attestation is not from a registered contributor key.");
        if (S.Attestations.ContainsKey(index)) return Outcome.Reject(Rejection.Replay, $"Contributor {index} already registered its shard.");
        var c = contributors[index];
        var verdict = ShardAttestations.Verify(a, NetworkMessages.ShardRunId(RunId), c.PublicKey, ShardParametersOf(_contract!, c),
            Groth16VerifyingKeys.ParseCanonicalBytes(c.AttestationKey, "attestation verifying key"));
        if (!verdict.IsValid) return Outcome.Reject(verdict.Reason.Contains("signature", StringComparison.Ordinal) ? Rejection.BadSignature : Rejection.Malformed, $"Contributor {index}'s attestation: {verdict.Reason}");
        S.Attestations[index] = attestation;
        if (S.Attestations.Count == contributors.Length)
        {
            var layout = Shards();
            if (layout is null || !layout.IsDatasetOf(_contract!))
                Fail("the contract's dataset root and row count are not those of the attested shards in registration order");
            else
            {
                S.Phase = RunPhase.AwaitingChain;
                S.Message = $"{contributors.Length} shard attestations checked; the dataset root combines them; waiting for the trainer's chain";
            }
        }
        else S.Message = $"{S.Attestations.Count}/{contributors.Length} shard attestations checked";
        await Save();
        log.LogInformation("Run {Run}: contributor {Contributor}'s shard of {Rows} rows attested", RunId, index, a.Claims.RowCount);
        return Outcome.Ok($"contributor {index}'s shard attestation accepted");
    }

    public Task<ShardStatus?> Shard(int contributor)
    {
        if (!Load(out _) || contributor < 0 || contributor >= S.Registration!.Contributors.Length) return Task.FromResult<ShardStatus?>(null);
        return Task.FromResult<ShardStatus?>(ShardStatusOf(contributor, Usage()));
    }

    public async Task<Outcome> PublishChain(ChainPublication chain)
    {
        if (!Load(out var unknown)) return unknown!;
        if (chain is null) return Outcome.Reject(Rejection.Malformed, "No publication.");
        if (S.Phase != RunPhase.AwaitingChain) return Outcome.Reject(S.Chain is null ? Rejection.WrongPhase : Rejection.Replay, $"The chain is already published (phase {S.Phase}).");
        var (verifier, source) = RunChecks.Verifier(_contract!, _keys, Now, Beacon);
        if (RunChecks.Chain(RunId, _contract!, _digest, verifier, source, chain) is { } bad) return bad;
        S.Chain = chain;
        S.PublishedAt = Now;
        _chainDigest = NetworkMessages.ChainDigest(_digest, chain.Commitments);
        StartRound(0);
        await Save();
        return Outcome.Ok("chain published; draw round 0 open");
    }

    public async Task<Outcome> Commit(DrawCommit commit)
    {
        if (!Load(out var unknown)) return unknown!;
        if (commit?.Commitment is null || commit.Signature is null) return Outcome.Reject(Rejection.Malformed, "The commit has a missing field.");
        await AdvanceAndSave();
        if (S.Phase != RunPhase.Drawing || S.RevealDeadline != DateTimeOffset.MaxValue)
            return Outcome.Reject(Rejection.WrongPhase, $"Commits are not open (phase {S.Phase}).");
        if (commit.Round != S.Round) return Outcome.Reject(Rejection.Replay, $"The commit is for round {commit.Round}; round {S.Round} is open.");
        if (!S.Participants.Contains(commit.Verifier)) return Outcome.Reject(Rejection.UnknownVerifier, $"Verifier {commit.Verifier} does not take part in round {S.Round}.");
        if (commit.Commitment.Length != 32 || commit.Signature.Length != 64) return Outcome.Reject(Rejection.Malformed, "A commitment is 32 bytes and its signature 64.");
        if (S.Commits.ContainsKey(commit.Verifier)) return Outcome.Reject(Rejection.Replay, $"Verifier {commit.Verifier} already committed in round {S.Round}.");
        var signed = NetworkMessages.CommitSigned(RunId, _chainDigest, commit.Round, commit.Verifier, commit.Commitment);
        if (!WorkerKey.Verify(S.Registration!.VerifierKeys[commit.Verifier], _digest, signed, commit.Signature))
            return Outcome.Reject(Rejection.BadSignature, $"The commit is not signed by verifier {commit.Verifier}'s registered key.");
        S.Commits[commit.Verifier] = commit;
        await AdvanceAndSave(force: true);
        return Outcome.Ok($"committed in round {S.Round}");
    }

    public async Task<Outcome> Reveal(DrawReveal reveal)
    {
        if (!Load(out var unknown)) return unknown!;
        if (reveal?.Nonce is null) return Outcome.Reject(Rejection.Malformed, "The reveal has no nonce.");
        await AdvanceAndSave();
        if (S.Phase != RunPhase.Drawing || S.RevealDeadline == DateTimeOffset.MaxValue)
            return Outcome.Reject(Rejection.WrongPhase, $"Reveals are not open (phase {S.Phase}).");
        if (reveal.Round != S.Round) return Outcome.Reject(Rejection.Replay, $"The reveal is for round {reveal.Round}; round {S.Round} is open.");
        if (!S.Commits.TryGetValue(reveal.Verifier, out var commit)) return Outcome.Reject(Rejection.UnknownVerifier, $"Verifier {reveal.Verifier} has no commit in round {S.Round}.");
        if (reveal.Nonce.Length != NetworkMessages.NonceBytes) return Outcome.Reject(Rejection.Malformed, $"A nonce is {NetworkMessages.NonceBytes} bytes.");
        if (S.Reveals.ContainsKey(reveal.Verifier)) return Outcome.Reject(Rejection.Replay, $"Verifier {reveal.Verifier} already revealed.");
        if (!NetworkMessages.NonceCommitment(RunId, _chainDigest, S.Round, reveal.Verifier, reveal.Nonce).AsSpan().SequenceEqual(commit.Commitment))
            return Outcome.Reject(Rejection.Malformed, "The nonce does not open the verifier's commitment.");
        S.Reveals[reveal.Verifier] = reveal.Nonce;
        await AdvanceAndSave(force: true);
        return Outcome.Ok($"revealed in round {reveal.Round}");
    }

    public async Task<LeaseResult> Lease(string worker)
    {
        if (!Load(out var unknown)) return new() { Outcome = unknown! };
        if (string.IsNullOrEmpty(worker)) return new() { Outcome = Outcome.Reject(Rejection.Malformed, "A worker id is required."), Phase = S.Phase };
        if (worker.Length > NetworkLimits.MaxWorkerIdChars) return new() { Outcome = Outcome.Reject(Rejection.TooLarge, $"A worker id has at most {NetworkLimits.MaxWorkerIdChars} characters."), Phase = S.Phase };
        await AdvanceAndSave();
        if (S.Faulty.Contains(worker)) return new() { Outcome = Outcome.Reject(Rejection.FaultyWorker, $"Worker {worker} submitted an invalid proof and gets no more tasks."), Phase = S.Phase };
        if (S.Phase != RunPhase.Proving) return new() { Outcome = Outcome.Reject(Rejection.WrongPhase, $"No tasks in phase {S.Phase}."), Phase = S.Phase };
        var now = Now;
        int? pick = null;
        foreach (int step in S.Challenged)
        {
            if (S.Proofs.ContainsKey(step)) continue;
            if (!S.Leases.TryGetValue(step, out var held)) { pick = step; break; }
            if (held.Expires <= now && pick is null) pick = step;
        }
        if (pick is not { } chosen) return new() { Outcome = Outcome.Ok("no free task now"), Phase = S.Phase };
        if (S.Leases.TryGetValue(chosen, out var expired))
        {
            S.Reassigned++;
            log.LogInformation("Run {Run}: step {Step} reassigned from {Old} (lease expired) to {New}", RunId, chosen, expired.Worker, worker);
        }
        var lease = new TaskLease { Lease = Guid.NewGuid(), Worker = worker, Expires = now.AddSeconds(S.Registration!.Policy.LeaseSeconds) };
        S.Leases[chosen] = lease;
        await Save();
        return new() { Task = new StepTask { Step = chosen, Lease = lease.Lease, Expires = lease.Expires }, Phase = S.Phase, Outcome = Outcome.Ok($"step {chosen} leased") };
    }

    public async Task<Outcome> Submit(ProofSubmission submission)
    {
        if (!Load(out var unknown)) return unknown!;
        if (submission?.Proof is null || submission.Worker is null) return Outcome.Reject(Rejection.Malformed, "The submission has a missing field.");
        if (submission.Proof.Length > NetworkLimits.MaxProofBytes) return Outcome.Reject(Rejection.TooLarge, $"A proof has at most {NetworkLimits.MaxProofBytes} bytes, got {submission.Proof.Length}.");
        if (submission.Worker.Length > NetworkLimits.MaxWorkerIdChars) return Outcome.Reject(Rejection.TooLarge, "The worker id is too long.");
        if (submission.Proof.Length == 0) return Outcome.Reject(Rejection.Malformed, "The proof is empty.");
        await AdvanceAndSave();
        if (S.Phase is not (RunPhase.Proving or RunPhase.Accepted)) return Outcome.Reject(Rejection.WrongPhase, $"No proofs are taken in phase {S.Phase}.");
        if (Array.BinarySearch(S.Challenged, submission.Step) < 0) return Outcome.Reject(Rejection.NotAssigned, $"Step {submission.Step} is not challenged.");
        if (S.Proofs.TryGetValue(submission.Step, out var accepted))
            return accepted.Lease == submission.Lease && accepted.Worker == submission.Worker && accepted.Sha256.AsSpan().SequenceEqual(SHA256.HashData(submission.Proof))
                // The lease holder resending after a lost answer (a store or silo outage): the same acceptance, nothing new recorded.
                ? Outcome.Ok($"step {submission.Step} proof already accepted from this lease")
                : Outcome.Reject(Rejection.AlreadyAccepted, $"Step {submission.Step} already has an accepted proof.");
        if (!S.Leases.TryGetValue(submission.Step, out var lease) || lease.Lease != submission.Lease || lease.Worker != submission.Worker)
            return Outcome.Reject(Rejection.LeaseLost, $"Worker {submission.Worker} does not hold step {submission.Step}'s lease (it expired and was reassigned, or never was).");
        S.Leases.Remove(submission.Step);
        if (!RunChecks.Step(Verifier(), S.Chain!, submission.Step, submission.Proof))
        {
            S.RejectedProofs++;
            S.Faulty.Add(submission.Worker);
            await Save();
            log.LogWarning("Run {Run}: step {Step} proof from {Worker} failed verification; task reassigned, worker recorded faulty", RunId, submission.Step, submission.Worker);
            return Outcome.Reject(Rejection.InvalidProof, $"Step {submission.Step}: the proof does not verify against the published chain; the task is reassigned and worker {submission.Worker} recorded as faulty.");
        }
        S.Proofs[submission.Step] = new AcceptedProof { Proof = submission.Proof, Sha256 = SHA256.HashData(submission.Proof), Worker = submission.Worker, Lease = submission.Lease };
        S.AssignedAt[submission.Step] = Now;
        Refresh();
        await Save();
        return Outcome.Ok($"step {submission.Step} proof accepted");
    }

    public async Task<ProofAssignment[]> Assignments(int verifier)
    {
        if (!Load(out _) || verifier < 0 || verifier >= S.Registration!.VerifierKeys.Length || S.Excluded.Contains(verifier)) return [];
        await AdvanceAndSave();
        if (S.Phase != RunPhase.Proving) return [];
        var result = new List<ProofAssignment>();
        foreach (var (step, proof) in S.Proofs.OrderBy(p => p.Key))
            if (!S.Verified.Contains(step) && Active(step).Contains(verifier) && !S.Verdicts.Any(v => v.Step == step && v.Verifier == verifier))
                result.Add(new ProofAssignment { Step = step, Proof = proof.Proof });
        return [.. result];
    }

    public async Task<Outcome> SubmitVerdict(SignedVerdict verdict)
    {
        if (!Load(out var unknown)) return unknown!;
        if (verdict?.ProofSha256 is null || verdict.Signature is null) return Outcome.Reject(Rejection.Malformed, "The verdict has a missing field.");
        if (verdict.ProofSha256.Length != 32 || verdict.Signature.Length != 64) return Outcome.Reject(Rejection.Malformed, "A proof hash is 32 bytes and a signature 64.");
        if (verdict.Verifier < 0 || verdict.Verifier >= S.Registration!.VerifierKeys.Length) return Outcome.Reject(Rejection.UnknownVerifier, $"No verifier {verdict.Verifier} is registered.");
        if (S.Excluded.Contains(verdict.Verifier)) return Outcome.Reject(Rejection.UnknownVerifier, $"Verifier {verdict.Verifier} was excluded from this run.");
        await AdvanceAndSave();
        if (S.Phase is not (RunPhase.Proving or RunPhase.Accepted)) return Outcome.Reject(Rejection.WrongPhase, $"No verdicts are taken in phase {S.Phase}.");
        if (S.Verdicts.Any(v => v.Step == verdict.Step && v.Verifier == verdict.Verifier))
            return Outcome.Reject(Rejection.Replay, $"Verifier {verdict.Verifier} already gave its verdict on step {verdict.Step}.");
        if (!S.Proofs.TryGetValue(verdict.Step, out var proof) || !Active(verdict.Step).Contains(verdict.Verifier))
            return Outcome.Reject(Rejection.NotAssigned, $"Step {verdict.Step} has no accepted proof assigned to verifier {verdict.Verifier}.");
        var signed = NetworkMessages.VerdictSigned(RunId, _chainDigest, S.ChallengeValue, verdict.Step, verdict.ProofSha256, verdict.Valid);
        if (!WorkerKey.Verify(S.Registration.VerifierKeys[verdict.Verifier], _digest, signed, verdict.Signature))
            return Outcome.Reject(Rejection.BadSignature, $"The verdict is not signed by verifier {verdict.Verifier}'s registered key for this run, chain, draw and step.");
        if (!verdict.ProofSha256.AsSpan().SequenceEqual(proof.Sha256))
            return Outcome.Reject(Rejection.Malformed, $"The verdict judges other bytes than step {verdict.Step}'s accepted proof.");
        S.Verdicts.Add(verdict);
        if (!verdict.Valid) S.ExtraVerifiers[verdict.Step] = S.ExtraVerifiers.GetValueOrDefault(verdict.Step) + 1;
        Refresh();
        await Save();
        return Outcome.Ok($"verdict of verifier {verdict.Verifier} on step {verdict.Step} counted");
    }

    public async Task<RunView> Status()
    {
        if (!Load(out var unknown)) return new RunView { RunId = RunId, Phase = RunPhase.Unknown, Message = unknown!.Message };
        await AdvanceAndSave();
        var usage = Usage();
        return new RunView
        {
            RunId = RunId, Phase = S.Phase, Message = S.Message, Registration = S.Registration, Chain = S.Chain, Round = S.Round,
            Participants = [.. S.Participants], Commits = new(S.Commits), Reveals = new(S.Reveals),
            RevealDeadline = S.RevealDeadline, ChallengeValue = S.ChallengeValue, Challenged = S.Challenged,
            Proven = [.. S.Proofs.Keys.Order()], Verified = [.. S.Verified.Order()], Verdicts = [.. S.Verdicts], Penalties = [.. S.Penalties],
            Contradicting = [.. S.Contradicting.Order()], FaultyWorkers = [.. S.Faulty.Order()], Reassigned = S.Reassigned, RejectedProofs = S.RejectedProofs,
            Shards = [.. Enumerable.Range(0, S.Registration!.Contributors.Length).Select(i => ShardStatusOf(i, usage))],
        };
    }

    // Decodes the registered contract once per activation; false (with the rejection) for an unknown run.
    private bool Load(out Outcome? unknown)
    {
        unknown = null;
        if (S.Registration is null)
        {
            unknown = Outcome.Reject(Rejection.UnknownRun, $"No run is registered under id '{(RunId.Length > 64 ? RunId[..64] + "..." : RunId)}'.");
            return false;
        }
        if (_contract is null)
        {
            _contract = TrainingContract.Decode(S.Registration.Contract);
            _digest = _contract.Digest();
            _keys = RunChecks.TrustedKeys(_contract, S.Registration, null);
        }
        if (S.Chain is not null && _chainDigest.Length == 0) _chainDigest = NetworkMessages.ChainDigest(_digest, S.Chain.Commitments);
        return true;
    }

    private TrainingVerifier Verifier()
    {
        if (_verifier is null) (_verifier, _) = RunChecks.Verifier(_contract!, _keys, S.PublishedAt, Beacon);
        return _verifier;
    }

    private static Outcome? Contributors(TrainingContract contract, ContributorRegistration[] contributors)
    {
        if (contributors.Length == 0) return null;
        if (contributors.Length > NetworkLimits.MaxContributors) return Outcome.Reject(Rejection.TooLarge, $"A run registers at most {NetworkLimits.MaxContributors} contributors.");
        if (contract.DatasetFormat != DatasetCommitmentFormat.PoseidonBn254Merkle)
            return Outcome.Reject(Rejection.Malformed, "Shard attestations need the Groth16 dataset format (Poseidon-BN254 Merkle tree).");
        for (int i = 0; i < contributors.Length; i++)
        {
            var c = contributors[i];
            if (c?.PublicKey is null || c.AttestationKey is null) return Outcome.Reject(Rejection.Malformed, $"Contributor {i} has a missing field.");
            if (c.PublicKey.Length > NetworkLimits.MaxKeyBytes || c.AttestationKey.Length > NetworkLimits.MaxAttestationBytes)
                return Outcome.Reject(Rejection.TooLarge, $"Contributor {i}'s key or attestation verifying key is too large.");
            if (!VerifierKeys.IsP256(c.PublicKey)) return Outcome.Reject(Rejection.Malformed, $"Contributor {i}'s key is not canonical ECDSA P-256 SubjectPublicKeyInfo DER.");
            try
            {
                var p = ShardParametersOf(contract, c);
                if (Groth16VerifyingKeys.ParseCanonicalBytes(c.AttestationKey, "attestation verifying key").PublicCount != 3 + p.Classes)
                    return Outcome.Reject(Rejection.Malformed, $"Contributor {i}'s attestation verifying key is not for its shard parameters.");
            }
            catch (Exception e) when (e is ArgumentException or SnarkFormatException)
            {
                return Outcome.Reject(Rejection.Malformed, $"Contributor {i}: " + e.Message);
            }
        }
        if (contributors.Select(c => Convert.ToHexString(c.PublicKey)).Distinct().Count() != contributors.Length)
            return Outcome.Reject(Rejection.Malformed, "A contributor key is registered twice.");
        return null;
    }

    private static ShardParameters ShardParametersOf(TrainingContract contract, ContributorRegistration c) =>
        new(contract.InputSize, contract.FractionBits, c.Capacity, contract.Layers[^1].Width);

    // The dataset layout of the attested shards in registration order; null until every contributor has attested.
    private DatasetShards? Shards()
    {
        if (_shards is null && S.Registration!.Contributors.Length > 0 && S.Attestations.Count == S.Registration.Contributors.Length)
        {
            try { _shards = DatasetShards.FromAttestations([.. S.Attestations.OrderBy(p => p.Key).Select(p => ShardAttestation.Decode(p.Value))]); }
            catch (ArgumentException) { return null; } // an order that breaks the layout rule: the run fails on it
        }
        return _shards;
    }

    // Per-shard usage by the steps with an accepted proof; null before the layout and the chain exist.
    private IReadOnlyList<ShardRowUsage>? Usage() =>
        Shards() is { } layout && S.Chain is not null && layout.IsDatasetOf(_contract!)
            ? ShardUsage.Compute(layout, _contract!, S.Chain.ScheduleChallenge.Value, S.Proofs.Keys)
            : null;

    private ShardStatus ShardStatusOf(int contributor, IReadOnlyList<ShardRowUsage>? usage)
    {
        if (!S.Attestations.TryGetValue(contributor, out var bytes)) return new ShardStatus { Contributor = contributor };
        var a = ShardAttestation.Decode(bytes);
        var inclusion = Shards() is { } layout && layout.IsDatasetOf(_contract!) ? layout.Inclusion(contributor) : null;
        return new ShardStatus
        {
            Contributor = contributor, Attested = true, Root = [.. a.ShardRoot], Rows = a.Claims.RowCount, MaxFeature = a.Claims.MaxFeature,
            Histogram = [.. a.Claims.Histogram], Level = inclusion?.Level ?? 0, Position = inclusion?.Position ?? 0,
            Siblings = inclusion is null ? [] : [.. inclusion.Siblings.Select(x => x.ToArray())],
            RowUses = usage?[contributor].RowUses ?? 0, DistinctRows = usage?[contributor].DistinctRows ?? 0,
            Attestation = bytes,
        };
    }

    private void StartRound(int round)
    {
        S.Round = round;
        S.Participants = [.. Enumerable.Range(0, S.Registration!.VerifierKeys.Length).Where(i => !S.Excluded.Contains(i))];
        S.Commits.Clear();
        S.Reveals.Clear();
        S.CommitDeadline = Now.AddSeconds(S.Registration.Policy.CommitSeconds);
        S.RevealDeadline = DateTimeOffset.MaxValue;
        S.Phase = RunPhase.Drawing;
        S.Message = $"draw round {round}: {S.Participants.Count} verifiers committing";
        if (S.Participants.Count < S.Registration.Policy.Quorum) Fail($"only {S.Participants.Count} verifiers are left, under the quorum {S.Registration.Policy.Quorum}");
    }

    private void Exclude(int verifier, string reason)
    {
        S.Excluded.Add(verifier);
        S.Penalties.Add(new Penalty { Verifier = verifier, Round = S.Round, Reason = reason });
        log.LogWarning("Run {Run}: verifier {Verifier} excluded in round {Round}: {Reason}", RunId, verifier, S.Round, reason);
    }

    private void Fail(string why)
    {
        S.Phase = RunPhase.Failed;
        S.Message = "failed: " + why;
        log.LogWarning("Run {Run} failed: {Why}", RunId, why);
    }

    private async Task AdvanceAndSave(bool force = false)
    {
        if (Advance() || force) await Save();
    }

    // A failed write (the store down or a stale etag) leaves this activation's state ahead of the store: drop the activation so
    // the next call reloads what the store holds, and fail this call so its sender retries (no answer is given for unsaved state).
    private async Task Save()
    {
        try { await store.WriteStateAsync(); }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    // Applies the deadlines and completions due now; true when the state changed.
    private bool Advance()
    {
        var now = Now;
        bool changed = false;
        if (S.Phase == RunPhase.Drawing)
        {
            var policy = S.Registration!.Policy;
            if (S.RevealDeadline == DateTimeOffset.MaxValue)
            {
                bool all = S.Commits.Count == S.Participants.Count;
                if (!all && now > S.CommitDeadline)
                {
                    foreach (int v in S.Participants.Where(v => !S.Commits.ContainsKey(v)).ToList()) Exclude(v, "no commit by the commit deadline");
                    S.Participants = [.. S.Commits.Keys.Order()];
                    all = true;
                    if (S.Participants.Count < policy.Quorum) { Fail($"only {S.Participants.Count} verifiers committed, under the quorum {policy.Quorum}"); return true; }
                }
                if (all)
                {
                    S.RevealDeadline = now.AddSeconds(policy.RevealSeconds);
                    S.Message = $"draw round {S.Round}: {S.Participants.Count} verifiers revealing";
                    changed = true;
                }
            }
            if (S.RevealDeadline != DateTimeOffset.MaxValue)
            {
                if (S.Reveals.Count == S.Participants.Count)
                {
                    S.ChallengeValue = NetworkMessages.ChallengeValue(RunId, _chainDigest, S.Round, S.Reveals);
                    S.Challenged = NetworkMessages.ChallengedSteps(_contract!, S.ChallengeValue);
                    S.Phase = RunPhase.Proving;
                    Refresh();
                    return true;
                }
                if (now > S.RevealDeadline)
                {
                    // Withholding a reveal is the last revealer's only lever: it costs the verifier its place, and the round is redrawn.
                    foreach (int v in S.Participants.Where(v => !S.Reveals.ContainsKey(v)).ToList()) Exclude(v, "withheld its reveal (last-revealer abort)");
                    StartRound(S.Round + 1);
                    return true;
                }
            }
        }
        if (S.Phase == RunPhase.Proving)
        {
            int seconds = S.Registration!.Policy.VerdictSeconds;
            foreach (int step in S.Proofs.Keys.Where(s => !S.Verified.Contains(s)).ToList())
                if (now > S.AssignedAt[step].AddSeconds(seconds))
                {
                    S.ExtraVerifiers[step] = S.ExtraVerifiers.GetValueOrDefault(step) + 1;
                    S.AssignedAt[step] = now;
                    changed = true;
                }
            if (changed) Refresh();
        }
        return changed;
    }

    // The verifiers assigned to a step now: the first Coverage + extra of the draw's order, skipping excluded ones.
    private List<int> Active(int step)
    {
        var policy = S.Registration!.Policy;
        var order = NetworkMessages.AssignmentOrder(S.ChallengeValue, step, S.Registration.VerifierKeys.Length).Where(v => !S.Excluded.Contains(v)).ToList();
        return order.Take(Math.Min(order.Count, policy.Coverage + S.ExtraVerifiers.GetValueOrDefault(step))).ToList();
    }

    // Settles steps that reached the quorum, names verifiers who contradict a settled step, and updates the phase.
    private void Refresh()
    {
        var policy = S.Registration!.Policy;
        foreach (int step in S.Proofs.Keys)
        {
            var votes = S.Verdicts.Where(v => v.Step == step).ToList();
            if (votes.Count(v => v.Valid) >= policy.Quorum)
            {
                S.Verified.Add(step);
                foreach (var liar in votes.Where(v => !v.Valid)) S.Contradicting.Add(liar.Verifier);
            }
            else if (S.Phase == RunPhase.Proving && Active(step) is var active && active.Count == S.Registration.VerifierKeys.Length - S.Excluded.Count
                && active.All(a => votes.Any(v => v.Verifier == a)))
            {
                Fail($"step {step}: every remaining verifier judged its proof and no quorum of {policy.Quorum} valid verdicts exists");
                return;
            }
        }
        if (S.Phase != RunPhase.Proving) return;
        if (S.Challenged.All(S.Verified.Contains))
        {
            S.Phase = RunPhase.Accepted;
            S.Message = $"accepted: {S.Challenged.Length} challenged steps proven and verified by a quorum of {policy.Quorum}";
            log.LogInformation("Run {Run} accepted", RunId);
        }
        else S.Message = $"proving: {S.Proofs.Count}/{S.Challenged.Length} proven, {S.Verified.Count} verified";
    }
}
