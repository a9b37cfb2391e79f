namespace ZkMl.Network.Tests;

/// <summary>
/// Silos in this process against a redis-server of the test's own (<see cref="PrivateRedis"/>): the store killed and
/// restarted while provers and verifiers work, and the whole cluster stopped and started again against the same store.
/// Skipped without ZKML_REDIS (.ci/run starts Redis; these tests start their own server next to it).
/// </summary>
public sealed class StoreFailureTests(TinyRunFixture tiny) : IClassFixture<TinyRunFixture>
{
    private TinyRun T => tiny.Run;

    private static readonly RunPolicy Policy = new() { Coverage = 2, Quorum = 2, CommitSeconds = 60, RevealSeconds = 60, LeaseSeconds = 20, VerdictSeconds = 60 };

    [RedisFact]
    public async Task StoreKilledMidRunLosesNoProofAndAcceptsNoneTwice()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var cluster = await RedisSilos.StartAsync(redis.Config, silos: 2);
        const string id = "store-killed";
        var run = await Registered(cluster.Grains, id);

        // The provers hold their leases, proving, when the store dies; they submit while it is down.
        var gate = new TaskCompletionSource();
        var provers = Enumerable.Range(0, 3).Select(i => new ProverWorker(cluster.Grains, id, $"prover-{i}", async (step, cancel) =>
        {
            await gate.Task.WaitAsync(cancel);
            return await T.Trained.Prove(step, cancel);
        }) { Poll = TimeSpan.FromMilliseconds(100) }).ToList();
        var nodes = Enumerable.Range(0, 3).Select(i => T.Node(cluster.Grains, id, i)).ToList();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var work = Work(provers, nodes, cancel.Token);

        await Until(async () => (await run.Status()).Phase == RunPhase.Proving, "the draw", cancel.Token);
        await redis.KillAsync();
        gate.SetResult();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await redis.RestartAsync();
        await work;

        await AssertAccepted(run, provers);
    }

    [RedisFact]
    public async Task WholeClusterCrashAndRestartResumesTheRunToAcceptance()
    {
        await using var redis = await PrivateRedis.StartAsync();
        const string id = "cluster-restart";
        int before;
        ProverWorker first;
        var cluster = await RedisSilos.StartAsync(redis.Config, silos: 2);
        try
        {
            var run = await Registered(cluster.Grains, id);
            var nodes = Enumerable.Range(0, 3).Select(i => T.Node(cluster.Grains, id, i)).ToList();
            await Until(async () => { foreach (var n in nodes) await n.StepOnceAsync(); return (await run.Status()).Phase == RunPhase.Proving; }, "the draw", default);
            first = new ProverWorker(cluster.Grains, id, "before-restart", T.Trained.Prove);
            await Until(async () => (await first.StepOnceAsync()).Worked, "one proof", default);
            before = (await run.Status()).Proven.Single();
        }
        finally { await cluster.CrashAsync(); }

        // Every silo is gone, none shut down gracefully; a new cluster (new silos, new ports, new client) resumes from the store alone.
        await using var restarted = await RedisSilos.StartAsync(redis.Config, silos: 2);
        var resumed = restarted.Grains.GetGrain<IRunGrain>(id);
        var view = await resumed.Status();
        Assert.Equal(RunPhase.Proving, view.Phase);
        Assert.Equal([before], view.Proven);
        var provers = Enumerable.Range(0, 2).Select(i => new ProverWorker(restarted.Grains, id, $"after-{i}", T.Trained.Prove) { Poll = TimeSpan.FromMilliseconds(100) }).ToList();
        var nodes2 = Enumerable.Range(0, 3).Select(i => T.Node(restarted.Grains, id, i)).ToList();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await Work(provers, nodes2, cancel.Token);
        await AssertAccepted(resumed, [first, .. provers]);
    }

    private async Task<IRunGrain> Registered(IGrainFactory grains, string id)
    {
        var run = grains.GetGrain<IRunGrain>(id);
        Assert.True((await run.Register(T.Registration(Policy))).Accepted);
        Assert.True((await run.PublishChain(T.Publication(id))).Accepted);
        return run;
    }

    // Provers and verifiers until the run is settled; a call that fails (the store or a silo down) is retried.
    private static Task Work(IEnumerable<ProverWorker> provers, IEnumerable<VerifierNode> nodes, CancellationToken cancel) =>
        Task.WhenAll(
            provers.Select(p => Task.Run(() => Retrying(async () => (await p.StepOnceAsync(cancel)).Done, cancel), cancel)).Concat(
            nodes.Select(n => Task.Run(() => Retrying(async () => (await n.StepOnceAsync()) is RunPhase.Accepted or RunPhase.Failed, cancel), cancel))));

    private static async Task Retrying(Func<Task<bool>> step, CancellationToken cancel)
    {
        while (true)
        {
            try { if (await step()) return; }
            catch (Exception e) when (e is not OperationCanceledException) { }
            await Task.Delay(100, cancel);
        }
    }

    private static async Task Until(Func<Task<bool>> done, string what, CancellationToken cancel)
    {
        var stop = DateTime.UtcNow.AddMinutes(2);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < stop, "timed out waiting for " + what);
            await Task.Delay(50, cancel);
        }
    }

    // Every challenged step proven and verified; each step's acceptance told to exactly one prover (none accepted twice,
    // none a prover was told of lost); one proof per step behind its verdicts; the signatures recheck.
    private async Task AssertAccepted(IRunGrain run, IReadOnlyList<ProverWorker> provers)
    {
        var view = await run.Status();
        Assert.Equal(RunPhase.Accepted, view.Phase);
        Assert.Equal(TinyRun.Audited, view.Challenged.Length);
        Assert.Equal(view.Challenged, view.Proven);
        Assert.Equal(view.Challenged, view.Verified);
        Assert.Equal(view.Challenged, provers.SelectMany(p => p.AcceptedSteps).Order());
        Assert.All(view.Challenged, s => Assert.Single(view.Verdicts.Where(v => v.Step == s).Select(v => Convert.ToHexString(v.ProofSha256)).Distinct()));
        Assert.Empty(view.FaultyWorkers);
        Assert.Null(RunAudit.Check(view, T.ContractBytes, [.. T.Verifiers.Select(v => v.PublicKey)], quorum: 2));
    }
}
