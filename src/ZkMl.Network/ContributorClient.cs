using ZkMl.Training.Contract;
using ZkMl.Training.Shards;

namespace ZkMl.Network;

/// <summary>
/// A data contributor's side of a run: registers its signed shard attestation (run id <see cref="NetworkMessages.ShardRunId"/>)
/// and checks, against the contract it agreed to and its own shard root, that the run's dataset includes its shard. It
/// trusts nothing the cluster computes: the inclusion path is rechecked up to the contract's dataset root.
/// </summary>
/// <param name="grains">The cluster client.</param>
/// <param name="runId">The run.</param>
/// <param name="index">The contributor's index in the registration.</param>
public sealed class ContributorClient(IGrainFactory grains, string runId, int index)
{
    private readonly IRunGrain _run = (grains ?? throw new ArgumentNullException(nameof(grains))).GetGrain<IRunGrain>(runId);

    /// <summary>Registers <paramref name="attestation"/> with the run.</summary>
    public Task<Outcome> RegisterAsync(ShardAttestation attestation)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        return _run.RegisterShard(attestation.Encode());
    }

    /// <summary>This contributor's shard as the run reports it (attestation, inclusion path, usage); null when the run has no such contributor.</summary>
    public Task<ShardStatus?> StatusAsync() => _run.Shard(index);

    /// <summary>
    /// Null when the run is registered with <paramref name="contract"/> (canonical bytes, the contract this contributor agreed
    /// to) and the run's inclusion path takes the shard of <paramref name="rows"/> rows with <paramref name="shardRoot"/> to the
    /// contract's dataset root; otherwise why not.
    /// </summary>
    public async Task<string?> CheckInclusionAsync(byte[] contract, ReadOnlyMemory<byte> shardRoot, int rows)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var view = await _run.Status();
        if (view.Registration is null || !view.Registration.Contract.AsSpan().SequenceEqual(contract)) return "the run is not registered with this contract.";
        var shard = await _run.Shard(index);
        if (shard is not { Attested: true }) return $"contributor {index}'s shard is not attested in the run.";
        if (!shard.Root.AsSpan().SequenceEqual(shardRoot.Span) || shard.Rows != rows) return "the run records another shard root or row count for this contributor.";
        if (shard.Siblings.Length == 0 && view.Phase == RunPhase.AwaitingShards) return "not every contributor has attested yet.";
        var c = TrainingContract.Decode(contract);
        var inclusion = new ShardInclusion(shard.Level, shard.Position, [.. shard.Siblings.Select(s => System.Collections.Immutable.ImmutableArray.Create(s))]);
        return DatasetShards.VerifyInclusion(shardRoot.Span, rows, inclusion, c.DatasetRoot.AsSpan(), c.DatasetRows)
            ? null
            : "the inclusion path does not lead to the contract's dataset root.";
    }
}
