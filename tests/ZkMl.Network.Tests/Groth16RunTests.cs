using ZkMl.Training.Backends.Groth16;
using ZkMl.Training.Shards;

namespace ZkMl.Network.Tests;

/// <summary>A Groth16 run over three contributors' attested shards on the in-process cluster: attestations, inclusion, usage, pinned keys.</summary>
public sealed class Groth16RunTests(ClusterFixture fx, Groth16RunFixture g16) : IClassFixture<ClusterFixture>, IClassFixture<Groth16RunFixture>
{
    private ShardedGroth16Run R => g16.Run;
    private IGrainFactory G => fx.Grains;

    [Fact]
    public async Task ThreeContributorsShardsAndATinyGroth16RunReachAcceptance()
    {
        const string id = ShardedGroth16Run.RunId;
        var run = G.GetGrain<IRunGrain>(id);
        Assert.True((await run.Register(R.Registration())).Accepted);
        Assert.Equal(RunPhase.AwaitingShards, (await run.Status()).Phase);
        Assert.Equal(Rejection.WrongPhase, (await run.PublishChain(R.Trained.Trainer.Publish(id, R.Worker))).Rejection);

        var contributors = Enumerable.Range(0, 3).Select(i => new ContributorClient(G, id, i)).ToList();
        // Forgeries: contributor 1's attestation under contributor 0's key, a tampered proof, another run's attestation, an unknown key.
        var a0 = R.Attestations[0];
        Assert.Equal(Rejection.BadSignature, (await run.RegisterShard(Resigned(a0, R.Attestations[1].ContributorKey.ToArray()))).Rejection);
        var bytes = a0.Encode();
        bytes[^(ShardAttestation.SignatureBytes + 5)] ^= 1;
        Assert.NotEqual(Rejection.None, (await run.RegisterShard(bytes)).Rejection);
        using (var stranger = ContributorKey.Create())
            Assert.Equal(Rejection.UnknownContributor, (await run.RegisterShard(R.Shards[0].Attest(NetworkMessages.ShardRunId(id), stranger, R.AttestationKey).Encode())).Rejection);
        Assert.Equal(Rejection.Malformed, (await run.RegisterShard(R.Shards[0].Attest(NetworkMessages.ShardRunId("elsewhere"), R.Contributors[0], R.AttestationKey).Encode())).Rejection);
        Assert.Equal(Rejection.Malformed, (await run.RegisterShard([1, 2, 3])).Rejection);
        Assert.Equal(Rejection.TooLarge, (await run.RegisterShard(new byte[NetworkLimits.MaxAttestationBytes + 1])).Rejection);
        for (int i = 0; i < 3; i++) Assert.True((await contributors[i].RegisterAsync(R.Attestations[i])).Accepted);
        Assert.Equal(Rejection.Replay, (await contributors[0].RegisterAsync(R.Attestations[0])).Rejection);
        Assert.Equal(RunPhase.AwaitingChain, (await run.Status()).Phase);
        for (int i = 0; i < 3; i++)
            Assert.Null(await contributors[i].CheckInclusionAsync(R.ContractBytes, R.Shards[i].Root, R.Shards[i].Data.Count));
        Assert.NotNull(await contributors[0].CheckInclusionAsync(R.ContractBytes, R.Shards[1].Root, R.Shards[1].Data.Count));

        Assert.True((await run.PublishChain(R.Trained.Trainer.Publish(id, R.Worker))).Accepted);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var verifiers = Enumerable.Range(0, 3).Select(i => R.Node(G, id, i).RunAsync(cancel.Token)).ToList();
        var provers = Enumerable.Range(0, 2).Select(i => new ProverWorker(G, id, $"prover-{i}", R.Trained.Prove) { Poll = TimeSpan.FromMilliseconds(30) }).ToList();
        await Task.WhenAll(provers.Select(p => p.RunAsync(cancel.Token)).Concat(verifiers.Select(v => (Task)v)));

        var view = await run.Status();
        Assert.Equal(RunPhase.Accepted, view.Phase);
        Assert.Equal(view.Challenged, view.Verified);
        Assert.Null(RunAudit.Check(view, R.ContractBytes, [.. R.Verifiers.Select(v => v.PublicKey)], quorum: 2, R.VerifyingKeys));
        Assert.Null(RunAudit.Check(view, R.ContractBytes, [.. R.Verifiers.Select(v => v.PublicKey)], quorum: 2)); // the registration's keys, checked against the pins
        // With the checker's own list of contributors, their attestations are rechecked; with another key they do not verify.
        var reg = R.Registration();
        Assert.Null(RunAudit.Check(view, R.ContractBytes, [.. R.Verifiers.Select(v => v.PublicKey)], quorum: 2, R.VerifyingKeys, contributors: reg.Contributors));
        using (var stranger = ContributorKey.Create())
            Assert.StartsWith("shards:", RunAudit.Check(view, R.ContractBytes, [.. R.Verifiers.Select(v => v.PublicKey)], quorum: 2, R.VerifyingKeys,
                contributors: [reg.Contributors[0], new ContributorRegistration { PublicKey = stranger.PublicKey, Capacity = 4, AttestationKey = reg.Contributors[1].AttestationKey }, reg.Contributors[2]]));
        var swapped = new Groth16VerifyingKeys(R.VerifyingKeys.Membership, R.VerifyingKeys.Step);
        Assert.StartsWith("this checker cannot verify", RunAudit.Check(view, R.ContractBytes, [.. R.Verifiers.Select(v => v.PublicKey)], quorum: 2, swapped));
        // Usage: the rows of each shard the proven steps drew, as anyone computes it from the schedule.
        var expected = ShardUsage.Compute(R.Layout, R.Contract, view.Chain!.ScheduleChallenge.Value, view.Proven);
        Assert.Equal(expected.Select(u => u.RowUses), view.Shards.Select(s => s.RowUses));
        Assert.Equal(expected.Select(u => u.DistinctRows), view.Shards.Select(s => s.DistinctRows));
        Assert.Equal(ShardedGroth16Run.Network.BatchSize * view.Proven.Length, view.Shards.Sum(s => s.RowUses));
        Assert.All(view.Shards, s => Assert.True(s.Attested));
    }

