using System.CommandLine;
using ZkMl.Network;
using ZkMl.Training.Backends.Groth16;

namespace ZkMl.Node;

/// <summary>
/// <c>zkml-node</c>: <c>silo</c> hosts the run grains; <c>init</c> writes a demonstration job; <c>submit</c> registers a run,
/// trains and publishes its chain (the trainer); <c>contributor</c> attests a data contributor's shard, checks its inclusion and
/// reports its usage; <c>prover</c> and <c>verifier</c> work on a run; <c>status</c> prints it.
/// Without <c>--redis</c> every command uses the embedded single-machine cluster (localhost gateway, in-memory state).
/// </summary>
public static class Program
{
    private static readonly Option<string?> Redis = new("--redis") { Description = "Redis configuration string (e.g. 127.0.0.1:6380); omitted: the embedded cluster." };
    private static readonly Option<int> Gateway = new("--gateway") { Description = "Gateway port of the silo (embedded cluster).", DefaultValueFactory = _ => 30000 };
    private static readonly Option<string> Run = new("--run") { Description = "The run id.", Required = true };
    private static readonly Option<string> Job = new("--job") { Description = "The job directory (zkml-node init).", Required = true };
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "Only the final line." };

    /// <summary>Runs the command line.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("zkml-node: a silo, prover or independent verifier of the ZkMl proving network")
        {
            SiloCommand(), InitCommand(), SubmitCommand(), ContributorCommand(), ProverCommand(), VerifierCommand(), StatusCommand(),
        };
        return root.Parse(args).InvokeAsync();
    }

    private static Command SiloCommand()
    {
        var siloPort = new Option<int>("--silo-port") { DefaultValueFactory = _ => 11111, Description = "Silo-to-silo port." };
        var command = new Command("silo", "Host run grains until stopped (SIGTERM / Ctrl+C).") { Redis, Gateway, siloPort };
        command.SetAction(async (r, cancel) =>
        {
            using var host = NodeHost.Silo(r.GetValue(Redis), r.GetValue(siloPort), r.GetValue(Gateway));
            await host.StartAsync(cancel);
            Console.WriteLine($"silo: up (silo port {r.GetValue(siloPort)}, gateway {r.GetValue(Gateway)}, store {(r.GetValue(Redis) is { } redis ? "redis " + redis : "in-memory")})");
            try { await Task.Delay(Timeout.Infinite, cancel); } catch (OperationCanceledException) { }
            await host.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    private static Command InitCommand()
    {
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 6 };
        var audit = new Option<int>("--audit") { DefaultValueFactory = _ => 3, Description = "Steps to challenge (0: all)." };
        var verifiers = new Option<int>("--verifiers") { DefaultValueFactory = _ => 3 };
        var contributors = new Option<int>("--contributors") { DefaultValueFactory = _ => 0, Description = "Data contributors (0: one STARK data set; else a Groth16 job over their shards)." };
        var command = new Command("init", "Write a demonstration job (tiny network, contract, trainer and verifier keys; with contributors, their shards and development Groth16 keys).") { Job, steps, audit, verifiers, contributors };
        command.SetAction(r =>
        {
            JobDirectory.Create(r.GetValue(Job)!, r.GetValue(steps), r.GetValue(audit), r.GetValue(verifiers), r.GetValue(contributors));
            Console.WriteLine($"init: job written to {r.GetValue(Job)}");
            return 0;
        });
        return command;
    }

    private static Command SubmitCommand()
    {
        var quorum = new Option<int>("--quorum") { DefaultValueFactory = _ => 2 };
        var coverage = new Option<int>("--coverage") { DefaultValueFactory = _ => 2 };
        var lease = new Option<int>("--lease-seconds") { DefaultValueFactory = _ => 30 };
        var deadline = new Option<int>("--deadline-seconds") { DefaultValueFactory = _ => 20, Description = "Commit, reveal and verdict deadlines." };
        var command = new Command("submit", "The trainer: register the run, train, publish the signed chain.") { Redis, Gateway, Run, Job, quorum, coverage, lease, deadline };
        command.SetAction(async (r, cancel) =>
        {
            var job = JobDirectory.Open(r.GetValue(Job)!);
            var (host, grains) = await NodeHost.Client(r.GetValue(Redis), r.GetValue(Gateway), TimeSpan.FromSeconds(60), cancel);
            using (host)
            {
                var run = grains.GetGrain<IRunGrain>(r.GetValue(Run)!);
                int d = r.GetValue(deadline);
                var keys = job.VerifyingKeys();
                var registered = await Retry.Call(() => run.Register(new RunRegistration
                {
                    Contract = job.ContractBytes, VerifierKeys = job.VerifierPublicKeys(), Contributors = job.ContributorRegistrations(),
                    Policy = new RunPolicy { Quorum = r.GetValue(quorum), Coverage = r.GetValue(coverage), LeaseSeconds = r.GetValue(lease), CommitSeconds = d, RevealSeconds = d, VerdictSeconds = d },
                    Groth16StepKey = keys is null ? [] : Groth16VerifyingKeys.CanonicalBytes(keys.Step),
                    Groth16MembershipKey = keys is null ? [] : Groth16VerifyingKeys.CanonicalBytes(keys.Membership),
                }), cancel);
                Console.WriteLine($"trainer: register -> {registered}");
                if (!registered.Accepted && registered.Rejection != Rejection.AlreadyRegistered) return 1;
                using var worker = job.Worker();
                var trainer = job.Train(job.Prover(worker));
                // With contributors, the chain is taken once every shard attestation is checked.
                while ((await Retry.Call(() => run.Status(), cancel)).Phase == RunPhase.AwaitingShards) await Task.Delay(500, cancel);
                var published = await Retry.Call(() => run.PublishChain(trainer.Publish(r.GetValue(Run)!, worker)), cancel);
                Console.WriteLine($"trainer: chain of {trainer.States.Count - 1} steps -> {published}");
                return published.Accepted || published.Rejection == Rejection.Replay ? 0 : 1;
            }
        });
        return command;
    }

    private static Command ContributorCommand()
    {
        var index = new Option<int>("--index") { Required = true, Description = "This contributor's index in the registration." };
        var command = new Command("contributor", "A data contributor: attest its shard to the run, check the dataset includes it, report its usage once the run settles.") { Redis, Gateway, Run, Job, index };
        command.SetAction(async (r, cancel) =>
        {
            var job = JobDirectory.Open(r.GetValue(Job)!);
            int i = r.GetValue(index);
            string runId = r.GetValue(Run)!;
            var (key, shard, provingKey) = job.Contributor(i);
            using (key)
            {
                var attestation = shard.Attest(NetworkMessages.ShardRunId(runId), key, provingKey);
                Console.WriteLine($"contributor {i}: shard of {attestation.Claims.RowCount} rows, histogram [{string.Join(',', attestation.Claims.Histogram)}], max feature {attestation.Claims.MaxFeature} attested");
                var (host, grains) = await NodeHost.Client(r.GetValue(Redis), r.GetValue(Gateway), TimeSpan.FromSeconds(60), cancel);
                using (host)
                {
                    var client = new ContributorClient(grains, runId, i);
                    var contract = job.ContractBytes;
                    await Retry.Loop(async () =>
                    {
                        var outcome = await client.RegisterAsync(attestation);
                        if (outcome.Rejection == Rejection.UnknownRun) return await Idle(cancel); // the trainer has not registered the run yet
                        Console.WriteLine($"contributor {i}: register shard -> {outcome}");
                        return true;
                    }, cancel);
                    string? inclusion = "";
                    await Retry.Loop(async () => (inclusion = await client.CheckInclusionAsync(contract, shard.Root, shard.Data.Count)) is null
                        || (await grains.GetGrain<IRunGrain>(runId).Status()).Phase == RunPhase.Failed || await Idle(cancel), cancel);
                    Console.WriteLine($"contributor {i}: inclusion in the contract's dataset root {(inclusion is null ? "checked" : "NOT shown: " + inclusion)}");
                    RunPhase phase = RunPhase.Unknown;
                    await Retry.Loop(async () => (phase = (await grains.GetGrain<IRunGrain>(runId).Status()).Phase) is RunPhase.Accepted or RunPhase.Failed || await Idle(cancel), cancel);
                    var status = await Retry.Call(client.StatusAsync, cancel);
                    Console.WriteLine($"contributor {i}: run {phase}; proven steps used {status?.RowUses} batch slots from this shard ({status?.DistinctRows} of its {status?.Rows} rows)");
                    return inclusion is null ? 0 : 1;
                }
            }
        });
        return command;
    }

    private static Command ProverCommand()
    {
        var id = new Option<string>("--id") { Required = true, Description = "This worker's id." };
        var command = new Command("prover", "A prover worker of the trainer's farm: pull step tasks, prove, submit.") { Redis, Gateway, Run, Job, id };
        command.SetAction(async (r, cancel) =>
        {
            var job = JobDirectory.Open(r.GetValue(Job)!);
            using var worker = job.Worker();
            var prove = await job.LoadProver(job.Prover(worker), cancel);
            var (host, grains) = await NodeHost.Client(r.GetValue(Redis), r.GetValue(Gateway), TimeSpan.FromSeconds(60), cancel);
            using (host)
            {
                var prover = new ProverWorker(grains, r.GetValue(Run)!, r.GetValue(id)!, (step, _) => Task.Run(() => prove(step))) { Log = Console.WriteLine };
                await Retry.Loop(async () => (await prover.StepOnceAsync(cancel)) is var (worked, done) && done ? true : !worked ? await Idle(cancel) : false, cancel);
                Console.WriteLine($"prover {prover.Id}: done ({prover.Accepted} accepted, {prover.Rejected} rejected)");
                return 0;
            }
        });
        return command;
    }

    private static Command VerifierCommand()
    {
        var index = new Option<int>("--index") { Required = true, Description = "This verifier's index in the registration." };
        var command = new Command("verifier", "An independent verifier: check the chain, draw, verify assigned proofs, sign verdicts.") { Redis, Gateway, Run, Job, index };
        command.SetAction(async (r, cancel) =>
        {
            var job = JobDirectory.Open(r.GetValue(Job)!);
            using var key = job.Verifier(r.GetValue(index));
            var (host, grains) = await NodeHost.Client(r.GetValue(Redis), r.GetValue(Gateway), TimeSpan.FromSeconds(60), cancel);
            using (host)
            {
                // Groth16: the verifier's own copy of the verifying keys (the ceremony's files), checked against its contract's pins.
                var node = new VerifierNode(grains, r.GetValue(Run)!, r.GetValue(index), key, job.ContractBytes, job.VerifyingKeys()) { Log = Console.WriteLine };
                RunPhase phase = RunPhase.Unknown;
                await Retry.Loop(async () =>
                {
                    phase = await node.StepOnceAsync();
                    return phase is RunPhase.Accepted or RunPhase.Failed || node.Refusal is not null || await Idle(cancel);
                }, cancel);
                Console.WriteLine($"verifier {r.GetValue(index)}: done, run {phase}, {node.Signed} verdicts signed{(node.Refusal is { } why ? ", refused: " + why : "")}");
                return node.Refusal is null ? 0 : 1;
            }
        });
        return command;
    }

    private static Command StatusCommand()
    {
        var command = new Command("status", "Print a run's status, recheck its acceptance from the signatures, and exit 0 when accepted.") { Redis, Gateway, Run, Job, Quiet };
        command.SetAction(async (r, cancel) =>
        {
            var job = JobDirectory.Open(r.GetValue(Job)!);
            var (host, grains) = await NodeHost.Client(r.GetValue(Redis), r.GetValue(Gateway), TimeSpan.FromSeconds(60), cancel);
            using (host)
            {
                var view = await Retry.Call(() => grains.GetGrain<IRunGrain>(r.GetValue(Run)!).Status(), cancel);
                var policy = view.Registration?.Policy ?? new RunPolicy();
                string? audit = view.Phase == RunPhase.Accepted ? RunAudit.Check(view, job.ContractBytes, job.VerifierPublicKeys(), policy.Quorum, job.VerifyingKeys(), contributors: job.Contributors > 0 ? job.ContributorRegistrations() : null) : "not accepted";
                if (!r.GetValue(Quiet))
                {
                    Console.WriteLine($"run {view.RunId}: {view.Phase} - {view.Message}");
                    Console.WriteLine($"  challenged {string.Join(',', view.Challenged)}; proven {view.Proven.Length}; verified {view.Verified.Length}; verdicts {view.Verdicts.Length}");
                    Console.WriteLine($"  faulty workers [{string.Join(',', view.FaultyWorkers)}]; reassigned {view.Reassigned}; rejected proofs {view.RejectedProofs}");
                    Console.WriteLine($"  penalties [{string.Join("; ", view.Penalties.Select(p => $"verifier {p.Verifier} round {p.Round}: {p.Reason}"))}]; contradicting [{string.Join(',', view.Contradicting)}]");
                    foreach (var shard in view.Shards)
                        Console.WriteLine($"  contributor {shard.Contributor}: {(shard.Attested ? $"{shard.Rows} rows attested" : "not attested")}; proven steps used {shard.RowUses} batch slots, {shard.DistinctRows} distinct rows");
                    Console.WriteLine($"  independent recheck: {audit ?? "accepted by a quorum of registered verifier signatures"}");
                }
                int steps = view.Chain is null ? 0 : view.Chain.Commitments.Length - 1;
                int lost = view.Challenged.Count(s => !view.Proven.Contains(s));
                Console.WriteLine($"run={view.RunId} steps={steps} challenged={view.Challenged.Length} proven={view.Proven.Length} verified={view.Verified.Length} lost={lost} accepted={audit is null}");
                return audit is null ? 0 : 1;
            }
        });
        return command;
    }

    private static async Task<bool> Idle(CancellationToken cancel)
    {
        await Task.Delay(200, cancel);
        return false;
    }
}
