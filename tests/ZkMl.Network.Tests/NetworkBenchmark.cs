using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Xunit.Abstractions;
using ZkMl.Training.Contract;

namespace ZkMl.Network.Tests;

/// <summary>Opt-in measurement (ZKML_NETWORK_BENCH=1) for benchmarks/RESULTS.md: coordination cost per step and proving throughput against concurrent provers.</summary>
public sealed class NetworkBenchmark(ClusterFixture fx, TinyRunFixture tiny, ITestOutputHelper output) : IClassFixture<ClusterFixture>, IClassFixture<TinyRunFixture>
{
    [Fact]
    public async Task CoordinationOverheadAndThroughput()
    {
        if (Environment.GetEnvironmentVariable("ZKML_NETWORK_BENCH") != "1") return;
        var t = tiny.Run;
        var lines = new List<string>();
        void Say(string s) { lines.Add(s); output.WriteLine(s); }

        // Throughput: all steps of a fresh chain proven by N concurrent provers (threads of one process), after a warm-up chain.
        var warm = TrainerRun.Train(t.Prover, new FiatShamirChallenge(t.Contract));
        for (int s = 0; s < TinyRun.Steps; s++) warm.ProveStep(s); // tiered JIT settles over the first proofs
        for (int n = 1; n <= 3; n++)
        {
            var trainer = TrainerRun.Train(t.Prover, new FiatShamirChallenge(t.Contract));
            int next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, n).Select(_ => Task.Run(() => { int s; while ((s = Interlocked.Increment(ref next)) < TinyRun.Steps) trainer.ProveStep(s); })));
            double seconds = clock.Elapsed.TotalSeconds;
            Say(string.Create(CultureInfo.InvariantCulture, $"provers={n} steps={TinyRun.Steps} wall={seconds:0.00}s throughput={TinyRun.Steps / seconds:0.000} steps/s"));
        }

        // Coordination: lease + submit round trips minus the proof verification inside submit, and a verdict round trip.
        var g = fx.Grains;
        var run = g.GetGrain<IRunGrain>("bench");
        await run.Register(t.Registration(new RunPolicy { Coverage = 3, Quorum = 2 }));
        await run.PublishChain(t.Publication("bench"));
        var nodes = Enumerable.Range(0, 3).Select(i => t.Node(g, "bench", i)).ToList();
        while ((await run.Status()).Phase == RunPhase.Drawing) foreach (var node in nodes) await node.StepOnceAsync();
        var view = await run.Status();
        foreach (int s in view.Challenged) t.Trained.Proof(s);
        await run.Status(); // warm the call path
        var verifier = TrainingVerifierFor(t);
        double lease = 0, submit = 0, verify = 0, verdict = 0;
        foreach (int s in view.Challenged)
        {
            var sw = Stopwatch.StartNew();
            var task = (await run.Lease("w")).Task!;
            lease += sw.Elapsed.TotalMilliseconds;
            byte[] proof = t.Trained.Proof(task.Step);
            sw.Restart();
            Assert.True(RunChecks.Step(verifier, view.Chain!, task.Step, proof));
            verify += sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            Assert.True((await run.Submit(new ProofSubmission { Worker = "w", Lease = task.Lease, Step = task.Step, Proof = proof })).Accepted);
            submit += sw.Elapsed.TotalMilliseconds;
            var digest = t.Contract.Digest();
            var sha = SHA256.HashData(proof);
            var chainDigest = NetworkMessages.ChainDigest(digest, view.Chain!.Commitments);
            var v = new SignedVerdict { Verifier = 0, Step = task.Step, Valid = true, ProofSha256 = sha, Signature = t.Verifiers[0].Sign(digest, NetworkMessages.VerdictSigned("bench", chainDigest, view.ChallengeValue, task.Step, sha, true)) };
            sw.Restart();
            Assert.True((await run.SubmitVerdict(v)).Accepted);
            verdict += sw.Elapsed.TotalMilliseconds;
        }
        int k = view.Challenged.Length;
        Say(string.Create(CultureInfo.InvariantCulture,
            $"per step (mean of {k}): lease {lease / k:0.0} ms, submit {submit / k:0.0} ms of which proof verification {verify / k:0.0} ms, verdict {verdict / k:0.0} ms; coordination = lease + submit - verify + verdict = {(lease + submit - verify + verdict) / k:0.0} ms; proof {t.Trained.Proof(view.Challenged[0]).Length} bytes"));
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "zkml-network-bench.txt"), lines);
    }

    private static ZkMl.Training.TrainingVerifier TrainingVerifierFor(TinyRun t) => RunChecks.Verifier(t.Contract, null, DateTimeOffset.UtcNow).Verifier;
}