    [Fact]
    public async Task KeysTheContractDoesNotPinAndShardsThatDoNotMakeTheRootAreRefused()
    {
        // The trainer hands over verifying keys the contract does not pin (the step and membership keys swapped).
        var reg = R.Registration();
        var swapped = new RunRegistration
        {
            Contract = reg.Contract, VerifierKeys = reg.VerifierKeys, Policy = reg.Policy, Contributors = reg.Contributors,
            Groth16StepKey = reg.Groth16MembershipKey, Groth16MembershipKey = reg.Groth16StepKey,
        };
        Assert.Equal(Rejection.Malformed, (await G.GetGrain<IRunGrain>("g16-swapped").Register(swapped)).Rejection);
        Assert.Equal(Rejection.Malformed, (await G.GetGrain<IRunGrain>("g16-nokeys").Register(R.Registration(withKeys: false))).Rejection);

        // Contributors registered in another order: every attestation is valid, but the shards no longer combine to the contract's root.
        const string id = "g16-reordered";
        var c = reg.Contributors;
        var run = G.GetGrain<IRunGrain>(id);
        Assert.True((await run.Register(R.Registration(contributors: [c[1], c[0], c[2]]))).Accepted);
        for (int i = 0; i < 3; i++)
            Assert.True((await run.RegisterShard(R.Shards[i].Attest(NetworkMessages.ShardRunId(id), R.Contributors[i], R.AttestationKey).Encode())).Accepted);
        var view = await run.Status();
        Assert.Equal(RunPhase.Failed, view.Phase);
        Assert.Contains("dataset root", view.Message);
    }

    // The attestation with its key field replaced by another registered contributor's key (same length): the signature no longer verifies.
    private static byte[] Resigned(ShardAttestation a, byte[] key)
    {
        var bytes = a.Encode();
        int at = bytes.AsSpan().IndexOf(a.ContributorKey.AsSpan());
        key.CopyTo(bytes, at);
        return bytes;
    }
}
