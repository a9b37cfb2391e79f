using System.Security.Cryptography;
using ZkMl.Training.Contract;

namespace ZkMl.Network.Tests;

/// <summary>Runs on an in-process two-silo cluster (Orleans TestingHost): honest completion and every adversarial path.</summary>
public sealed class RunGrainTests(ClusterFixture fx, TinyRunFixture tiny) : IClassFixture<ClusterFixture>, IClassFixture<TinyRunFixture>
{
    private TinyRun T => tiny.Run;
    private IGrainFactory G => fx.Grains;

    private async Task<(IRunGrain Run, TinyRun.TrainedChain Trained)> Registered(string runId, RunPolicy? policy = null)
    {
        var run = G.GetGrain<IRunGrain>(runId);
        Assert.True((await run.Register(T.Registration(policy))).Accepted);
        var trained = T.Trained;
        var published = await run.PublishChain(T.Publication(runId));
        Assert.True(published.Accepted, published.ToString());
        return (run, trained);
    }

    private static async Task Until(Func<Task<bool>> done, string what, int seconds = 120)
    {
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < stop, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    private async Task DrawWith(IRunGrain run, params VerifierNode[] nodes) =>
        await Until(async () =>
        {
            foreach (var n in nodes) await n.StepOnceAsync();
            return (await run.Status()).Phase != RunPhase.Drawing;
        }, "the draw");

    private static async Task ProveAll(IRunGrain run, ProverWorker worker) =>
        await Until(async () =>
        {
            await worker.StepOnceAsync();
            var v = await run.Status();
            return v.Proven.Length == v.Challenged.Length;
        }, "every challenged step proven");

    private static SignedVerdict Verdict(RunView view, WorkerKey key, int index, int step, byte[] proof, bool valid, TinyRun t)
    {
        var digest = t.Contract.Digest();
        var chainDigest = NetworkMessages.ChainDigest(digest, view.Chain!.Commitments);
        var sha = SHA256.HashData(proof);
        return new SignedVerdict
        {
            Verifier = index, Step = step, Valid = valid, ProofSha256 = sha,
            Signature = key.Sign(digest, NetworkMessages.VerdictSigned(view.RunId, chainDigest, view.ChallengeValue, step, sha, valid)),
        };
    }

    [Fact]
    public async Task ThreeProversAndThreeVerifiersCompleteTheRun()
    {
        var (run, trained) = await Registered("complete");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var verifiers = Enumerable.Range(0, 3).Select(i => T.Node(G, "complete", i).RunAsync(cancel.Token)).ToList();
        var provers = Enumerable.Range(0, 3).Select(i => new ProverWorker(G, "complete", $"prover-{i}", trained.Prove) { Poll = TimeSpan.FromMilliseconds(30) }).ToList();
        await Task.WhenAll(provers.Select(p => p.RunAsync(cancel.Token)).Concat(verifiers.Select(v => (Task)v)));

        var view = await run.Status();
        Assert.Equal(RunPhase.Accepted, view.Phase);
        Assert.Equal(TinyRun.Audited, view.Challenged.Length);
        Assert.Equal(view.Challenged, view.Proven);
        Assert.Equal(view.Challenged, view.Verified);
        Assert.Equal(view.Challenged.Length, provers.Sum(p => p.Accepted));
        Assert.Empty(view.FaultyWorkers);
        Assert.Empty(view.Contradicting);
        Assert.All(view.Challenged, s => Assert.True(view.Verdicts.Count(v => v.Step == s && v.Valid) >= 2));
        Assert.Null(RunAudit.Check(view, T.ContractBytes, [.. T.Verifiers.Select(v => v.PublicKey)], quorum: 2));
        // The audit holds its own keys: with another verifier set the same signatures prove nothing.
        using var stranger = WorkerKey.Create();
        Assert.NotNull(RunAudit.Check(view, T.ContractBytes, [stranger.PublicKey, stranger.PublicKey, stranger.PublicKey], quorum: 2));
    }

    [Fact]
    public async Task BeaconContractRunsWhereEveryNodeReadsTheBeaconItself()
    {
        using var t = new TinyRun(ClusterFixture.BeaconAccess);
        var run = G.GetGrain<IRunGrain>("beacon");
        Assert.True((await run.Register(t.Registration())).Accepted);
        Assert.True((await run.PublishChain(t.Publication("beacon"))).Accepted);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var verifiers = Enumerable.Range(0, 3).Select(i => t.Node(G, "beacon", i).RunAsync(cancel.Token)).ToList();
        await Task.WhenAll(verifiers.Cast<Task>().Append(new ProverWorker(G, "beacon", "p", t.Trained.Prove) { Poll = TimeSpan.FromMilliseconds(30) }.RunAsync(cancel.Token)));
        var view = await run.Status();
        Assert.Equal(RunPhase.Accepted, view.Phase);
        byte[][] keys = [.. t.Verifiers.Select(v => v.PublicKey)];
        Assert.Null(RunAudit.Check(view, t.ContractBytes, keys, quorum: 2, beacon: ClusterFixture.BeaconAccess));
        // Without its own beacon access an auditor cannot check the seed; with another beacon the seed's evidence fails.
        Assert.Contains("beacon", RunAudit.Check(view, t.ContractBytes, keys, quorum: 2));
        var other = new TestBeacon();
        Assert.NotNull(RunAudit.Check(view, t.ContractBytes, keys, quorum: 2, beacon: new BeaconAccess(other, other)));
    }

    [Fact]
    public async Task FaultyProversBadProofIsRejectedAndRedone()
    {
        var (run, trained) = await Registered("faulty");
        await DrawWith(run, T.Node(G, "faulty", 0), T.Node(G, "faulty", 1), T.Node(G, "faulty", 2));
        var bad = new ProverWorker(G, "faulty", "bad", (step, _) => Task.Run(() =>
        {
            var proof = (byte[])trained.Proof(step).Clone();
            proof[proof.Length / 2] ^= 1;
            return proof;
        }));
        var (worked, done) = await bad.StepOnceAsync();
        Assert.True(worked && done);
        Assert.Equal(1, bad.Rejected);
        var refused = await run.Lease("bad");
        Assert.Equal(Rejection.FaultyWorker, refused.Outcome.Rejection);

        await ProveAll(run, new ProverWorker(G, "faulty", "good", trained.Prove));
        var nodes = Enumerable.Range(0, 3).Select(i => T.Node(G, "faulty", i)).ToList();
        await Until(async () => { foreach (var n in nodes) await n.StepOnceAsync(); return (await run.Status()).Phase == RunPhase.Accepted; }, "acceptance");
        var view = await run.Status();
        Assert.Equal(["bad"], view.FaultyWorkers);
        Assert.Equal(1, view.RejectedProofs);
        Assert.Equal(view.Challenged, view.Proven);
    }

    [Fact]
    public async Task LyingVerifierIsOutvotedAndNamed()
    {
        var (run, trained) = await Registered("liar", new RunPolicy { Coverage = 3, Quorum = 2 });
        var honest = new[] { T.Node(G, "liar", 0), T.Node(G, "liar", 1) };
        await DrawWith(run, honest[0], honest[1], T.Node(G, "liar", 2));
        await ProveAll(run, new ProverWorker(G, "liar", "good", trained.Prove));
        var view = await run.Status();
        foreach (var a in await run.Assignments(2))
            Assert.True((await run.SubmitVerdict(Verdict(view, T.Verifiers[2], 2, a.Step, a.Proof, valid: false, T))).Accepted);
        await Until(async () => { foreach (var n in honest) await n.StepOnceAsync(); return (await run.Status()).Phase == RunPhase.Accepted; }, "acceptance");
        view = await run.Status();
        Assert.Equal([2], view.Contradicting);
        Assert.Null(RunAudit.Check(view, T.ContractBytes, [.. T.Verifiers.Select(v => v.PublicKey)], quorum: 2));
    }

    [Fact]
    public async Task ForgedAndReplayedVerdictsAreRejected()
    {
        var (run, trained) = await Registered("forged", new RunPolicy { Coverage = 3, Quorum = 2 });
        await DrawWith(run, T.Node(G, "forged", 0), T.Node(G, "forged", 1), T.Node(G, "forged", 2));
        await ProveAll(run, new ProverWorker(G, "forged", "good", trained.Prove));
        var view = await run.Status();
        var a = (await run.Assignments(0))[0];

        using var mallory = WorkerKey.Create();
        Assert.Equal(Rejection.BadSignature, (await run.SubmitVerdict(Verdict(view, mallory, 0, a.Step, a.Proof, true, T))).Rejection);
        var signedBy1 = Verdict(view, T.Verifiers[1], 1, a.Step, a.Proof, true, T);
        Assert.Equal(Rejection.BadSignature, (await run.SubmitVerdict(new SignedVerdict
        { Verifier = 0, Step = a.Step, Valid = true, ProofSha256 = signedBy1.ProofSha256, Signature = signedBy1.Signature })).Rejection);
        var good = Verdict(view, T.Verifiers[0], 0, a.Step, a.Proof, true, T);
        var flipped = (byte[])good.Signature.Clone();
        flipped[5] ^= 1;
        Assert.Equal(Rejection.BadSignature, (await run.SubmitVerdict(new SignedVerdict
        { Verifier = 0, Step = a.Step, Valid = true, ProofSha256 = good.ProofSha256, Signature = flipped })).Rejection);
        Assert.Equal(Rejection.BadSignature, (await run.SubmitVerdict(new SignedVerdict
        { Verifier = 0, Step = a.Step, Valid = false, ProofSha256 = good.ProofSha256, Signature = good.Signature })).Rejection);
        Assert.Equal(Rejection.UnknownVerifier, (await run.SubmitVerdict(new SignedVerdict
        { Verifier = 7, Step = a.Step, Valid = true, ProofSha256 = good.ProofSha256, Signature = good.Signature })).Rejection);

        Assert.True((await run.SubmitVerdict(good)).Accepted);
        Assert.Equal(Rejection.Replay, (await run.SubmitVerdict(good)).Rejection);
        // The same verdict replayed at another run: that run does not exist, or its signature binds another run id.
        Assert.Equal(Rejection.UnknownRun, (await G.GetGrain<IRunGrain>("forged-elsewhere").SubmitVerdict(good)).Rejection);
        var (other, _) = await Registered("forged-other", new RunPolicy { Coverage = 3, Quorum = 2 });
        Assert.Equal(Rejection.WrongPhase, (await other.SubmitVerdict(good)).Rejection);
        Assert.Single((await run.Status()).Verdicts);
    }

    [Fact]
    public async Task DeadProversTaskIsReassignedAfterItsLease()
    {
        var (run, trained) = await Registered("lease");
        await DrawWith(run, T.Node(G, "lease", 0), T.Node(G, "lease", 1), T.Node(G, "lease", 2));
        var dead = await run.Lease("dead");
        Assert.NotNull(dead.Task);
        var next = await run.Lease("alive");
        Assert.NotEqual(dead.Task!.Step, next.Task!.Step); // not reassigned while the lease holds

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        var view = await run.Status();
        int expected = view.Challenged.First(s => s != next.Task.Step);
        StepTask? taken = null;
        while (taken?.Step != dead.Task.Step)
        {
            var lease = await run.Lease("alive");
            Assert.NotNull(lease.Task);
            taken = lease.Task;
        }
        Assert.True((await run.Submit(new ProofSubmission { Worker = "alive", Lease = taken.Lease, Step = taken.Step, Proof = trained.Proof(taken.Step) })).Accepted);
        var late = await run.Submit(new ProofSubmission { Worker = "dead", Lease = dead.Task.Lease, Step = dead.Task.Step, Proof = trained.Proof(dead.Task.Step) });
        Assert.Equal(Rejection.AlreadyAccepted, late.Rejection);
        var again = await run.Submit(new ProofSubmission { Worker = "alive", Lease = taken.Lease, Step = taken.Step, Proof = trained.Proof(taken.Step) });
        Assert.True(again.Accepted, again.ToString()); // the holder resending after a lost answer: the same acceptance, nothing new
        Assert.Contains("already accepted", again.Message);
        view = await run.Status();
        Assert.True(view.Reassigned >= 1);
        Assert.Contains(expected, view.Challenged);
    }

    [Fact]
    public async Task ExpiredLeaseHolderCannotSubmitOverTheNewHolder()
    {
        var (run, trained) = await Registered("lease-lost");
        await DrawWith(run, T.Node(G, "lease-lost", 0), T.Node(G, "lease-lost", 1), T.Node(G, "lease-lost", 2));
        var view = await run.Status();
        var first = (await run.Lease("a")).Task!;
        for (int i = 1; i < view.Challenged.Length; i++) Assert.NotNull((await run.Lease("filler")).Task);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        StepTask? b = null;
        while (b?.Step != first.Step) b = (await run.Lease("b")).Task;
        var lost = await run.Submit(new ProofSubmission { Worker = "a", Lease = first.Lease, Step = first.Step, Proof = trained.Proof(first.Step) });
        Assert.Equal(Rejection.LeaseLost, lost.Rejection);
        Assert.True((await run.Submit(new ProofSubmission { Worker = "b", Lease = b.Lease, Step = b.Step, Proof = trained.Proof(b.Step) })).Accepted);
    }

    [Fact]
    public async Task WithheldRevealExcludesTheVerifierAndRedrawsWithAPenalty()
    {
        var (run, _) = await Registered("withhold");
        var nodes = new[] { T.Node(G, "withhold", 0), T.Node(G, "withhold", 1) };
        var last = T.Node(G, "withhold", 2);
        await Until(async () =>
        {
            foreach (var n in nodes) await n.StepOnceAsync();
            var v = await run.Status();
            if (!v.Commits.ContainsKey(2)) await last.StepOnceAsync(); // commits, then never reveals
            return v.Reveals.Count == 2;
        }, "two reveals");
        Assert.Equal(RunPhase.Drawing, (await run.Status()).Phase);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var view = await run.Status();
        Assert.Equal(1, view.Round);
        Assert.Equal([0, 1], view.Participants);
        var penalty = Assert.Single(view.Penalties);
        Assert.Equal(2, penalty.Verifier);
        Assert.Contains("reveal", penalty.Reason);
        await DrawWith(run, nodes);
        view = await run.Status();
        Assert.Equal(RunPhase.Proving, view.Phase);
        Assert.Equal(Rejection.UnknownVerifier, (await run.SubmitVerdict(new SignedVerdict { Verifier = 2, Step = 0, ProofSha256 = new byte[32], Signature = new byte[64] })).Rejection);
        Assert.Empty(await run.Assignments(2));
    }

    [Fact]
    public async Task MalformedOversizedUnknownAndReplayedMessagesAreRejected()
    {
        var unknown = G.GetGrain<IRunGrain>("no-such-run");
        Assert.Equal(RunPhase.Unknown, (await unknown.Status()).Phase);
        Assert.Equal(Rejection.UnknownRun, (await unknown.Lease("w")).Outcome.Rejection);
        Assert.Equal(Rejection.UnknownRun, (await unknown.Submit(new ProofSubmission { Worker = "w", Proof = [1] })).Rejection);
        Assert.Equal(Rejection.UnknownRun, (await unknown.PublishChain(new ChainPublication())).Rejection);
        Assert.Equal(Rejection.UnknownRun, (await unknown.Commit(new DrawCommit())).Rejection);
        Assert.Empty(await unknown.Assignments(0));

        var fresh = G.GetGrain<IRunGrain>("bad-registrations");
        var reg = T.Registration();
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration { Contract = [1, 2, 3], VerifierKeys = reg.VerifierKeys })).Rejection);
        Assert.Equal(Rejection.TooLarge, (await fresh.Register(new RunRegistration { Contract = new byte[1 << 20], VerifierKeys = reg.VerifierKeys })).Rejection);
        Assert.Equal(Rejection.TooLarge, (await fresh.Register(new RunRegistration { Contract = reg.Contract, VerifierKeys = [] })).Rejection);
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration { Contract = reg.Contract, VerifierKeys = [reg.VerifierKeys[0], [0x30, 0x01]] })).Rejection);
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration { Contract = reg.Contract, VerifierKeys = [reg.VerifierKeys[0], reg.VerifierKeys[0]] })).Rejection);
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration { Contract = reg.Contract, VerifierKeys = reg.VerifierKeys, Policy = new RunPolicy { Quorum = 4 } })).Rejection);
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration { Contract = reg.Contract, VerifierKeys = reg.VerifierKeys, Policy = null! })).Rejection);
        Assert.Equal(Rejection.TooLarge, (await G.GetGrain<IRunGrain>(new string('x', 200)).Register(reg)).Rejection);
        // Contributors need the Groth16 dataset format; a STARK contract's registration with one is refused.
        Assert.Equal(Rejection.Malformed, (await fresh.Register(new RunRegistration
        {
            Contract = reg.Contract, VerifierKeys = reg.VerifierKeys, Policy = reg.Policy,
            Contributors = [new ContributorRegistration { PublicKey = reg.VerifierKeys[0], Capacity = 4, AttestationKey = [1] }],
        })).Rejection);

        var run = G.GetGrain<IRunGrain>("bad-messages");
        Assert.True((await run.Register(reg)).Accepted);
        Assert.Equal(Rejection.AlreadyRegistered, (await run.Register(reg)).Rejection);
        Assert.Equal(Rejection.WrongPhase, (await run.RegisterShard([1, 2, 3])).Rejection); // a run without contributors
        var pub = T.Publication("bad-messages");
        Assert.Equal(Rejection.Malformed, (await run.PublishChain(new ChainPublication
        { ScheduleChallenge = pub.ScheduleChallenge, Commitments = pub.Commitments[..^1], InitialWeights = pub.InitialWeights, FinalWeights = pub.FinalWeights, Signature = pub.Signature })).Rejection);
        Assert.Equal(Rejection.TooLarge, (await run.PublishChain(new ChainPublication
        { ScheduleChallenge = pub.ScheduleChallenge, Commitments = [.. pub.Commitments.Select(_ => new byte[100])], InitialWeights = pub.InitialWeights, FinalWeights = pub.FinalWeights, Signature = pub.Signature })).Rejection);
        var sig = (byte[])pub.Signature.Clone();
        sig[3] ^= 1;
        Assert.Equal(Rejection.BadSignature, (await run.PublishChain(new ChainPublication
        { ScheduleChallenge = pub.ScheduleChallenge, Commitments = pub.Commitments, InitialWeights = pub.InitialWeights, FinalWeights = pub.FinalWeights, Signature = sig })).Rejection);
        // Another run's publication (the trainer's signature binds the run id).
        Assert.Equal(Rejection.BadSignature, (await run.PublishChain(T.Publication("elsewhere"))).Rejection);
        var w1 = (long[])pub.FinalWeights.W1.Clone();
        w1[0]++;
        Assert.Equal(Rejection.Malformed, (await run.PublishChain(new ChainPublication
        { ScheduleChallenge = pub.ScheduleChallenge, Commitments = pub.Commitments, InitialWeights = pub.InitialWeights, FinalWeights = new WeightsOpening { W1 = w1, W2 = pub.FinalWeights.W2, Salt = pub.FinalWeights.Salt }, Signature = pub.Signature })).Rejection);
        Assert.Equal(Rejection.WrongPhase, (await run.Lease("w")).Outcome.Rejection);
        Assert.True((await run.PublishChain(pub)).Accepted);
        Assert.Equal(Rejection.Replay, (await run.PublishChain(pub)).Rejection);

        var node = T.Node(G, "bad-messages", 0);
        await node.StepOnceAsync();
        var view = await run.Status();
        var commit = view.Commits[0];
        Assert.Equal(Rejection.Replay, (await run.Commit(commit)).Rejection);
        Assert.Equal(Rejection.WrongPhase, (await run.Reveal(new DrawReveal { Verifier = 0, Round = 0, Nonce = new byte[32] })).Rejection); // commits still open
        Assert.Equal(Rejection.BadSignature, (await run.Commit(new DrawCommit { Verifier = 1, Round = 0, Commitment = commit.Commitment, Signature = commit.Signature })).Rejection);
        Assert.Equal(Rejection.Malformed, (await run.Commit(new DrawCommit { Verifier = 1, Round = 0, Commitment = new byte[31], Signature = commit.Signature })).Rejection);
        Assert.Equal(Rejection.Replay, (await run.Commit(new DrawCommit { Verifier = 1, Round = 5, Commitment = commit.Commitment, Signature = commit.Signature })).Rejection);
        await DrawWith(run, node, T.Node(G, "bad-messages", 1), T.Node(G, "bad-messages", 2));

        var task = (await run.Lease("w")).Task!;
        Assert.Equal(Rejection.TooLarge, (await run.Submit(new ProofSubmission { Worker = "w", Lease = task.Lease, Step = task.Step, Proof = new byte[NetworkLimits.MaxProofBytes + 1] })).Rejection);
        Assert.Equal(Rejection.TooLarge, (await run.Lease(new string('w', 500))).Outcome.Rejection);
        Assert.Equal(Rejection.NotAssigned, (await run.Submit(new ProofSubmission { Worker = "w", Lease = task.Lease, Step = -1, Proof = [1] })).Rejection);
        Assert.Equal(Rejection.LeaseLost, (await run.Submit(new ProofSubmission { Worker = "w", Lease = Guid.NewGuid(), Step = task.Step, Proof = [1] })).Rejection);
        Assert.Equal(Rejection.InvalidProof, (await run.Submit(new ProofSubmission { Worker = "w", Lease = task.Lease, Step = task.Step, Proof = RandomNumberGenerator.GetBytes(3000) })).Rejection);
        Assert.Equal(Rejection.NotAssigned, (await run.SubmitVerdict(new SignedVerdict { Verifier = 0, Step = task.Step, ProofSha256 = new byte[32], Signature = new byte[64] })).Rejection);
        Assert.Equal(Rejection.Malformed, (await run.SubmitVerdict(new SignedVerdict { Verifier = 0, Step = task.Step, ProofSha256 = new byte[3], Signature = new byte[64] })).Rejection);
        // The silos are still serving.
        Assert.Equal(RunPhase.Proving, (await run.Status()).Phase);
    }
}
