using ZkMl.Training;
using ZkMl.Training.Contract;

namespace ZkMl.Network;

/// <summary>
/// The trainer's side, inside its own trust domain: draws the schedule seed, trains every step, commits every state,
/// signs the chain for publication under a run id, and keeps the witnesses (weights and salts) its prover workers need to prove any step.
/// </summary>
public sealed class TrainerRun
{
    private readonly TrainingProver _prover;
    private readonly TrainingState[] _states;
    private readonly ChallengeRecord _schedule;
    private readonly byte[] _seed;

    private TrainerRun(TrainingProver prover, TrainingState[] states, ChallengeRecord schedule)
    {
        _prover = prover;
        _states = states;
        _schedule = schedule;
        _seed = [.. schedule.Value];
    }

    /// <summary>The schedule seed (the farm's provers need it with the states).</summary>
    public ReadOnlyMemory<byte> Seed => _seed;

    /// <summary>Every state 0..StepCount (the witnesses; they never leave the trainer's farm).</summary>
    public IReadOnlyList<TrainingState> States => _states;

    /// <summary>
    /// Trains under <paramref name="prover"/>'s contract: the schedule seed from <paramref name="challenges"/>, the contract's
    /// initial weights (or <paramref name="initial"/> for an explicit commitment), and every step on its scheduled rows.
    /// </summary>
    public static TrainerRun Train(TrainingProver prover, IChallengeSource challenges, TrainingState? initial = null)
    {
        ArgumentNullException.ThrowIfNull(prover);
        ArgumentNullException.ThrowIfNull(challenges);
        var contract = prover.Contract;
        var schedule = challenges.Draw(ChallengePurpose.ScheduleSeed, contract.Digest());
        byte[] seed = [.. schedule.Value];
        var states = new TrainingState[contract.StepCount + 1];
        states[0] = initial ?? (contract.InitialWeights == InitialWeightsRule.DerivedFromScheduleSeed
            ? prover.Start(SeededInitialWeights.Create(contract, seed))
            : throw new ArgumentException("The contract names explicit initial weights: pass the agreed initial state.", nameof(initial)));
        for (int t = 0; t < contract.StepCount; t++) states[t + 1] = prover.Advance(states[t], prover.RowsOf(seed, t));
        return new TrainerRun(prover, states, schedule);
    }

    /// <summary>The chain signed with <paramref name="worker"/> (the contract's worker key) for run <paramref name="runId"/>, to publish with <see cref="IRunGrain.PublishChain"/>.</summary>
    public ChainPublication Publish(string runId, WorkerKey worker)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(worker);
        byte[] digest = _prover.Contract.Digest();
        byte[][] commitments = [.. _states.Select(s => s.Commitment.ToArray())];
        var wire = WireChallenge.From(_schedule);
        return new ChainPublication
        {
            ScheduleChallenge = wire, Commitments = commitments,
            InitialWeights = WeightsOpening.Of(_states[0]), FinalWeights = WeightsOpening.Of(_states[^1]),
            Signature = worker.Sign(digest, NetworkMessages.ChainSigned(runId, NetworkMessages.ChainDigest(digest, commitments), wire)),
        };
    }

    /// <summary>Proves step <paramref name="step"/> (what a prover worker of the farm runs); thread-safe.</summary>
    public byte[] ProveStep(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, _states.Length - 1);
        return _prover.ProveStep(_states[step], _states[step + 1], _prover.RowsOf(_seed, step)).Proof;
    }
}
